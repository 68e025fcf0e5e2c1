package review

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// What reviewers derive from a submission (notes, tags; later redaction
// plans and approvals) is kept as records, each an age file encrypted to
// the whole team and stored in the index under the submission's ID and
// the sequence number of the custody entry that recorded it. The binding
// is checked both ways: the record names its submission and entry inside
// the encryption, and Verify checks every entry has its record.
//
// The plaintext is
//
//	testimony-derived/v1\n
//	{"kind":"note",…}\n      one JSON object, unknown fields refused
//	<zero bytes up to vault.Bucket of the length so far>
//
// padded like testimony parts, so a note's size says little.

const derivedMagic = "testimony-derived/v1"

const (
	// MaxNote bounds a note: it is read into memory, and a note is not a
	// place for a document.
	MaxNote = 1 << 20
	// maxTag bounds one tag, in bytes.
	maxTag = 64
	// maxDerived bounds a derived record's plaintext as read back.
	maxDerived = 4 << 20
)

// record is the plaintext of one derived record.
type record struct {
	Kind       string   `json:"kind"` // "note" or "tag"
	Submission vault.ID `json:"submission"`
	Seq        uint64   `json:"seq"` // the workspace custody entry that recorded it
	Day        string   `json:"day"`
	Actor      string   `json:"actor"`
	Text       string   `json:"text,omitempty"`   // a note
	Add        []string `json:"add,omitempty"`    // tags added
	Remove     []string `json:"remove,omitempty"` // tags removed
	Used       string   `json:"used,omitempty"`   // safe-receipt: the day of the visit
}

func derivedKey(id vault.ID, seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(id), seq)
}

// plainRecord returns the padded plaintext of r: its one canonical
// encoding.
func plainRecord(r record) []byte {
	j, err := json.Marshal(r)
	if err != nil {
		panic(err) // a record holds only strings, numbers and lists of strings
	}
	plain := append([]byte(derivedMagic+"\n"), j...)
	plain = append(plain, '\n')
	return append(plain, make([]byte, vault.Bucket(int64(len(plain)))-int64(len(plain)))...)
}

func sealRecord(r record, recipients []age.Recipient) ([]byte, error) {
	return sealBytes(plainRecord(r), recipients)
}

func openRecord(ct []byte, key []byte, identities []age.Identity) (record, error) {
	var r record
	plain, err := age.Decrypt(bytes.NewReader(ct), identities...)
	if err != nil {
		return r, noMatch(err, "a note or tag record")
	}
	data, err := io.ReadAll(io.LimitReader(plain, maxDerived+1))
	if err != nil || len(data) > maxDerived {
		return r, fmt.Errorf("%w: a derived record is damaged or too long", vault.ErrMalformed)
	}
	return decodeRecord(data, key)
}

func decodeRecord(data, key []byte) (record, error) {
	var r record
	magic, rest, _ := bytes.Cut(data, []byte("\n"))
	if string(magic) != derivedMagic {
		if bytes.HasPrefix(magic, []byte("testimony-derived/")) && utf8.Valid(magic) && len(magic) < 40 {
			return r, fmt.Errorf("%w: derived record version %q is not supported; update this tool", vault.ErrMalformed, magic)
		}
		return r, fmt.Errorf("%w: not a %s record", vault.ErrMalformed, derivedMagic)
	}
	line, pad, ok := bytes.Cut(rest, []byte("\n"))
	n := int64(len(magic) + 1 + len(line) + 1)
	if !ok || int64(len(data)) != vault.Bucket(n) || bytes.ContainsFunc(pad, func(c rune) bool { return c != 0 }) {
		return r, fmt.Errorf("%w: a derived record is not padded as it should be", vault.ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("%w: a derived record does not decode", vault.ErrMalformed)
	}
	if !bytes.Equal(derivedKey(r.Submission, r.Seq), key) || !isDerivedAction(r.Kind) {
		return r, fmt.Errorf("%w: a derived record is filed under the wrong submission or entry", vault.ErrMalformed)
	}
	// One record, one encoding: nothing can be changed in it that would
	// decode to the same record.
	if !bytes.Equal(plainRecord(r), data) {
		return r, fmt.Errorf("%w: a derived record is not in canonical form", vault.ErrMalformed)
	}
	return r, nil
}

// addRecord seals r to the team and stores it with its custody entry, in
// one transaction.
func (w *Workspace) addRecord(id vault.ID, actor string, r record) error {
	return w.db.Update(func(tx *bolt.Tx) error {
		_, err := w.addRecordTx(tx, id, actor, r, vault.Hash{}, "notes and tags")
		return err
	})
}

// addRecordTx appends a custody entry for r on submission id, fills in
// what the entry says (its number, day and actor), seals r to the team and
// stores it; it returns the record's key. The entry names names, or if
// that is zero the submission's first item. what names what needs a team,
// for the error when there is none.
func (w *Workspace) addRecordTx(tx *bolt.Tx, id vault.ID, actor string, r record, names vault.Hash, what string) ([]byte, error) {
	items, err := submissionTx(tx, id)
	if err != nil {
		return nil, err
	}
	team, err := teamTx(tx)
	if err != nil {
		return nil, err
	}
	if len(team) == 0 {
		return nil, fmt.Errorf("%w: %s need one (review init)", ErrNoTeam, what)
	}
	if names == (vault.Hash{}) {
		names = items[0].Hash()
	}
	e, err := w.appendLog(tx, actor, r.Kind, names)
	if err != nil {
		return nil, err
	}
	r.Submission, r.Seq, r.Day, r.Actor = id, e.Seq, e.Day, actor
	ct, err := sealRecord(r, recipientsOf(team))
	if err != nil {
		return nil, err
	}
	key := derivedKey(id, e.Seq)
	return key, tx.Bucket(bucketDerived).Put(key, ct)
}

// Note adds a note to submission id, encrypted to the team.
func (rv *Reviewer) Note(id vault.ID, text string) error {
	w := rv.w
	if strings.TrimSpace(text) == "" {
		return ErrEmptyNote
	}
	if len(text) > MaxNote {
		return fmt.Errorf("the note is longer than %d bytes", MaxNote)
	}
	if !utf8.ValidString(text) {
		return errors.New("the note is not valid UTF-8 text")
	}
	return w.addRecord(id, rv.actor, record{Kind: ActionNote, Text: text})
}

// CheckTag reports whether t can be a tag: 1 to 64 bytes of letters
// (any script), digits, "-", "_" and ".".
func CheckTag(t string) error {
	if t == "" || len(t) > maxTag || !utf8.ValidString(t) {
		return fmt.Errorf("a tag is 1 to %d bytes of letters, digits, '-', '_' and '.'", maxTag)
	}
	for _, c := range t {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("-_.", c) {
			return fmt.Errorf("a tag is 1 to %d bytes of letters, digits, '-', '_' and '.'", maxTag)
		}
	}
	if t[0] == '-' {
		// "tag ID -d urgent" would otherwise add a tag "-d".
		return errors.New("a tag cannot start with '-': it would read as an option")
	}
	return nil
}

// Tag adds and removes tags on submission id. The change is recorded
// encrypted to the team, like a note.
func (rv *Reviewer) Tag(id vault.ID, add, remove []string) error {
	w := rv.w
	for _, t := range append(slices.Clone(add), remove...) {
		if err := CheckTag(t); err != nil {
			return err
		}
	}
	if len(add)+len(remove) == 0 {
		return errors.New("no tags given")
	}
	if len(remove) > 0 {
		d, err := w.derivedFor(id, rv.ids)
		if err != nil {
			return err
		}
		for _, t := range remove {
			if !slices.Contains(d.Tags, t) {
				if len(d.Tags) == 0 {
					return fmt.Errorf("%w %q: it has no tags", ErrNoSuchTag, t)
				}
				return fmt.Errorf("%w %q (its tags: %s)", ErrNoSuchTag, t, strings.Join(append([]string{}, d.Tags...), ", "))
			}
		}
	}
	return w.addRecord(id, rv.actor, record{Kind: ActionTag, Add: add, Remove: remove})
}

// Tags returns the current tags of submission id, sorted.
func (rv *Reviewer) Tags(id vault.ID) ([]string, error) {
	w := rv.w
	d, err := w.derivedFor(id, rv.ids)
	if err != nil {
		return nil, err
	}
	return d.Tags, nil
}

// Note is a reviewer's note on a submission, or a reply to her.
type Note struct {
	Day   string
	Actor string
	Text  string
	// For a reply: Seq is the custody entry that recorded it, which
	// names it for "review outbox -cancel"; State is "waiting" while it is
	// in the outbox, "cancelled", or "" once sent.
	Seq   uint64
	State string
}

// derived is what the reviewers derived about one submission.
type derived struct {
	Notes   []Note
	Replies []Note   // replies written to her, as the team's copy
	Tags    []string // current tags, sorted
}

// records decrypts the derived records of submission id, in the order
// they were made.
func (w *Workspace) records(id vault.ID, identities []age.Identity) ([]record, error) {
	type kv struct{ k, v []byte }
	var raw []kv
	err := w.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDerived).Cursor()
		prefix := []byte(id)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			raw = append(raw, kv{bytes.Clone(k), bytes.Clone(v)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var recs []record
	for _, r := range raw {
		rec, err := openRecord(r.v, r.k, identities)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// derivedFor decrypts the records of submission id, in the order they were
// made.
func (w *Workspace) derivedFor(id vault.ID, identities []age.Identity) (derived, error) {
	var d derived
	recs, err := w.records(id, identities)
	if err != nil {
		return d, err
	}
	waiting := map[uint64]bool{}
	w.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, _ := c.Seek([]byte(id)); k != nil && bytes.HasPrefix(k, []byte(id)) && len(k) == len(id)+8; k, _ = c.Next() {
			waiting[binary.BigEndian.Uint64(k[len(id):])] = true
		}
		return nil
	})
	tags := map[string]bool{}
	for _, rec := range recs {
		switch rec.Kind {
		case ActionNote:
			d.Notes = append(d.Notes, Note{Day: rec.Day, Actor: rec.Actor, Text: rec.Text})
		case ActionReply:
			n := Note{Day: rec.Day, Actor: rec.Actor, Text: rec.Text, Seq: rec.Seq}
			if waiting[rec.Seq] {
				n.State = "waiting"
			}
			d.Replies = append(d.Replies, n)
		case ActionReplyCancel:
			for i := range d.Replies {
				if strconv.FormatUint(d.Replies[i].Seq, 10) == rec.Text {
					d.Replies[i].State = "cancelled"
				}
			}
		case ActionTag:
			for _, t := range rec.Add {
				tags[t] = true
			}
			for _, t := range rec.Remove {
				delete(tags, t)
			}
		}
	}
	for t := range tags {
		d.Tags = append(d.Tags, t)
	}
	slices.Sort(d.Tags)
	return d, nil
}

// reencrypt decrypts every derived record and kept secret with identities
// and encrypts it again to recipients, in the caller's transaction.
func reencrypt(tx *bolt.Tx, identities []age.Identity, recipients []age.Recipient) error {
	if err := reseal(tx.Bucket(bucketSecrets), identities, recipients, 4096, nil); err != nil {
		return err
	}
	if b := tx.Bucket(bucketExports); b != nil {
		if err := reseal(b, identities, recipients, maxDerived, nil); err != nil {
			return err
		}
	}
	// A record is checked before it is sealed again, so damage is reported
	// rather than carried over under a fresh encryption.
	return reseal(tx.Bucket(bucketDerived), identities, recipients, maxDerived, func(k, plain []byte) error {
		_, err := decodeRecord(plain, k)
		return err
	})
}

// reseal decrypts every value of b with identities and encrypts the same
// plaintext again to recipients, after check (if not nil) accepts it.
func reseal(b *bolt.Bucket, identities []age.Identity, recipients []age.Recipient, max int64, check func(k, plain []byte) error) error {
	type kv struct{ k, v []byte }
	var all []kv
	b.ForEach(func(k, v []byte) error {
		all = append(all, kv{bytes.Clone(k), bytes.Clone(v)})
		return nil
	})
	for _, r := range all {
		plain, err := openBytes(r.v, identities, max)
		if err == nil && check != nil {
			err = check(r.k, plain)
		}
		if err != nil {
			return fmt.Errorf("re-encrypting: %w", err)
		}
		ct, err := sealBytes(plain, recipients)
		if err != nil {
			return err
		}
		if err := b.Put(r.k, ct); err != nil {
			return err
		}
	}
	return nil
}

// ReadNote reads a note's text from r, bounded by MaxNote.
func ReadNote(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(bufio.NewReader(r), MaxNote+1))
	if err != nil {
		return "", err
	}
	if len(data) > MaxNote {
		return "", fmt.Errorf("the note is longer than %d bytes", MaxNote)
	}
	return string(data), nil
}
