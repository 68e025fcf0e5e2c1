package bech32

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	"filippo.io/age"
)

// TestAgainstAge round-trips keys through age's own encoder and parser.
func TestAgainstAge(t *testing.T) {
	for range 50 {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		hrp, scalar, err := Decode(id.String())
		if err != nil || hrp != "age-secret-key-" || len(scalar) != 32 {
			t.Fatalf("decoding %s: %q, %d bytes, %v", id, hrp, len(scalar), err)
		}
		back, err := age.ParseX25519Identity(strings.ToUpper(Encode(hrp, scalar)))
		if err != nil || back.String() != id.String() {
			t.Fatalf("re-encoding: %v", err)
		}
		_, pub, err := Decode(id.Recipient().String())
		if err != nil || len(pub) != 32 {
			t.Fatalf("decoding %s: %v", id.Recipient(), err)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	good := Encode("age", bytes.Repeat([]byte{7}, 32))
	for name, s := range map[string]string{
		"mixed case":     "Age" + good[3:],
		"wrong checksum": good[:len(good)-1] + string(charset[(strings.IndexByte(charset, good[len(good)-1])+1)%32]),
		"bad character":  good[:10] + "b" + good[11:],
		"no separator":   "agexyz",
		"too short":      "a1qqqq",
		"kelvin sign":    "\u212a" + strings.ToUpper(Encode("k", []byte{1, 2, 3}))[1:],
		"not ascii":      good + "é",
	} {
		if _, _, err := Decode(s); err == nil {
			t.Errorf("%s: %q decoded", name, s)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode("age", []byte("0123456789abcdef0123456789abcdef")))
	f.Add("AGE-SECRET-KEY-1QQQQQQ")
	f.Fuzz(func(t *testing.T, s string) {
		hrp, data, err := Decode(s)
		if err != nil {
			return
		}
		for i := range len(s) {
			if s[i] < 33 || s[i] > 126 {
				t.Fatalf("%q decoded with a byte outside printable ASCII", s)
			}
		}
		if got := Encode(hrp, data); !strings.EqualFold(got, s) {
			t.Fatalf("%q decodes and re-encodes as %q", s, got)
		}
	})
}

func TestRandomRoundTrip(t *testing.T) {
	for n := range 40 {
		data := make([]byte, n)
		rand.Read(data)
		hrp, got, err := Decode(Encode("x", data))
		if err != nil || hrp != "x" || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: %v", n, err)
		}
	}
}
