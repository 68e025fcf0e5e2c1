package agekey

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"filippo.io/age"
)

// unwrapBoth unwraps stanzas with age's identity and the prepared one and
// fails unless both give the same file key, or both fail alike.
func unwrapBoth(t *testing.T, id *age.X25519Identity, p *preparedX25519, stanzas []*age.Stanza) {
	t.Helper()
	want, wantErr := id.Unwrap(stanzas)
	got, gotErr := p.Unwrap(stanzas)
	if !bytes.Equal(got, want) || (gotErr == nil) != (wantErr == nil) ||
		errors.Is(gotErr, age.ErrIncorrectIdentity) != errors.Is(wantErr, age.ErrIncorrectIdentity) {
		t.Fatalf("age: %x, %v; prepared: %x, %v", want, wantErr, got, gotErr)
	}
}

// stanzasOf returns the recipient stanzas of an age file encrypted to
// recipients, parsed by age itself.
func stanzasOf(t testing.TB, recipients ...age.Recipient) []*age.Stanza {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, recipients...)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	var rec stanzaRecorder
	age.Decrypt(&buf, &rec)
	return rec.stanzas
}

// stanzaRecorder is an identity that keeps the stanzas it is shown.
type stanzaRecorder struct{ stanzas []*age.Stanza }

func (r *stanzaRecorder) Unwrap(s []*age.Stanza) ([]byte, error) {
	r.stanzas = s
	return nil, age.ErrIncorrectIdentity
}

func TestPreparedX25519MatchesAge(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	p, err := prepareX25519(id)
	if err != nil {
		t.Fatal(err)
	}
	third, _ := age.GenerateX25519Identity()
	pq, _ := age.GenerateHybridIdentity()
	cases := map[string][]*age.Stanza{
		"ours":            stanzasOf(t, id.Recipient()),
		"another's":       stanzasOf(t, other.Recipient()),
		"post-quantum":    stanzasOf(t, pq.Recipient()),
		"ours among many": stanzasOf(t, other.Recipient(), third.Recipient(), id.Recipient()),
		"none":            nil,
	}
	mutate := func(name string, change func(s *age.Stanza)) {
		s := stanzasOf(t, id.Recipient())[0]
		change(s)
		cases[name] = []*age.Stanza{s}
	}
	mutate("other type", func(s *age.Stanza) { s.Type = "x25519" })
	mutate("two args", func(s *age.Stanza) { s.Args = append(s.Args, "x") })
	mutate("padded share", func(s *age.Stanza) { s.Args[0] += "=" })
	mutate("short share", func(s *age.Stanza) { s.Args[0] = s.Args[0][:40] })
	mutate("newline in share", func(s *age.Stanza) { s.Args[0] = s.Args[0][:20] + "\n" + s.Args[0][20:] })
	mutate("low-order share", func(s *age.Stanza) { s.Args[0] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
	mutate("short body", func(s *age.Stanza) { s.Body = s.Body[:31] })
	mutate("long body", func(s *age.Stanza) { s.Body = append(s.Body, 0) })
	mutate("flipped body", func(s *age.Stanza) { s.Body[3] ^= 1 })
	mutate("other share", func(s *age.Stanza) { s.Args[0] = stanzasOf(t, id.Recipient())[0].Args[0] })
	for name, stanzas := range cases {
		t.Run(name, func(t *testing.T) { unwrapBoth(t, id, p, stanzas) })
	}
}

// TestPreparedDecryptsWhatAgeDoes decrypts files with the prepared
// identity through age's own Decrypt.
func TestPreparedDecryptsWhatAgeDoes(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	p, err := prepareX25519(id)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, id.Recipient())
	io.WriteString(w, "그날 밤")
	w.Close()
	r, err := age.Decrypt(&buf, p)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r); string(b) != "그날 밤" {
		t.Fatalf("decrypted %q", b)
	}
	// Prepared identities come first, as age puts its own kinds before a
	// plugin's: a plugin is not started for a part the key can read.
	rec := &stanzaRecorder{}
	if got := Prepared([]age.Identity{rec, id}); len(got) != 2 {
		t.Fatalf("prepared returned %d identities", len(got))
	} else if _, ok := got[0].(*preparedX25519); !ok {
		t.Fatalf("an X25519 identity was not prepared and put first: %T", got[0])
	}
	buf.Reset()
	w, _ = age.Encrypt(&buf, id.Recipient())
	w.Close()
	if _, err := age.Decrypt(&buf, Prepared([]age.Identity{rec, id})...); err != nil || rec.stanzas != nil {
		t.Fatalf("the other identity was tried first (%v)", err)
	}
}

func FuzzPreparedX25519(f *testing.F) {
	id, _ := age.GenerateX25519Identity()
	p, err := prepareX25519(id)
	if err != nil {
		f.Fatal(err)
	}
	s := stanzasOf(f, id.Recipient())[0]
	f.Add(s.Type, s.Args[0], s.Body)
	f.Add("X25519", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", make([]byte, 32))
	f.Fuzz(func(t *testing.T, typ, arg string, body []byte) {
		unwrapBoth(t, id, p, []*age.Stanza{{Type: typ, Args: []string{arg}, Body: body}})
	})
}

// TestX25519FromScalar: the identity made from a scalar is the one age
// makes from the same key, and prepareX25519 reads the scalar back.
func TestX25519FromScalar(t *testing.T) {
	scalar := make([]byte, 32)
	rand.Read(scalar)
	id, err := X25519FromScalar(scalar)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prepareX25519(id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.priv.Bytes(), scalar) {
		t.Fatal("the identity holds another scalar")
	}
	if _, err := X25519FromScalar(scalar[:31]); err == nil {
		t.Fatal("a 31-byte scalar made an identity")
	}
}
