package review

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
	"filippo.io/age/plugin"

	"testimony/internal/agekey"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// passphraseFile writes identity, encrypted with passphrase as "age -p"
// does (with a cheap work factor), armored if asked.
func passphraseFile(t *testing.T, identity, passphrase string, armored bool) string {
	t.Helper()
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	var buf bytes.Buffer
	var dst io.WriteCloser = nopCloser{&buf}
	if armored {
		dst = armor.NewWriter(&buf)
	}
	w, err := age.Encrypt(dst, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("# created for a test\n" + identity + "\n"))
	w.Close()
	dst.Close()
	path := filepath.Join(t.TempDir(), "key.age")
	os.WriteFile(path, buf.Bytes(), 0o600)
	return path
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestPassphraseIdentity(t *testing.T) {
	f := newFull(t)
	for _, armored := range []bool{false, true} {
		path := passphraseFile(t, f.id.String(), "correct horse", armored)
		asked := 0
		opts := agekey.IdentityOptions{Passphrase: func(file string) (string, error) {
			asked++
			if file != path {
				t.Errorf("asked for %s", file)
			}
			return "correct horse", nil
		}}
		ids, err := opts.Load([]string{path})
		if err != nil {
			t.Fatal(err)
		}
		if asked != 0 {
			t.Fatal("asked for the passphrase before it was needed")
		}
		if _, err := unlock(t, f.w, ids).List(); err != nil {
			t.Fatal(err)
		}
		if _, err := unlock(t, f.w, ids).Read(f.rich); err != nil {
			t.Fatal(err)
		}
		if asked != 1 {
			t.Fatalf("asked %d times for the passphrase, want once", asked)
		}
		// A wrong passphrase is said plainly, and asked for only once.
		asked = 0
		opts.Passphrase = func(string) (string, error) { asked++; return "wrong", nil }
		ids, _ = opts.Load([]string{path})
		if _, err := f.w.Unlock(ids); !errors.Is(err, agekey.ErrWrongPassphrase) {
			t.Fatalf("wrong passphrase: %v", err)
		}
		f.w.Unlock(ids)
		if asked != 1 {
			t.Fatalf("asked %d times for a wrong passphrase, want once", asked)
		}
		// No way to ask.
		ids, _ = agekey.LoadIdentities([]string{path})
		if _, err := f.w.Unlock(ids); !errors.Is(err, agekey.ErrNoPassphrase) {
			t.Fatalf("no terminal: %v", err)
		}
	}
	// An age file encrypted to a key, not a passphrase.
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, vaulttest.Identity(t).Recipient())
	w.Write([]byte(f.id.String()))
	w.Close()
	path := filepath.Join(t.TempDir(), "not-pass.age")
	os.WriteFile(path, buf.Bytes(), 0o600)
	ids, _ := agekey.IdentityOptions{Passphrase: func(string) (string, error) { return "x", nil }}.Load([]string{path})
	if _, err := f.w.Unlock(ids); err == nil || !strings.Contains(err.Error(), "not with a passphrase") {
		t.Fatalf("key-encrypted identity file: %v", err)
	}
}

func TestPostQuantumIdentity(t *testing.T) {
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	recs := []age.Recipient{pq.Recipient()}
	id, err := vaulttest.Submit(f.store, recs, vaulttest.Text("post-quantum account"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.store.WriteBundle(&buf, recs, false); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "pq.key")
	os.WriteFile(keyFile, []byte(pq.String()+"\n"), 0o600)
	ids, err := agekey.LoadIdentities([]string{keyFile})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := openWorkspace(t, pq.Recipient())
	if _, err := unlock(t, w, ids).Import(&buf, nil); err != nil {
		t.Fatal(err)
	}
	c, err := unlock(t, w, ids).Read(id)
	if err != nil || c.Texts[0].Body != "post-quantum account" {
		t.Fatalf("Read: %v", err)
	}
	actor := unlock(t, w, ids).Actor()
	if actor != Fingerprint(pq.Recipient().String()) {
		t.Fatalf("actor %s", actor)
	}
	if err := unlock(t, w, ids).Note(id, "noted"); err != nil {
		t.Fatal(err)
	}
}

func TestPluginIdentityMissing(t *testing.T) {
	f := newFull(t)
	t.Setenv("PATH", t.TempDir())
	keyFile := filepath.Join(t.TempDir(), "yubikey.key")
	os.WriteFile(keyFile, []byte(plugin.EncodeIdentity("nosuchkey", []byte("slot 1"))+"\n"), 0o600)
	ids, err := agekey.LoadIdentities([]string{keyFile})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.w.Unlock(ids)
	if !errors.Is(err, agekey.ErrPluginMissing) || !strings.Contains(err.Error(), "age-plugin-nosuchkey") {
		t.Fatalf("missing plugin: %v", err)
	}
}

func TestNoIdentityMatches(t *testing.T) {
	f := newFull(t)
	_, err := f.w.Unlock([]age.Identity{vaulttest.Identity(t)})
	if !errors.Is(err, ErrNotOnTeam) || !errors.Is(err, ErrNoIdentityMatch) || err.Error() != "no identity matches this workspace's team recipients" {
		t.Fatalf("Unlock with a stranger's key: %v", err)
	}
	// Several identities: the one that matches is used, whatever its place.
	rv, err := f.w.Unlock([]age.Identity{vaulttest.Identity(t), f.id})
	if err != nil || rv.Actor() != Fingerprint(f.id.Recipient().String()) {
		t.Fatalf("Unlock: %v", err)
	}
}

func TestFingerprint(t *testing.T) {
	got := Fingerprint("age1m7lvcdt937s9ps877ryvttapm94ey5wqn820rlkkmlxjt2ncpdrsnm3xdv")
	if !strings.HasPrefix(got, "reviewer:") || len(got) != len("reviewer:")+16 {
		t.Fatalf("Fingerprint = %q", got)
	}
	if _, err := vault.ParseEntry([]byte("custody/v1 1 " + strings.Repeat("0", 64) + " 2024-05-01 " + got + " show " + strings.Repeat("0", 64))); err != nil {
		t.Fatalf("a fingerprint is not a custody actor: %v", err)
	}
}
