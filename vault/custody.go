package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Hash is a SHA-256 digest.
type Hash [32]byte

// String returns the hash in lowercase hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash reads a hash written by [Hash.String].
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 64 || strings.ToLower(s) != s {
		return h, malformed("a hash must be 64 lowercase hex digits")
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, malformed("a hash must be 64 lowercase hex digits")
	}
	return h, nil
}

// Custody actions recorded by the intake server.
const (
	ActionSubmit = "submit" // a new submission was committed
	ActionAdd    = "add"    // she came back and added text, files or a withdrawal
	ActionExport = "export" // a bundle was exported; Item is the bundle's hash
	ActionReply  = "reply"  // a reviewer's reply was imported; Item is its ciphertext's hash
)

// Entry is one link of a custody chain: who did what to which item, on what
// day. Its hash is the SHA-256 of its encoding, and the next entry's Prev.
type Entry struct {
	Seq    uint64 // 1 for the first entry, then consecutive
	Prev   Hash   // hash of the entry before; zero for the first
	Day    string // UTC day, YYYY-MM-DD: never a finer time
	Actor  string // "intake", or a reviewer's key fingerprint
	Action string // what was done, e.g. ActionSubmit
	Item   Hash   // hash of the item acted on
}

const (
	custodyMagic = "custody/v1"
	maxToken     = 128
	// MaxEntryLine bounds one encoded entry: magic, four fields and two hashes.
	MaxEntryLine = len(custodyMagic) + 20 + 64 + 10 + 2*maxToken + 64 + 6
)

// Day returns the UTC day of t in the form custody entries and items use.
func Day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// NamesItem reports whether the entry's Item is the hash of an item record
// (a submission or an addition), which a bundle must then carry; the other
// server actions name a bundle or a reply.
func (e Entry) NamesItem() bool { return e.Action == ActionSubmit || e.Action == ActionAdd }

// Marshal returns the entry's one-line encoding, without a newline.
func (e Entry) Marshal() []byte {
	return fmt.Appendf(nil, "%s %d %s %s %s %s %s", custodyMagic, e.Seq, e.Prev, e.Day, e.Actor, e.Action, e.Item)
}

// Hash returns the SHA-256 of the entry's encoding.
func (e Entry) Hash() Hash { return sha256.Sum256(e.Marshal()) }

// ParseEntry decodes one line made by [Entry.Marshal]. It accepts exactly
// that encoding and nothing else, so each entry has one encoding and one hash.
func ParseEntry(line []byte) (Entry, error) {
	var e Entry
	if len(line) > MaxEntryLine {
		return e, malformed("custody entry is too long")
	}
	f := strings.Split(string(line), " ")
	if len(f) != 7 || f[0] != custodyMagic {
		if len(f) > 0 && strings.HasPrefix(f[0], "custody/") {
			return e, malformed("custody entry version %q is not supported", truncate(f[0]))
		}
		return e, malformed("not a %s entry", custodyMagic)
	}
	seq, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil || seq == 0 || strconv.FormatUint(seq, 10) != f[1] {
		return e, malformed("custody entry has a bad sequence number")
	}
	e.Seq = seq
	if e.Prev, err = ParseHash(f[2]); err != nil {
		return e, err
	}
	if !validDay(f[3]) {
		return e, malformed("custody entry has a bad day")
	}
	e.Day = f[3]
	if !validToken(f[4]) || !validToken(f[5]) {
		return e, malformed("custody entry has a bad actor or action")
	}
	e.Actor, e.Action = f[4], f[5]
	if e.Item, err = ParseHash(f[6]); err != nil {
		return e, err
	}
	return e, nil
}

func validDay(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Format(time.DateOnly) == s
}

func validToken(s string) bool {
	if s == "" || len(s) > maxToken {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("._:+-", c)
		if !ok {
			return false
		}
	}
	return true
}

func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// ChainError says where a custody chain breaks.
type ChainError struct {
	Seq     uint64 // the entry at which the break shows
	Problem string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("custody chain broken at entry %d: %s", e.Seq, e.Problem)
}

// ErrChain is wrapped by every *ChainError, for errors.Is.
var ErrChain = errors.New("custody chain broken")

// Unwrap makes a *ChainError match [ErrChain].
func (e *ChainError) Unwrap() error { return ErrChain }

// Head is where a chain ends: the last entry's sequence and hash. The zero
// Head is the start of an empty chain.
type Head struct {
	Seq  uint64
	Hash Hash
}

// Next returns the entry that would follow h, for the caller to fill in.
func (h Head) Next() Entry { return Entry{Seq: h.Seq + 1, Prev: h.Hash} }

// Verify checks that entries continue the chain from h without a gap, an
// insertion, a reordering or an edit, and returns the new head. An edited
// last entry is caught only against a head known from elsewhere, which is
// why bundles carry their head and workspaces remember it.
func (h Head) Verify(entries []Entry) (Head, error) {
	for _, e := range entries {
		if e.Seq != h.Seq+1 {
			return h, &ChainError{e.Seq, fmt.Sprintf("expected entry %d next", h.Seq+1)}
		}
		if e.Prev != h.Hash {
			return h, &ChainError{e.Seq, "it does not follow the entry before (dropped, inserted, reordered or edited)"}
		}
		h = Head{e.Seq, e.Hash()}
	}
	return h, nil
}
