package intake

import (
	"crypto/sha256"
	"math/big"
	"net/http"
	"slices"
	"sync"
	"time"

	"testimony/vault"
)

// The second, safe receipt (THREAT_MODEL.md, "Someone who forces her to
// open her account"). Both receipts are drawn and both look-up tags stored
// when her submission is committed; the second is offered under the first
// and shown only if she asks, so every account has two tags and the
// server cannot tell a used second tag from a dummy. What she asks its use
// to mean goes into the notes stored with the tags, encrypted to the
// reviewers; a return visit with either receipt runs the same code and
// leaves the same record, carrying the note of the tag it found.

// secondOffer is what the offer form carries, sealed with the process's
// in-memory key: her submission, the second receipt and both tags.
type secondOffer struct {
	id            vault.ID
	value         string
	first, second []byte
}

const offerLen = 16 + receiptDigits + 2*sha256.Size

func (s *Server) sealSecond(o secondOffer) string {
	b := make([]byte, 0, offerLen)
	b = append(b, o.id...)
	b = append(b, o.value...)
	b = append(b, o.first...)
	b = append(b, o.second...)
	return s.sealReceipt(string(b), "second", "")
}

func (s *Server) openSecond(sealed string) (secondOffer, bool) {
	v, ok := s.openSealed(sealed, "second", "")
	if !ok || len(v) != offerLen {
		return secondOffer{}, false
	}
	id, err := vault.ParseID(v[:16])
	if err != nil {
		return secondOffer{}, false
	}
	return secondOffer{id: id, value: v[16 : 16+receiptDigits], first: []byte(v[16+receiptDigits : 16+receiptDigits+32]), second: []byte(v[16+receiptDigits+32:])}, true
}

// receiptTags seals the notes of a submission's two tags: the first
// receipt's, and the second's with what she chose ("" while she has not
// taken it).
func (s *Server) receiptTags(first, second []byte, chose string) ([]vault.ReceiptTag, error) {
	n1, err := vault.SealReceiptNote(vault.ReceiptNote{Version: 1, Receipt: vault.ReceiptFirst}, s.cfg.Recipients)
	if err != nil {
		return nil, err
	}
	n2, err := vault.SealReceiptNote(vault.ReceiptNote{Version: 1, Receipt: vault.ReceiptSecond, Chose: chose}, s.cfg.Recipients)
	if err != nil {
		return nil, err
	}
	return []vault.ReceiptTag{{Tag: first, Note: n1}, {Tag: second, Note: n2}}, nil
}

// second gives her the second receipt, once, and records what she chose
// its use to mean by rewriting both notes together.
func (s *Server) second(w http.ResponseWriter, r *http.Request) {
	l, formID, ok := s.spendSmallPost(w, r, tokenSecond)
	if !ok {
		return
	}
	o, ok := s.openSecond(r.PostForm.Get("second"))
	chose := r.PostForm.Get("chose")
	if !ok || !slices.Contains(vault.Choices, chose) {
		s.forms.release(formID) // nothing changed: the form may be sent again
		s.failWith(w, l, errMalformed, "")
		return
	}
	tags, err := s.receiptTags(o.first, o.second, chose)
	if err == nil {
		err = s.cfg.Store.SetReceiptNotes(o.id, tags...)
	}
	if err != nil {
		s.forms.release(formID)
		s.failWith(w, l, err, "")
		return
	}
	v, _ := new(big.Int).SetString(o.value, 10)
	rc := receiptFromValue(l, v)
	check := s.forms.issue(tokenCheck)
	s.render(w, http.StatusOK, "second", pageData{Lang: l, Receipt: &rc, Chose: chose, Sealed: s.sealReceipt(o.value, l, check), Form: check})
}

// offerChoice is one of the plain-words meanings she may give her second
// receipt, as the offer form lists them.
type offerChoice struct {
	Code, Label string
	Checked     bool
}

var choiceKeys = map[string]string{
	vault.ChoseQuiet:    "secondQuiet",
	vault.ChosePressure: "secondPressure",
	vault.ChoseWithdraw: "secondWithdraw",
}

// Choices lists what her second receipt's use may mean, the first checked.
func (d pageData) Choices() []offerChoice {
	var out []offerChoice
	for i, c := range vault.Choices {
		out = append(out, offerChoice{c, d.T(choiceKeys[c]), i == 0})
	}
	return out
}

// Chosen is what she chose, in her language.
func (d pageData) Chosen() string { return d.T(choiceKeys[d.Chose]) }

// maxVisitRecords bounds the visit records one look-up tag leaves in a
// day, so that a flood of visits with one receipt cannot fill the disk. The
// count lives in memory only.
const maxVisitRecords = 4

type visitLog struct {
	mu  sync.Mutex
	day string
	n   map[string]int // look-up tag → records today
}

func (v *visitLog) take(tag []byte) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if day := vault.Day(time.Now()); day != v.day || v.n == nil {
		v.day, v.n = day, map[string]int{}
	}
	if v.n[string(tag)] >= maxVisitRecords {
		return false
	}
	v.n[string(tag)]++
	return true
}

// recordVisit stores, for the reviewers, that submission id was opened
// today with the receipt whose tag carries note: an addition of one visit
// part holding the note as it is. It is the same write for both receipts.
func (s *Server) recordVisit(id vault.ID, tag, note []byte) error {
	if s.cfg.Store.Full() || !s.visitLog.take(tag) {
		return nil
	}
	sub, err := s.cfg.Store.BeginAddition(id, s.cfg.Recipients)
	if err != nil {
		return err
	}
	defer sub.Abort()
	pw, err := sub.CreatePart(vault.PartHeader{Kind: vault.KindVisit})
	if err != nil {
		return err
	}
	if _, err := pw.Write(note); err != nil {
		return err
	}
	if err := pw.Close(); err != nil {
		return err
	}
	_, err = sub.Commit(nil)
	return err
}
