package vault

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"

	"filippo.io/age"
)

func readAll(t testing.TB, data []byte, ids ...age.Identity) (*Bundle, map[Hash][]byte, error) {
	t.Helper()
	parts := map[Hash][]byte{}
	r := BundleReader{Identities: ids, Part: func(it Item, i int, ct io.Reader) error {
		b, err := io.ReadAll(ct)
		parts[it.Parts[i].Hash] = b
		return err
	}}
	b, err := r.Read(bytes.NewReader(data))
	return b, parts, err
}

func TestBundleRoundTripAndCursor(t *testing.T) {
	s, _ := openStore(t)
	id := newIdentity(t)
	rec := []age.Recipient{id.Recipient()}
	if _, err := s.WriteBundle(io.Discard, rec, false); !errors.Is(err, ErrNothingNew) {
		t.Fatalf("empty store: got %v, want ErrNothingNew", err)
	}
	a := putParts(t, s, id.Recipient(), nil, []byte("first"))
	b := putParts(t, s, id.Recipient(), nil, []byte("second"), bytes.Repeat([]byte("y"), 300<<10))
	var buf bytes.Buffer
	info, err := s.WriteBundle(&buf, rec, false)
	if err != nil {
		t.Fatal(err)
	}
	if info.From != 1 || info.To != 2 || info.Items != 2 {
		t.Fatalf("info = %+v", info)
	}
	bun, parts, err := readAll(t, buf.Bytes(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(bun.Items) != 2 || bun.Items[0].ID != a && bun.Items[1].ID != a || bun.Last().Hash != info.Head {
		t.Fatalf("bundle = %+v", bun)
	}
	_ = b
	for _, it := range bun.Items {
		for _, p := range it.Parts {
			h, r, err := OpenPart(bytes.NewReader(parts[p.Hash]), id)
			if err != nil || h.Kind != KindText {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.RecordExport(info, Hash{9}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteBundle(io.Discard, rec, false); !errors.Is(err, ErrNothingNew) {
		t.Fatalf("after export: got %v, want ErrNothingNew", err)
	}
	putParts(t, s, id.Recipient(), nil, []byte("third"))
	buf.Reset()
	info2, err := s.WriteBundle(&buf, rec, false)
	if err != nil {
		t.Fatal(err)
	}
	// The next bundle starts with the export entry, so the chain is whole.
	if info2.From != 3 || info2.To != 4 || info2.Items != 1 {
		t.Fatalf("second bundle info = %+v", info2)
	}
	bun2, _, err := readAll(t, buf.Bytes(), id)
	if err != nil {
		t.Fatal(err)
	}
	if bun2.First() != bun.Last() || bun2.Custody[0].Action != ActionExport || bun2.Custody[0].Item != (Hash{9}) {
		t.Fatal("second bundle does not continue the first")
	}
	all, err := s.WriteBundle(io.Discard, rec, true)
	if err != nil || all.From != 1 || all.Items != 3 {
		t.Fatalf("-all: %+v, %v", all, err)
	}
}

// plainBundle returns the decrypted content of a bundle, for tests that
// alter it and re-encrypt it, as an attacker holding a reviewer key could.
func plainBundle(t testing.TB, data []byte, id age.Identity) []byte {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadBundleRefusesInconsistentContent(t *testing.T) {
	s, _ := openStore(t)
	id := newIdentity(t)
	putParts(t, s, id.Recipient(), nil, []byte("first"))
	putParts(t, s, id.Recipient(), nil, []byte("second"))
	var buf bytes.Buffer
	if _, err := s.WriteBundle(&buf, []age.Recipient{id.Recipient()}, false); err != nil {
		t.Fatal(err)
	}
	plain := plainBundle(t, buf.Bytes(), id)
	lines := bytes.SplitAfter(plain, []byte("\n"))
	// Header: magic, server, created, reply-auth, "custody 2", entry 1,
	// entry 2, "items 2".
	dropEntry := bytes.Join(append(append([][]byte{}, lines[:4]...), append([][]byte{[]byte("custody 1\n")}, lines[6:]...)...), nil)
	swapped := bytes.Join(append(append(append([][]byte{}, lines[:5]...), lines[6], lines[5]), lines[7:]...), nil)
	cases := map[string][]byte{
		"entry removed":   dropEntry,
		"entries swapped": swapped,
		"truncated":       plain[:len(plain)-10],
		"no end":          bytes.TrimSuffix(plain, []byte("end\n")),
		"data after end":  append(bytes.Clone(plain), 'x'),
		"other version":   bytes.Replace(plain, []byte("testimony-bundle/v1"), []byte("testimony-bundle/v9"), 1),
		"part altered":    func() []byte { b := bytes.Clone(plain); b[len(b)-100] ^= 1; return b }(),
	}
	for name, p := range cases {
		_, err := (&BundleReader{}).read(bufio.NewReader(bytes.NewReader(p)))
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := (&BundleReader{}).read(bufio.NewReader(bytes.NewReader(plain))); err != nil {
		t.Fatalf("unaltered bundle refused: %v", err)
	}
}

func FuzzReadBundle(f *testing.F) {
	s, _ := openStore(f)
	id := newIdentity(f)
	putParts(f, s, id.Recipient(), nil, []byte("first"))
	var buf bytes.Buffer
	if _, err := s.WriteBundle(&buf, []age.Recipient{id.Recipient()}, false); err != nil {
		f.Fatal(err)
	}
	f.Add(plainBundle(f, buf.Bytes(), id))
	f.Add([]byte("testimony-bundle/v1\nserver 00000000000000000000000000000000\ncreated 2026-11-23\nreply-auth 0000000000000000000000000000000000000000000000000000000000000000\ncustody 0\nitems 0\nend\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := (&BundleReader{}).read(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			return
		}
		if _, err := b.First().Verify(b.Custody); err != nil {
			t.Fatalf("accepted a broken chain: %v", err)
		}
		named := map[Hash]bool{}
		for _, e := range b.Custody {
			named[e.Item] = true
		}
		for _, it := range b.Items {
			if !named[it.Hash()] {
				t.Fatal("accepted an item no entry names")
			}
		}
	})
}
