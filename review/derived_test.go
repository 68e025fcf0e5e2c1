package review

import (
	"bytes"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

func TestRecordRoundTrip(t *testing.T) {
	id := vaulttest.Identity(t)
	r := record{Kind: ActionNote, Submission: vault.NewID(), Seq: 7, Day: "2024-05-01", Actor: "reviewer:0123456789abcdef", Text: "노트"}
	ct, err := sealRecord(r, []age.Recipient{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := openRecord(ct, derivedKey(r.Submission, r.Seq), []age.Identity{id})
	if err != nil || got.Text != r.Text || got.Actor != r.Actor {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	// Filed under another submission or entry, it is refused.
	if _, err := openRecord(ct, derivedKey(vault.NewID(), r.Seq), []age.Identity{id}); err == nil {
		t.Fatal("a record moved to another submission was accepted")
	}
	if _, err := openRecord(ct, derivedKey(r.Submission, 8), []age.Identity{id}); err == nil {
		t.Fatal("a record moved to another entry was accepted")
	}
}

// FuzzDecodeRecord: any plaintext either decodes to a record that encodes
// back to exactly the same bytes, or is refused; it never panics.
func FuzzDecodeRecord(f *testing.F) {
	sub := vault.ID("aaaaaaaaaaaaaaaa")
	key := derivedKey(sub, 3)
	good := plainRecord(record{Kind: ActionTag, Submission: sub, Seq: 3, Day: "2024-05-01", Actor: "review", Add: []string{"x"}})
	f.Add(good)
	f.Add(good[:100])
	f.Add([]byte("testimony-derived/v2\n{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeRecord(data, key)
		if err != nil {
			return
		}
		if again := plainRecord(r); !bytes.Equal(again, data) {
			t.Fatalf("a record decoded from %q encodes as %q", data, again)
		}
	})
}
