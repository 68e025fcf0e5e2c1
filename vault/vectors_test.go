package vault

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
)

// The test vectors in testdata/vectors pin the formats of docs/formats.md:
// a reader of any later version must still read them. They are made once
// with -update-vectors, with the fixed identity in testdata/vectors, and
// then never change unless a format's version changes.
var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/vectors (only when a format version changes)")

const vectorDir = "testdata/vectors"

func vectorIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorDir, "identity.key"))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return ids[0].(*age.X25519Identity)
}

func vector(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeVector(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(vectorDir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

const vectorText = "나는 2019년 겨울에 강을 건넜습니다.\n我在2019年冬天过了江。\n"

// The sections of a form part, as the intake writes a first submission.
// The answers say "north-hamgyong", which the form never offered (its code
// is KP-09, internal/guided): vault stores codes as given and checks only
// the part's format, which is what part-form.age freezes. The vector keeps
// its bytes, so the text it was made from stays as it was.
var (
	vectorForm         = []PartHeader{{Kind: KindText}, {Kind: KindAnswers}, {Kind: KindConsent}, {Kind: KindReplyKey}}
	vectorFormContents = [][]byte{
		[]byte(vectorText),
		[]byte(`{"version":1,"year":2019,"province":"north-hamgyong"}`),
		[]byte(`{"version":1,"given":["review","publish"]}`),
		[]byte("age1hq8l9xuyt4xpnq3r7dqqjwcedw0nxdnrrtzjgz2q9yqe39pn4yuqjwq8v3"),
	}
)

func TestMakeVectors(t *testing.T) {
	if !*updateVectors {
		t.Skip("run with -update-vectors to rewrite testdata/vectors")
	}
	id := vectorIdentity(t)
	writeVector(t, "part-text.age", seal(t, PartHeader{Kind: KindText}, []byte(vectorText), 3, id.Recipient()))
	writeVector(t, "part-form.age", sealSections(t, vectorForm, vectorFormContents, id.Recipient()))
	writeVector(t, "part-attachment.age", seal(t, PartHeader{Kind: KindAttachment, Name: "사진.jpg", Type: "image/jpeg"}, bytes.Repeat([]byte{0xff, 0xd8}, 3000), 2, id.Recipient()))

	path := filepath.Join(t.TempDir(), "store.db")
	day := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	s, err := Open(path, &Options{Now: func() time.Time { return day }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	putParts(t, s, id.Recipient(), nil, []byte(vectorText))
	putParts(t, s, id.Recipient(), nil, []byte("second"), []byte("two parts"))
	var buf bytes.Buffer
	info, err := s.WriteBundle(&buf, []age.Recipient{id.Recipient()}, false)
	if err != nil {
		t.Fatal(err)
	}
	writeVector(t, "bundle.age", buf.Bytes())
	entries, _ := s.Custody()
	var lines []string
	for _, e := range entries {
		lines = append(lines, string(e.Marshal()))
	}
	writeVector(t, "custody.txt", []byte(strings.Join(lines, "\n")+"\n"))
	writeVector(t, "custody-head.txt", []byte(info.Head.String()+"\n"))
}

func TestVectors(t *testing.T) {
	id := vectorIdentity(t)
	h, r, err := OpenPart(bytes.NewReader(vector(t, "part-text.age")), id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil || h.Kind != KindText || string(got) != vectorText {
		t.Fatalf("part-text.age: kind %q, %q, %v", h.Kind, got, err)
	}
	h, r, err = OpenPart(bytes.NewReader(vector(t, "part-attachment.age")), id)
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(r)
	if err != nil || h != (PartHeader{Kind: KindAttachment, Name: "사진.jpg", Type: "image/jpeg"}) || len(got) != 6000 {
		t.Fatalf("part-attachment.age: %+v, %d bytes, %v", h, len(got), err)
	}

	sections, err := OpenSections(bytes.NewReader(vector(t, "part-form.age")), id)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range vectorForm {
		h, r, err := sections.Next()
		if err != nil {
			t.Fatalf("part-form.age section %d: %v", i, err)
		}
		got, err := io.ReadAll(r)
		if err != nil || h != want || !bytes.Equal(got, vectorFormContents[i]) {
			t.Fatalf("part-form.age section %d: %+v %q %v", i, h, got, err)
		}
	}
	if _, _, err := sections.Next(); err != io.EOF {
		t.Fatalf("part-form.age after its sections: %v", err)
	}

	var entries []Entry
	for _, l := range strings.Split(strings.TrimSuffix(string(vector(t, "custody.txt")), "\n"), "\n") {
		e, err := ParseEntry([]byte(l))
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	head, err := (Head{}).Verify(entries)
	if err != nil {
		t.Fatal(err)
	}
	if head.Hash.String()+"\n" != string(vector(t, "custody-head.txt")) {
		t.Fatal("custody.txt does not hash to custody-head.txt")
	}

	b, parts, err := readAll(t, vector(t, "bundle.age"), id)
	if err != nil {
		t.Fatal(err)
	}
	if b.Last() != head || len(b.Items) != 2 || b.Created != "2026-11-23" || len(parts) != 3 {
		t.Fatalf("bundle.age: %+v", b)
	}
}
