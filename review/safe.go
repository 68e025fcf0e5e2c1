package review

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// Every return visit, with her real receipt or her second, safe one,
// arrives as an addition of one visit part holding the receipt note the
// server stored with the tag it found (THREAT_MODEL.md, the safe receipt).
// The server cannot read the note; the reviewers can, and apply what she
// chose: show and list mark the submission, and "take back every consent"
// is a withdrawal of every use from that day.

// Visit is one return visit, from its visit record.
type Visit struct {
	Day     string
	Receipt string // vault.ReceiptFirst, vault.ReceiptSecond, or "" when its note cannot be read here
	Chose   string // for the second receipt: what she asked its use to mean
}

// maxVisitNote bounds the note inside a visit part as read.
const maxVisitNote = 256 << 10

// ChoiceText says for reviewers what she asked the use of her safe receipt
// to mean.
func ChoiceText(chose string) string {
	switch chose {
	case vault.ChoseQuiet:
		return "nothing visible: act as if nothing happened"
	case vault.ChosePressure:
		return "tell the organisation she may be under pressure"
	case vault.ChoseWithdraw:
		return "take back every consent (counted as a withdrawal of every use)"
	}
	return "no choice recorded"
}

// openVisit reads a visit part's content: the receipt note, itself a part
// encrypted to the reviewers when she submitted or took her second
// receipt. A note this team cannot open gives a visit of unknown receipt.
func openVisit(content io.Reader, identities []age.Identity) (vault.ReceiptNote, bool, error) {
	raw, err := io.ReadAll(io.LimitReader(content, maxVisitNote+1))
	if err != nil {
		return vault.ReceiptNote{}, false, err
	}
	if len(raw) > maxVisitNote {
		return vault.ReceiptNote{}, false, fmt.Errorf("%w: a visit record is too long", vault.ErrMalformed)
	}
	if len(raw) == 0 { // a store from before receipt notes had one receipt
		return vault.ReceiptNote{Version: 1, Receipt: vault.ReceiptFirst}, true, nil
	}
	h, r, err := vault.OpenPart(bytes.NewReader(raw), identities...)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return vault.ReceiptNote{}, false, nil
	}
	if err != nil || h.Kind != vault.KindReceipt {
		return vault.ReceiptNote{}, false, fmt.Errorf("%w: a visit record's receipt note does not open: %v", vault.ErrMalformed, err)
	}
	var n vault.ReceiptNote
	if err := readForm(r, &n); err != nil {
		return n, false, err
	}
	return n, true, nil
}

func (c *Contents) addVisit(it vault.Item, content io.Reader) error {
	n, ok, err := openVisit(content, c.ids)
	if err != nil {
		return err
	}
	v := Visit{Day: it.Day}
	if ok {
		v.Receipt, v.Chose = n.Receipt, n.Chose
	}
	c.Visits = append(c.Visits, v)
	if v.Receipt == vault.ReceiptSecond && v.Chose == vault.ChoseWithdraw {
		c.Withdrawals = append(c.Withdrawals, Withdrawal{Day: it.Day, Uses: slices.Clone(vault.Uses)})
	}
	return nil
}

// SafeUses returns the visits made with her safe receipt.
func (c *Contents) SafeUses() []Visit {
	var out []Visit
	for _, v := range c.Visits {
		if v.Receipt == vault.ReceiptSecond {
			out = append(out, v)
		}
	}
	return out
}

// safeCandidate is a small addition an import holds in memory to look for
// a visit with her safe receipt once the bundle is verified.
type safeCandidate struct {
	it         vault.Item
	ciphertext []byte
}

// maybeVisit reports whether an item could be a visit record: an addition
// of one small part.
func maybeVisit(it vault.Item) bool {
	return it.N > 0 && len(it.Parts) == 1 && it.Parts[0].Size <= 64<<10
}

// safeUses opens the candidates an import kept and returns the visits with
// her safe receipt among them. What cannot be opened here is not one.
func safeUses(cands []safeCandidate, identities []age.Identity) []safeCandidate {
	var out []safeCandidate
	for _, c := range cands {
		h, r, err := vault.OpenPart(bytes.NewReader(c.ciphertext), identities...)
		if err != nil || h.Kind != vault.KindVisit {
			continue
		}
		n, ok, err := openVisit(r, identities)
		if err == nil && ok && n.Receipt == vault.ReceiptSecond {
			c.ciphertext = []byte(n.Chose)
			out = append(out, c)
		}
	}
	return out
}

// recordSafeUses records, in the import's transaction, each visit with
// her safe receipt: a custody entry on the submission and its
// derived record, encrypted to the team, saying what she chose. A
// workspace without a team keeps none (show and list still mark it).
func (w *Workspace) recordSafeUses(tx *bolt.Tx, actor string, uses []safeCandidate) error {
	if len(uses) == 0 {
		return nil
	}
	if team, err := teamTx(tx); err != nil || len(team) == 0 {
		return err
	}
	for _, u := range uses {
		r := record{Kind: ActionSafeReceipt, Text: string(u.ciphertext), Used: u.it.Day}
		if _, err := w.addRecordTx(tx, u.it.ID, actor, r, vault.Hash{}, "safe receipt records"); err != nil {
			return err
		}
	}
	return nil
}
