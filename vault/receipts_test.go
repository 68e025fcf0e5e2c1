package vault

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"filippo.io/age"
)

// TestReceiptNotes: two tags committed with a submission each find it
// with their own note; the notes of one store have one size whatever they
// say; rewriting them needs tags of that submission, and changes nothing
// when one is not.
func TestReceiptNotes(t *testing.T) {
	s, _ := openStore(t)
	id, _ := age.GenerateX25519Identity()
	rs := []age.Recipient{id.Recipient()}
	seal := func(n ReceiptNote) []byte {
		b, err := SealReceiptNote(n, rs)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first, second := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	n1, n2 := seal(ReceiptNote{Version: 1, Receipt: ReceiptFirst}), seal(ReceiptNote{Version: 1, Receipt: ReceiptSecond})
	n3 := seal(ReceiptNote{Version: 1, Receipt: ReceiptSecond, Chose: ChoseWithdraw})
	if len(n1) != len(n2) || len(n2) != len(n3) {
		t.Fatalf("note sizes %d %d %d, want one size", len(n1), len(n2), len(n3))
	}
	sub := s.Begin(rs)
	w, _ := sub.CreatePart(PartHeader{Kind: KindText})
	w.Write([]byte("account"))
	w.Close()
	a, err := sub.CommitReceipts(ReceiptTag{first, n1}, ReceiptTag{second, n2})
	if err != nil {
		t.Fatal(err)
	}
	b := putParts(t, s, id.Recipient(), bytes.Repeat([]byte{3}, 32), []byte("another"))
	for tag, want := range map[byte][]byte{1: n1, 2: n2} {
		got, note, err := s.LookupReceiptNote(bytes.Repeat([]byte{tag}, 32))
		if err != nil || got != a || !bytes.Equal(note, want) {
			t.Fatalf("tag %d: %s %v, note as stored: %v", tag, got, err, bytes.Equal(note, want))
		}
	}
	if err := s.SetReceiptNotes(b, ReceiptTag{second, n3}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("notes of another submission's tag rewritten: %v", err)
	}
	if err := s.SetReceiptNotes(a, ReceiptTag{first, n1}, ReceiptTag{bytes.Repeat([]byte{9}, 32), n3}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown tag: %v", err)
	}
	if _, note, _ := s.LookupReceiptNote(second); !bytes.Equal(note, n2) {
		t.Fatal("a refused rewrite changed a note")
	}
	if err := s.SetReceiptNotes(a, ReceiptTag{first, n1}, ReceiptTag{second, n3}); err != nil {
		t.Fatal(err)
	}
	if _, note, _ := s.LookupReceiptNote(second); !bytes.Equal(note, n3) {
		t.Fatal("the second note was not rewritten")
	}
	h, r, err := OpenPart(bytes.NewReader(n3), id)
	if err != nil || h.Kind != KindReceipt {
		t.Fatal(err)
	}
	var n ReceiptNote
	data, _ := io.ReadAll(r)
	if err := UnmarshalForm(data, &n); err != nil || n != (ReceiptNote{Version: 1, Receipt: ReceiptSecond, Chose: ChoseWithdraw}) {
		t.Fatalf("note %+v, %v", n, err)
	}
}

func TestReceiptNoteRefusals(t *testing.T) {
	for _, bad := range []string{
		`{"version":2,"receipt":"first"}`,
		`{"version":1,"receipt":"third"}`,
		`{"version":1,"receipt":"first","chose":"quiet"}`,
		`{"version":1,"receipt":"second","chose":"loud"}`,
		`{"version":1,"receipt":"second","why":"x"}`,
	} {
		var n ReceiptNote
		if err := UnmarshalForm([]byte(bad), &n); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want malformed", bad, err)
		}
	}
}

func FuzzReceiptNote(f *testing.F) {
	f.Add([]byte(`{"version":1,"receipt":"first"}`))
	f.Add([]byte(`{"version":1,"receipt":"second","chose":"pressure"}`))
	f.Add([]byte(`{"version":1,"receipt":"second"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var n ReceiptNote
		if UnmarshalForm(data, &n) != nil {
			return
		}
		b, err := MarshalForm(n)
		if err != nil {
			t.Fatal(err)
		}
		var again ReceiptNote
		if err := UnmarshalForm(b, &again); err != nil || again != n {
			t.Fatalf("%q decodes to %+v, which encodes to %q: %+v %v", data, n, b, again, err)
		}
	})
}

// The receipt note and visit part vectors (docs/formats.md, "The second
// (safe) receipt"), made once like the others.
func TestMakeReceiptVectors(t *testing.T) {
	if !*updateVectors {
		t.Skip("run with -update-vectors to rewrite testdata/vectors")
	}
	id := vectorIdentity(t)
	note, err := SealReceiptNote(vectorNote, []age.Recipient{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	writeVector(t, "receipt-note.age", note)
	writeVector(t, "part-visit.age", seal(t, PartHeader{Kind: KindVisit}, note, 1, id.Recipient()))
}

var vectorNote = ReceiptNote{Version: 1, Receipt: ReceiptSecond, Chose: ChosePressure}

func TestReceiptVectors(t *testing.T) {
	id := vectorIdentity(t)
	h, r, err := OpenPart(bytes.NewReader(vector(t, "part-visit.age")), id)
	if err != nil || h.Kind != KindVisit {
		t.Fatalf("part-visit.age: %+v %v", h, err)
	}
	inner, _ := io.ReadAll(r)
	if !bytes.Equal(inner, vector(t, "receipt-note.age")) {
		t.Fatal("part-visit.age does not hold receipt-note.age")
	}
	h, r, err = OpenPart(bytes.NewReader(inner), id)
	if err != nil || h.Kind != KindReceipt {
		t.Fatalf("receipt-note.age: %+v %v", h, err)
	}
	data, _ := io.ReadAll(r)
	var n ReceiptNote
	if err := UnmarshalForm(data, &n); err != nil || n != vectorNote {
		t.Fatalf("receipt-note.age: %+v %v", n, err)
	}
}
