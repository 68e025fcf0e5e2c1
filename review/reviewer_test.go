package review

import (
	"bytes"
	"encoding/base64"
	"io"
	"os"
	"sync/atomic"
	"testing"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/tests/vaulttest"
)

// unlock is w.Unlock for a test that expects ids to be on the team.
func unlock(t testing.TB, w *Workspace, ids []age.Identity) *Reviewer {
	t.Helper()
	rv, err := w.Unlock(ids)
	if err != nil {
		t.Fatalf("unlock: %v", err)
	}
	return rv
}

// countingIdentity is a real X25519 identity that counts what it is asked
// to unwrap, as a hardware key behind a plugin would be asked (and might
// ask its holder for a touch or a PIN each time): every decryption, and
// among them the key checks, told apart by their stanza bodies, which
// appear in no other age file.
type countingIdentity struct {
	*age.X25519Identity
	checkHeaders      [][]byte
	unwraps, keyCheck atomic.Int64
}

func newCountingIdentity(t *testing.T, w *Workspace, id *age.X25519Identity) *countingIdentity {
	t.Helper()
	c := &countingIdentity{X25519Identity: id}
	err := w.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKeyCheck).ForEach(func(_, v []byte) error {
			h, err := age.ExtractHeader(bytes.NewReader(v))
			c.checkHeaders = append(c.checkHeaders, h)
			return err
		})
	})
	if err != nil || len(c.checkHeaders) == 0 {
		t.Fatalf("key checks: %d, %v", len(c.checkHeaders), err)
	}
	return c
}

func (c *countingIdentity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	c.unwraps.Add(1)
	for _, s := range stanzas {
		body := []byte(base64.RawStdEncoding.EncodeToString(s.Body))
		for _, h := range c.checkHeaders {
			if bytes.Contains(h, body) {
				c.keyCheck.Add(1)
			}
		}
	}
	return c.X25519Identity.Unwrap(stanzas)
}

// TestOneIdentityCheckPerCommand: what each review command does, done
// through one Reviewer, checks the identity against the team's key checks
// once, however many methods it calls (note, outbox and custody -i have
// nothing else to decrypt here); before Reviewer, note and reply
// checked twice, and a program calling several methods paid once per call.
func TestOneIdentityCheckPerCommand(t *testing.T) {
	f := newFull(t)
	if err := vaulttest.Add(f.store, f.plain, []age.Recipient{f.id.Recipient()}, vaulttest.Text("more")); err != nil {
		t.Fatal(err)
	}
	next := f.export(t, "next.age", false)
	for _, cmd := range []struct {
		name string
		run  func(rv *Reviewer) error
	}{
		{"import", func(rv *Reviewer) error {
			b, err := os.Open(next)
			if err != nil {
				return err
			}
			defer b.Close()
			_, err = rv.Import(b, nil)
			return err
		}},
		{"list", func(rv *Reviewer) error { _, _, err := rv.ListReadable(); return err }},
		{"show", func(rv *Reviewer) error { return rv.Show(f.rich, io.Discard) }},
		{"attachment", func(rv *Reviewer) error { _, err := rv.CopyAttachment(f.rich, 1, io.Discard); return err }},
		{"search", func(rv *Reviewer) error { _, _, err := rv.SearchReadable("remembered"); return err }},
		{"note", func(rv *Reviewer) error { return rv.Note(f.rich, "a note") }},
		{"tag", func(rv *Reviewer) error {
			if err := rv.Tag(f.rich, []string{"urgent"}, nil); err != nil {
				return err
			}
			_, err := rv.Tags(f.rich)
			return err
		}},
		{"redact", func(rv *Reviewer) error {
			plan, _, err := rv.Plan(f.rich, nil, false)
			if err != nil {
				return err
			}
			return rv.SavePlan(f.rich, plan)
		}},
		{"outbox", func(rv *Reviewer) error { _, err := rv.Outbox(); return err }},
		{"custody -i", func(rv *Reviewer) error { _, err := rv.Exports(f.rich); return err }},
		{"recipients add", func(rv *Reviewer) error { return rv.AddRecipient(vaulttest.Identity(t).Recipient()) }},
	} {
		id := newCountingIdentity(t, f.w, f.id)
		rv, err := f.w.Unlock([]age.Identity{id})
		if err != nil {
			t.Fatalf("%s: unlock: %v", cmd.name, err)
		}
		if err := cmd.run(rv); err != nil {
			t.Fatalf("%s: %v", cmd.name, err)
		}
		if n := id.keyCheck.Load(); n != 1 {
			t.Errorf("%s: %d key checks, want one", cmd.name, n)
		}
		if quiet := cmd.name == "note" || cmd.name == "outbox" || cmd.name == "custody -i"; id.unwraps.Load() < 2 && !quiet {
			t.Errorf("%s: the identity unwrapped %d time(s): it did not decrypt what the command read", cmd.name, id.unwraps.Load())
		}
	}
}
