package vault

import (
	"bytes"
	"errors"
	"testing"
)

func chain(n int) []Entry {
	var es []Entry
	h := Head{}
	for i := range n {
		e := h.Next()
		e.Day, e.Actor, e.Action = "2026-11-23", "intake", ActionSubmit
		e.Item[0] = byte(i)
		es = append(es, e)
		h = Head{e.Seq, e.Hash()}
	}
	return es
}

func TestChainDetectsTampering(t *testing.T) {
	es := chain(5)
	if _, err := (Head{}).Verify(es); err != nil {
		t.Fatal(err)
	}
	edited := append([]Entry(nil), es...)
	edited[2].Action = "export"
	dropped := append(append([]Entry(nil), es[:2]...), es[3:]...)
	reordered := []Entry{es[0], es[2], es[1], es[3], es[4]}
	extra := es[1]
	extra.Item[5] = 9
	inserted := append(append(append([]Entry(nil), es[:2]...), extra), es[2:]...)
	renumbered := append([]Entry(nil), es...)
	for i := range renumbered[2:] {
		renumbered[2+i].Seq++
	}
	for name, c := range map[string][]Entry{
		"edited": edited, "dropped": dropped, "reordered": reordered,
		"inserted": inserted, "renumbered": renumbered,
	} {
		_, err := (Head{}).Verify(c)
		var ce *ChainError
		if !errors.As(err, &ce) || !errors.Is(err, ErrChain) {
			t.Errorf("%s: got %v, want a *ChainError", name, err)
		}
	}
	// An edit of the last entry shows only against a head known elsewhere.
	last := append([]Entry(nil), es...)
	last[4].Action = "export"
	got, _ := (Head{}).Verify(last)
	want, _ := (Head{}).Verify(es)
	if got == want {
		t.Error("an edited last entry gives the same head")
	}
}

func TestParseEntryRoundTrip(t *testing.T) {
	for _, e := range chain(3) {
		got, err := ParseEntry(e.Marshal())
		if err != nil || got != e {
			t.Fatalf("round trip: %v", err)
		}
	}
}

func TestParseEntryRefuses(t *testing.T) {
	good := string(chain(1)[0].Marshal())
	z := "0000000000000000000000000000000000000000000000000000000000000000"
	for name, line := range map[string]string{
		"other version": "custody/v2 1 " + z + " 2026-11-23 intake submit " + z,
		"leading zero":  "custody/v1 01 " + z + " 2026-11-23 intake submit " + z,
		"zero seq":      "custody/v1 0 " + z + " 2026-11-23 intake submit " + z,
		"upper hex":     "custody/v1 1 " + z[:63] + "A 2026-11-23 intake submit " + z,
		"bad day":       "custody/v1 1 " + z + " 2026-13-01 intake submit " + z,
		"exact time":    "custody/v1 1 " + z + " 2026-11-23T10:00 intake submit " + z,
		"upper actor":   "custody/v1 1 " + z + " 2026-11-23 Intake submit " + z,
		"double space":  "custody/v1 1  " + z + " 2026-11-23 intake submit " + z,
		"trailing":      good + " ",
		"newline":       good + "\n",
		"empty":         "",
	} {
		if _, err := ParseEntry([]byte(line)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzParseEntry(f *testing.F) {
	for _, e := range chain(2) {
		f.Add(e.Marshal())
	}
	f.Add([]byte("custody/v1 1 x 2026-11-23 intake submit y"))
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := ParseEntry(line)
		if err != nil {
			return
		}
		// One entry, one encoding: whatever parses re-encodes to itself.
		if !bytes.Equal(e.Marshal(), line) {
			t.Fatalf("%q parsed but re-encodes as %q", line, e.Marshal())
		}
	})
}

func TestParseItemRoundTrip(t *testing.T) {
	it := Item{ID: NewID(), N: 3, Day: "2026-11-23", Parts: []PartInfo{{4311, Hash{1}}, {131400, Hash{2}}}}
	got, err := ParseItem(it.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash() != it.Hash() || len(got.Parts) != 2 {
		t.Fatal("round trip changed the item")
	}
	for name, rec := range map[string]string{
		"no parts":      "testimony-item/v1\nitem aaaaaaaaaaaaaaaa 0\nday 2026-11-23\n",
		"other version": "testimony-item/v2\n",
		"bad id":        "testimony-item/v1\nitem AAAA 0\nday 2026-11-23\npart 1 " + Hash{}.String() + "\n",
		"no newline":    string(it.Marshal()[:len(it.Marshal())-1]),
		"zero size":     "testimony-item/v1\nitem aaaaaaaaaaaaaaaa 0\nday 2026-11-23\npart 0 " + Hash{}.String() + "\n",
	} {
		if _, err := ParseItem([]byte(rec)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzParseItem(f *testing.F) {
	f.Add(Item{ID: NewID(), Day: "2026-11-23", Parts: []PartInfo{{4311, Hash{1}}}}.Marshal())
	f.Add([]byte("testimony-item/v1\nitem aaaaaaaaaaaaaaaa 0\nday 2026-11-23\n"))
	f.Fuzz(func(t *testing.T, rec []byte) {
		it, err := ParseItem(rec)
		if err != nil {
			return
		}
		if !bytes.Equal(it.Marshal(), rec) {
			t.Fatalf("%q parsed but re-encodes differently", rec)
		}
	})
}

func TestParseID(t *testing.T) {
	id := NewID()
	if got, err := ParseID(string(id)); err != nil || got != id {
		t.Fatalf("ParseID(%q) = %q, %v", id, got, err)
	}
	for _, s := range []string{"", "abc", string(id) + "a", "ABCDEFGHIJKLMNOP", "aaaaaaaaaaaaaaa1"} {
		if _, err := ParseID(s); err == nil {
			t.Errorf("ParseID(%q) accepted", s)
		}
	}
}
