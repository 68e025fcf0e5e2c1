package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"filippo.io/age"
)

// newIdentity is vaulttest.Identity for the tests inside the package,
// which cannot import vaulttest (external_test.go says why).
func newIdentity(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func seal(t testing.TB, h PartHeader, content []byte, writes int, recipients ...age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewPartWriter(&buf, h, recipients...)
	if err != nil {
		t.Fatal(err)
	}
	// Write in several calls to exercise framing across writes.
	step := max(1, len(content)/max(1, writes))
	for p := content; len(p) > 0; {
		n := min(step, len(p))
		if _, err := w.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPartRoundTrip(t *testing.T) {
	id := newIdentity(t)
	for _, size := range []int{0, 1, 100, 4000, 4096, 70000, 1<<20 + 3} {
		content := make([]byte, size)
		rand.Read(content)
		h := PartHeader{Kind: KindAttachment, Name: "사진 1.jpg", Type: "image/jpeg"}
		ct := seal(t, h, content, 7, id.Recipient())
		gotH, r, err := OpenPart(bytes.NewReader(ct), id)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if gotH != h || !bytes.Equal(got, content) {
			t.Fatalf("size %d: round trip changed the part", size)
		}
	}
}

// TestPartSizesFallInBuckets shows what a seized store learns of sizes: all
// texts up to about 4 KiB have one ciphertext size, and larger ones only the
// power of two.
func TestPartSizesFallInBuckets(t *testing.T) {
	id := newIdentity(t)
	sizes := map[int]bool{}
	for _, n := range []int{0, 1, 17, 500, 2000, 4000} {
		sizes[len(seal(t, PartHeader{Kind: KindText}, make([]byte, n), 1, id.Recipient()))] = true
	}
	if len(sizes) != 1 {
		t.Errorf("texts of 0 to 4000 bytes gave %d ciphertext sizes, want 1", len(sizes))
	}
	a := len(seal(t, PartHeader{Kind: KindText}, make([]byte, 5000), 1, id.Recipient()))
	b := len(seal(t, PartHeader{Kind: KindText}, make([]byte, 8000), 1, id.Recipient()))
	if a != b {
		t.Errorf("5000 and 8000 bytes gave sizes %d and %d, want one bucket", a, b)
	}
	for n, want := range map[int64]int64{1: 4096, 4096: 4096, 4097: 8192, 100000: 131072, 1<<20 + 1: 1<<20 + 1<<17, 3 << 20: 3 << 20} {
		if got := Bucket(n); got != want {
			t.Errorf("Bucket(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestOpenPartWrongKey(t *testing.T) {
	ct := seal(t, PartHeader{Kind: KindText}, []byte("x"), 1, newIdentity(t).Recipient())
	_, _, err := OpenPart(bytes.NewReader(ct), newIdentity(t))
	var noMatch *age.NoIdentityMatchError
	if !errors.As(err, &noMatch) {
		t.Fatalf("got %v, want NoIdentityMatchError", err)
	}
}

func TestOpenPartTampered(t *testing.T) {
	id := newIdentity(t)
	ct := seal(t, PartHeader{Kind: KindText}, []byte("some testimony"), 1, id.Recipient())
	for _, i := range []int{0, 40, len(ct) / 2, len(ct) - 1} {
		bad := bytes.Clone(ct)
		bad[i] ^= 1
		h, r, err := OpenPart(bytes.NewReader(bad), id)
		if err == nil {
			_, err = io.ReadAll(r)
		}
		if err == nil {
			t.Errorf("flipping byte %d went unnoticed (kind %q)", i, h.Kind)
		}
	}
	h, r, err := OpenPart(bytes.NewReader(ct[:len(ct)-100]), id)
	if err == nil {
		_, err = io.ReadAll(r)
	}
	if err == nil {
		t.Errorf("truncation went unnoticed (kind %q)", h.Kind)
	}
}

func frame(content []byte) []byte {
	var b []byte
	if len(content) > 0 {
		b = append(b, byte(len(content)>>24), byte(len(content)>>16), byte(len(content)>>8), byte(len(content)))
		b = append(b, content...)
	}
	return append(b, 0, 0, 0, 0)
}

func TestDecodePartRefusesNonCanonical(t *testing.T) {
	head := []byte(partMagic + "\n" + `{"kind":"text"}` + "\n")
	pad := func(b []byte, to int) []byte { return append(b, make([]byte, to-len(b))...) }
	good := pad(append(bytes.Clone(head), frame([]byte("hi"))...), 4096)
	cases := map[string][]byte{
		"nonzero padding":   func() []byte { b := bytes.Clone(good); b[len(b)-1] = 1; return b }(),
		"padded too far":    pad(bytes.Clone(good), 8192),
		"not padded":        append(bytes.Clone(head), frame([]byte("hi"))...),
		"unknown kind":      pad(append([]byte(partMagic+"\n"+`{"kind":"video"}`+"\n"), frame(nil)...), 4096),
		"unknown field":     pad(append([]byte(partMagic+"\n"+`{"kind":"text","x":1}`+"\n"), frame(nil)...), 4096),
		"other version":     pad(append([]byte("testimony-part/v2\n"+`{"kind":"text"}`+"\n"), frame(nil)...), 4096),
		"no end frame":      append(bytes.Clone(head), 0, 0, 0, 2, 'h', 'i'),
		"frame over limit":  pad(append(bytes.Clone(head), 0, 2, 0, 0), 4096),
		"cut inside frame":  append(bytes.Clone(head), 0, 0, 0, 9, 'h'),
		"header not closed": []byte(partMagic + "\n{"),
		"key in upper case": pad(append([]byte(partMagic+"\n"+`{"KIND":"text"}`+"\n"), frame(nil)...), 4096),
		"spaced header":     pad(append([]byte(partMagic+"\n"+`{"kind": "text"}`+"\n"), frame(nil)...), 4096),
		"text after header": pad(append([]byte(partMagic+"\n"+`{"kind":"text"} x`+"\n"), frame(nil)...), 4096),
		"escaped kind":      pad(append([]byte(partMagic+"\n"+`{"kind":"\u0074ext"}`+"\n"), frame(nil)...), 4096),
	}
	if _, r, err := decodePart(bytes.NewReader(good)); err != nil {
		t.Fatal(err)
	} else if _, err := io.ReadAll(r); err != nil {
		t.Fatalf("good part refused: %v", err)
	}
	for name, b := range cases {
		_, r, err := decodePart(bytes.NewReader(b))
		if err == nil {
			_, err = io.ReadAll(r)
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzDecodePart(f *testing.F) {
	head := partMagic + "\n" + `{"kind":"attachment","name":"a.jpg","type":"image/jpeg"}` + "\n"
	b := append([]byte(head), frame([]byte("content"))...)
	f.Add(append(b, make([]byte, 4096-len(b))...))
	f.Add([]byte(head))
	f.Add([]byte(partMagic + "\n{}\n"))
	two := append(append(bytes.Clone(b), head...), frame([]byte("more"))...)
	f.Add(append(two, make([]byte, 4096-len(two))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := decodeSections(bytes.NewReader(data))
		total := 0
		for sections := 0; ; sections++ {
			h, r, err := s.Next()
			if err == io.EOF && sections > 0 {
				break
			}
			if err != nil {
				return
			}
			content, err := io.ReadAll(r)
			if err != nil {
				return
			}
			if _, err := encodePartHeader(h); err != nil {
				t.Fatalf("accepted header does not re-encode: %v", err)
			}
			total += len(content)
		}
		// Whatever decodes whole was a bucket-sized, well-framed part.
		if Bucket(int64(len(data))) != int64(len(data)) {
			t.Fatalf("accepted a part of %d bytes, not a bucket size", len(data))
		}
		if total > len(data) {
			t.Fatal("content longer than the part")
		}
		// A part of one section reads the same through decodePart.
		if h, r, err := decodePart(bytes.NewReader(data)); err == nil {
			if _, err := io.ReadAll(r); err == nil && s.count != 1 {
				t.Fatalf("decodePart read a part of %d sections whole (first %+v)", s.count, h)
			}
		}
	})
}

func sealSections(t testing.TB, sections []PartHeader, contents [][]byte, recipients ...age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewPartWriter(&buf, sections[0], recipients...)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range contents {
		if i > 0 {
			if err := w.Section(sections[i]); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSectionsRoundTrip(t *testing.T) {
	id := newIdentity(t)
	headers := []PartHeader{{Kind: KindText}, {Kind: KindAnswers}, {Kind: KindConsent}, {Kind: KindReplyKey}}
	for _, size := range []int{0, 1, 4000, 70000} {
		text := make([]byte, size)
		rand.Read(text)
		contents := [][]byte{text, []byte(`{"version":1}`), nil, []byte("age1xyz")}
		ct := sealSections(t, headers, contents, id.Recipient())
		s, err := OpenSections(bytes.NewReader(ct), id)
		if err != nil {
			t.Fatal(err)
		}
		for i := range headers {
			h, r, err := s.Next()
			if err != nil {
				t.Fatalf("size %d, section %d: %v", size, i, err)
			}
			got, err := io.ReadAll(r)
			if err != nil || h != headers[i] || !bytes.Equal(got, contents[i]) {
				t.Fatalf("size %d, section %d: %+v %d bytes %v", size, i, h, len(got), err)
			}
		}
		if _, _, err := s.Next(); err != io.EOF {
			t.Fatalf("after the last section: %v", err)
		}
		// OpenPart reads one section only, and refuses to end quietly
		// before the others.
		_, r, err := OpenPart(bytes.NewReader(ct), id)
		if err == nil {
			_, err = io.ReadAll(r)
		}
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("OpenPart of a part with sections: %v", err)
		}
	}
}

func TestAttachmentIsAPartOfItsOwn(t *testing.T) {
	id := newIdentity(t)
	w, _ := NewPartWriter(io.Discard, PartHeader{Kind: KindAttachment}, id.Recipient())
	if err := w.Section(PartHeader{Kind: KindConsent}); err == nil {
		t.Error("a section after an attachment was allowed")
	}
	w, _ = NewPartWriter(io.Discard, PartHeader{Kind: KindText}, id.Recipient())
	if err := w.Section(PartHeader{Kind: KindAttachment}); err == nil {
		t.Error("an attachment section after text was allowed")
	}
}

func TestSectionsSkipWhatIsNotRead(t *testing.T) {
	id := newIdentity(t)
	big := bytes.Repeat([]byte("x"), 200<<10)
	ct := sealSections(t, []PartHeader{{Kind: KindText}, {Kind: KindConsent}}, [][]byte{big, []byte("{}")}, id.Recipient())
	s, err := OpenSections(bytes.NewReader(ct), id)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	h, r, err := s.Next()
	if err != nil || h.Kind != KindConsent {
		t.Fatalf("second section: %+v %v", h, err)
	}
	if got, _ := io.ReadAll(r); string(got) != "{}" {
		t.Fatalf("second section read %q", got)
	}
	if _, _, err := s.Next(); err != io.EOF {
		t.Fatal(err)
	}
}

func TestSectionsRefuseNonCanonical(t *testing.T) {
	head := []byte(partMagic + "\n" + `{"kind":"text"}` + "\n")
	pad := func(b []byte, to int) []byte { return append(b, make([]byte, to-len(b))...) }
	two := append(append(bytes.Clone(head), frame([]byte("a"))...), head...)
	cases := map[string][]byte{
		"second header broken":   pad(append(append(bytes.Clone(head), frame([]byte("a"))...), []byte("testimony-part/v9\n{}\n")...), 4096),
		"second section cut off": append(bytes.Clone(two), 0, 0, 0, 5, 'a'),
		"padding then a section": pad(append(pad(append(bytes.Clone(head), frame(nil)...), 100), head...), 4096),
		"attachment then more":   pad(append(append([]byte(partMagic+"\n"+`{"kind":"attachment"}`+"\n"), frame([]byte("a"))...), two...), 4096),
		"text then attachment":   pad(append(append(bytes.Clone(head), frame([]byte("a"))...), []byte(partMagic+"\n"+`{"kind":"attachment"}`+"\n\x00\x00\x00\x00")...), 4096),
	}
	for name, b := range cases {
		s := decodeSections(bytes.NewReader(b))
		var err error
		for err == nil {
			var r io.Reader
			if _, r, err = s.Next(); err == nil {
				_, err = io.ReadAll(r)
			}
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", name, err)
		}
	}
}

func TestBucketProperties(t *testing.T) {
	prev := int64(0)
	buckets := 0
	for n := int64(1); n <= 200<<20; n += 1 + n/97 {
		b := Bucket(n)
		if b < n || Bucket(b) != b {
			t.Fatalf("Bucket(%d) = %d: not a fixed point above n", n, b)
		}
		if n > MinBucket && float64(b-n)/float64(n) > 1.0 {
			t.Fatalf("Bucket(%d) = %d: more than doubles", n, b)
		}
		if n > fineAbove && float64(b-n)/float64(n) > 0.125 {
			t.Fatalf("Bucket(%d) = %d: over 12.5%% above 1 MiB", n, b)
		}
		if b != prev {
			buckets++
			prev = b
		}
	}
	// 4 KiB … 1 MiB is 9 sizes; then 8 per doubling up to 200 MiB.
	if buckets > 9+8*8 {
		t.Errorf("%d distinct sizes up to 200 MiB", buckets)
	}
	t.Logf("%d distinct padded sizes from 1 byte to 200 MiB", buckets)
}
