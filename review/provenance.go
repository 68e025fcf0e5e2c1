package review

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// Provenance a server cannot match. A statement (format v2) names the
// sealed originals it came from by keyed commitments, never by their
// SHA-256, which the intake server keeps in clear:
//
//	K    32 random bytes, one per workspace, kept sealed to the team
//	     (bucket secrets, "provenance-key"; re-encrypted on team changes)
//	salt 16 random bytes, one per statement, printed in it
//	Ks   = HMAC-SHA256(K, "testimony-statement/v2 provenance\x00" || salt)
//	c_i  = HMAC-SHA256(Ks, SHA-256 of sealed original i)
//
// Without Ks, c_i says nothing about the original (HMAC is a PRF), so a
// seized server, or anyone holding the same photo, cannot tie the
// statement to her record. To prove provenance later the organisation
// discloses Ks for that one statement (Prove computes it), and the
// verifier recomputes each c_i from the sealed original's SHA-256 in the
// server's custody records. Ks is one-way from K: disclosing it for one
// statement says nothing about any other. Finding another original with
// the same c_i would be an HMAC-SHA256 collision, so the organisation
// cannot claim a different source either.
//
// The export's custody entry names the statement by c = HMAC-SHA256(Ks,
// SHA-256 of the statement file), and the link to the submission (its ID,
// the use, every file and its SHA-256, any override) is a record sealed
// to the team in the exports bucket, keyed by the entry's number.

const provenanceLabel = "testimony-statement/v2 provenance\x00"

// provenanceKey returns the workspace's provenance key, making it the
// first time.
func (w *Workspace) provenanceKey(identities []age.Identity) ([]byte, error) {
	var ct []byte
	w.db.View(func(tx *bolt.Tx) error {
		ct = bytes.Clone(tx.Bucket(bucketSecrets).Get(keyProvenance))
		return nil
	})
	if ct != nil {
		k, err := openBytes(ct, identities, 64)
		if err == nil && len(k) != 32 {
			err = fmt.Errorf("%w: the provenance key is damaged", vault.ErrMalformed)
		}
		return k, err
	}
	k := make([]byte, 32)
	rand.Read(k)
	err := w.db.Update(func(tx *bolt.Tx) error {
		team, err := teamTx(tx)
		if err != nil {
			return err
		}
		if len(team) == 0 {
			return fmt.Errorf("%w: statements need one (review init)", ErrNoTeam)
		}
		ct, err := sealBytes(k, recipientsOf(team))
		if err != nil {
			return err
		}
		return tx.Bucket(bucketSecrets).Put(keyProvenance, ct)
	})
	return k, err
}

func statementKey(k, salt []byte) []byte {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(provenanceLabel))
	m.Write(salt)
	return m.Sum(nil)
}

func commit(ks []byte, h vault.Hash) vault.Hash {
	m := hmac.New(sha256.New, ks)
	m.Write(h[:])
	var c vault.Hash
	m.Sum(c[:0])
	return c
}

// exportRecord is the sealed record of one export.
type exportRecord struct {
	Kind       string       `json:"kind"` // "export"
	Submission vault.ID     `json:"submission"`
	Seq        uint64       `json:"seq"`
	Day        string       `json:"day"`
	Actor      string       `json:"actor"`
	Use        vault.Use    `json:"use"`
	Format     string       `json:"format"`
	Files      []exportFile `json:"files"`
	Override   bool         `json:"override,omitempty"` // attachments passed through uncleaned
}

type exportFile struct {
	Name   string `json:"name"` // base name
	SHA256 string `json:"sha256"`
}

// Export is one export of a submission, as its sealed record says.
type Export struct {
	Seq      uint64
	Day      string
	Actor    string
	Use      vault.Use
	Format   string
	Files    []string // base names, the statement first
	Override bool     // attachments were let out uncleaned
}

// Exports returns the exports of submission id, oldest first, from their
// sealed records.
func (rv *Reviewer) Exports(id vault.ID) ([]Export, error) {
	w := rv.w
	var cts [][]byte
	w.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketExports); b != nil {
			b.ForEach(func(_, v []byte) error { cts = append(cts, bytes.Clone(v)); return nil })
		}
		return nil
	})
	var out []Export
	for _, ct := range cts {
		plain, err := openBytes(ct, rv.ids, maxDerived)
		if err != nil {
			return nil, err
		}
		var r exportRecord
		if err := json.Unmarshal(bytes.TrimRight(plain, "\x00"), &r); err != nil {
			return nil, fmt.Errorf("%w: an export record does not decode", vault.ErrMalformed)
		}
		if r.Submission != id {
			continue
		}
		e := Export{Seq: r.Seq, Day: r.Day, Actor: r.Actor, Use: r.Use, Format: r.Format, Override: r.Override}
		for _, f := range r.Files {
			e.Files = append(e.Files, f.Name)
		}
		out = append(out, e)
	}
	return out, nil
}

// Proof is what proves where a statement came from.
type Proof struct {
	// StatementKey is Ks, to disclose for this statement alone.
	StatementKey string
	// Originals are the SHA-256 sums of the sealed originals the
	// statement's commitments open to, as the server's records name
	// them, in the statement's order.
	Originals []vault.Hash
	// Submission is the submission they belong to.
	Submission vault.ID
}

var (
	saltPattern   = regexp.MustCompile(`salt[^0-9a-f]{1,8}([0-9a-f]{32})\b`)
	saltToken     = regexp.MustCompile(`\b[0-9a-f]{32}\b`)
	commitPattern = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
)

// Prove finds which sealed originals of this workspace a statement it
// exported commits to, and the statement key that lets anyone check it.
// statement is the file as exported, in any format.
func (rv *Reviewer) Prove(statement []byte) (*Proof, error) {
	w := rv.w
	// The salt is labelled in JSON and Markdown; in CSV it is a column,
	// so any lone 32-digit hex value is tried.
	var salts [][]byte
	for _, m := range saltPattern.FindAllSubmatch(statement, -1) {
		salts = append(salts, m[1])
	}
	if salts == nil {
		salts = saltToken.FindAll(statement, -1)
	}
	if salts == nil {
		return nil, fmt.Errorf("%w: the file has no provenance salt (a statement of format v2 has one)", ErrNoProvenance)
	}
	var commitments []vault.Hash
	for _, c := range commitPattern.FindAll(statement, -1) {
		var h vault.Hash
		hex.Decode(h[:], c)
		if !slices.Contains(commitments, h) {
			commitments = append(commitments, h)
		}
	}
	k, err := w.provenanceKey(rv.ids)
	if err != nil {
		return nil, err
	}
	items, err := w.Items()
	if err != nil {
		return nil, err
	}
	for _, salt := range salts {
		raw, _ := hex.DecodeString(string(salt))
		ks := statementKey(k, raw)
		p := &Proof{StatementKey: hex.EncodeToString(ks)}
		opens := map[vault.Hash]vault.Hash{} // commitment → original
		owner := map[vault.Hash]vault.ID{}
		for _, it := range items {
			for _, part := range it.Parts {
				c := commit(ks, part.Hash)
				opens[c], owner[part.Hash] = part.Hash, it.ID
			}
		}
		for _, c := range commitments {
			if h, ok := opens[c]; ok {
				if p.Submission != "" && owner[h] != p.Submission {
					return nil, fmt.Errorf("%w: its commitments open to originals of two submissions", vault.ErrMalformed)
				}
				p.Originals, p.Submission = append(p.Originals, h), owner[h]
			}
		}
		if len(p.Originals) > 0 {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: none of its commitments opens to a sealed original here", ErrNoProvenance)
}
