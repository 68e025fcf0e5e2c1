package review

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

func TestNotesAndTags(t *testing.T) {
	f := newFull(t)
	if err := f.reviewer(t).Note(f.rich, "check the dates with the 2018 account\nsecond line"); err != nil {
		t.Fatal(err)
	}
	if err := f.reviewer(t).Tag(f.rich, []string{"urgent", "양강도", "follow-up"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.reviewer(t).Tag(f.rich, nil, []string{"urgent"}); err != nil {
		t.Fatal(err)
	}
	c, err := f.reviewer(t).Read(f.rich)
	if err != nil {
		t.Fatal(err)
	}
	actor := f.reviewer(t).Actor()
	if len(c.Notes) != 1 || c.Notes[0].Text != "check the dates with the 2018 account\nsecond line" || c.Notes[0].Actor != actor {
		t.Fatalf("notes %+v", c.Notes)
	}
	if strings.Join(c.Tags, ",") != "follow-up,양강도" {
		t.Fatalf("tags %v", c.Tags)
	}
	var out bytes.Buffer
	c.Format(&out)
	if !strings.Contains(out.String(), "\nnotes\n  ") || !strings.Contains(out.String(), "    second line\n") || !strings.Contains(out.String(), "tags        follow-up, 양강도\n") {
		t.Fatalf("show:\n%s", out.String())
	}
	for _, bad := range []error{
		f.reviewer(t).Note(f.rich, " \n"),
		f.reviewer(t).Tag(f.rich, []string{"two words"}, nil),
		f.reviewer(t).Tag(f.rich, nil, nil),
		f.reviewer(t).Note(vault.NewID(), "on nothing"),
	} {
		if bad == nil {
			t.Error("a bad note or tag was accepted")
		}
	}
	if _, err := f.w.Unlock([]age.Identity{vaulttest.Identity(t)}); !errors.Is(err, ErrNotOnTeam) {
		t.Errorf("a stranger's key unlocked: %v", err)
	}
	if rep, _ := f.w.Verify(); !rep.OK() {
		t.Fatalf("verify after notes: %v", rep.Problems)
	}
}

// objectDigests returns the SHA-256 of every sealed original, by path.
func objectDigests(t *testing.T, dir string) string {
	t.Helper()
	return treeDigest(t, filepath.Join(dir, objectsDir))
}

func TestRecipientsAddRetire(t *testing.T) {
	f := newFull(t)
	if err := f.reviewer(t).Note(f.rich, "a note for the team"); err != nil {
		t.Fatal(err)
	}
	before := objectDigests(t, f.dir)
	b := vaulttest.Identity(t)
	if err := f.reviewer(t).AddRecipient(b.Recipient()); err != nil {
		t.Fatal(err)
	}
	if err := f.reviewer(t).AddRecipient(b.Recipient()); err == nil {
		t.Fatal("adding a member twice was accepted")
	}
	// The new member reads the notes (re-encrypted to her)…
	bIDs := []age.Identity{b}
	d, err := f.w.derivedFor(f.rich, bIDs)
	if err != nil || len(d.Notes) != 1 {
		t.Fatalf("new member reads notes: %+v, %v", d, err)
	}
	// …but not the originals, which the server encrypted to the old team.
	if _, err := unlock(t, f.w, bIDs).Read(f.rich); !errors.Is(err, ErrNoIdentityMatch) {
		t.Fatalf("new member reads an old original: %v", err)
	}
	// Retiring: never the key in use, never the last; then the old key
	// can neither act nor read the notes.
	if err := f.reviewer(t).RetireRecipient(f.id.Recipient()); err == nil || !strings.Contains(err.Error(), "the key you are using") {
		t.Fatalf("retiring one's own key: %v", err)
	}
	if err := unlock(t, f.w, bIDs).RetireRecipient(f.id.Recipient()); err != nil {
		t.Fatal(err)
	}
	if err := unlock(t, f.w, bIDs).RetireRecipient(b.Recipient()); err == nil {
		t.Fatal("retiring the last member was accepted")
	}
	if _, err := f.w.Unlock(f.ids()); !errors.Is(err, ErrNoIdentityMatch) {
		t.Fatalf("retired key unlocks: %v", err)
	}
	var cts [][]byte
	f.w.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDerived).ForEach(func(k, v []byte) error {
			cts = append(cts, bytes.Clone(v))
			return nil
		})
	})
	for _, ct := range cts {
		if _, err := age.Decrypt(bytes.NewReader(ct), f.id); err == nil {
			t.Fatal("the retired key still decrypts a note")
		}
	}
	if got := objectDigests(t, f.dir); got != before {
		t.Fatal("changing the team changed a sealed original")
	}
	team, _ := f.w.Recipients()
	if len(team) != 1 || team[0] != b.Recipient().String() {
		t.Fatalf("team %v", team)
	}
	if rep, _ := f.w.Verify(); !rep.OK() {
		t.Fatalf("verify after rotation: %v", rep.Problems)
	}
	var actions []string
	f.w.db.View(func(tx *bolt.Tx) error {
		es, _ := entries(tx, bucketLog)
		for _, e := range es {
			actions = append(actions, e.Action)
		}
		return nil
	})
	if got := strings.Join(actions, " "); !strings.HasSuffix(got, "note recipient-add recipient-retire") {
		t.Fatalf("log %s", got)
	}
}

// TestTwoReviewers: two reviewers with their own keys and workspaces import
// the same bundles and see the same thing.
func TestTwoReviewers(t *testing.T) {
	store, _ := vaulttest.Open(t)
	a, b := vaulttest.Identity(t), vaulttest.Identity(t)
	team := []age.Recipient{a.Recipient(), b.Recipient()}
	for _, text := range []string{"first account", "두 번째 이야기"} {
		if _, err := vaulttest.Submit(store, team, vaulttest.Text(text), vaulttest.Consent(vault.UseReview)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	info, err := store.WriteBundle(&buf, team, false)
	if err != nil {
		t.Fatal(err)
	}
	store.RecordExport(info, vault.Hash{})
	view := func(id *age.X25519Identity) string {
		w, _ := openWorkspace(t, team...)
		if _, err := unlock(t, w, []age.Identity{id}).Import(bytes.NewReader(buf.Bytes()), nil); err != nil {
			t.Fatal(err)
		}
		sums, err := unlock(t, w, []age.Identity{id}).List()
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		for _, s := range sums {
			if err := unlock(t, w, []age.Identity{id}).Show(s.ID, &out); err != nil {
				t.Fatal(err)
			}
		}
		return out.String()
	}
	va, vb := view(a), view(b)
	if va != vb || !strings.Contains(va, "두 번째 이야기") {
		t.Fatalf("the two reviewers see different things:\n%s\n---\n%s", va, vb)
	}
}

func TestInitRefusals(t *testing.T) {
	dir := t.TempDir()
	rec := vaulttest.Identity(t).Recipient()
	if _, err := Init(filepath.Join(dir, "none"), nil); err == nil {
		t.Fatal("a team of nobody was accepted")
	}
	w, err := Init(filepath.Join(dir, "ws"), []age.Recipient{rec})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := Init(filepath.Join(dir, "ws"), []age.Recipient{rec}); !errors.Is(err, ErrExists) {
		t.Fatalf("init twice: %v", err)
	}
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Init(filepath.Join(dir, "mixed"), []age.Recipient{rec, pq.Recipient()}); err == nil || !strings.Contains(err.Error(), "cannot be used together") {
		t.Fatalf("mixed post-quantum and classic team: %v", err)
	}
}
