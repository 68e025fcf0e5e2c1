package review

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/internal/safefile"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// full is a workspace holding submissions with every kind of part.
type full struct {
	*fixture
	w                 *Workspace
	dir               string
	plain, rich, gone vault.ID
	photo             []byte
}

func newFull(t *testing.T) *full {
	t.Helper()
	f := &full{fixture: newFixture(t)}
	recs := []age.Recipient{f.id.Recipient()}
	put := func(parts ...vaulttest.Part) vault.ID {
		id, err := vaulttest.Submit(f.store, recs, parts...)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.photo = bytes.Repeat([]byte{0xff, 0xd8, 0x00, 0x42}, 5000)
	f.plain = put(vaulttest.Text("only text"))
	f.rich = put(
		vaulttest.Text("나는 2019년에 량강도에서 팔려 갔습니다."),
		vaulttest.Form(vault.Answers{Version: 1, Year: 2019, Month: 3, Approximate: true, Province: "KP-10",
			What: []string{"sold", "forced-marriage"}, Who: []string{"broker"}, Source: "self", Elsewhere: "no", Contact: "receipt"}),
		vaulttest.Consent(vault.UseReview, vault.UsePublish, vault.UseQuote),
		vaulttest.Attachment("photo.jpg", "image/jpeg", f.photo),
		vaulttest.Attachment("note.txt", "text/plain", []byte("a list of names")),
	)
	f.gone = put(vaulttest.Text("I want this used, then not."), vaulttest.Consent(vault.UseReview, vault.UsePublish, vault.UseUN))
	if err := vaulttest.Add(f.store, f.gone, recs, vaulttest.Withdraw(vault.UsePublish)); err != nil {
		t.Fatal(err)
	}
	if err := vaulttest.Add(f.store, f.rich, recs, vaulttest.Text("I remembered more.")); err != nil {
		t.Fatal(err)
	}
	f.w, f.dir = openWorkspace(t, f.id.Recipient())
	if _, err := importFile(f.w, f.export(t, "b.age", false), f.id); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *full) ids() []age.Identity { return []age.Identity{f.id} }

// reviewer is f's reviewer, unlocked.
func (f *full) reviewer(t testing.TB) *Reviewer { return unlock(t, f.w, f.ids()) }

func TestListFilters(t *testing.T) {
	f := newFull(t)
	if _, err := f.reviewer(t).Read(f.plain); err != nil {
		t.Fatal(err)
	}
	sums, err := f.reviewer(t).List()
	if err != nil || len(sums) != 3 {
		t.Fatalf("List: %d, %v", len(sums), err)
	}
	day := sums[0].Day
	for _, c := range []struct {
		name   string
		filter Filter
		want   []vault.ID
	}{
		{"all", Filter{}, []vault.ID{f.plain, f.rich, f.gone}},
		{"new", Filter{Status: StatusNew}, []vault.ID{f.rich, f.gone}},
		{"seen", Filter{Status: StatusSeen}, []vault.ID{f.plain}},
		{"withdrawn", Filter{Withdrawn: true}, []vault.ID{f.gone}},
		{"attachments", Filter{Attachments: true}, []vault.ID{f.rich}},
		{"consent publish", Filter{Consent: vault.UsePublish}, []vault.ID{f.rich}}, // withdrawn from gone
		{"consent un", Filter{Consent: vault.UseUN}, []vault.ID{f.gone}},
		{"consent review", Filter{Consent: vault.UseReview}, []vault.ID{f.rich, f.gone}},
		{"consent court", Filter{Consent: vault.UseCourt}, nil},
		{"from today", Filter{From: day, To: day}, []vault.ID{f.plain, f.rich, f.gone}},
		{"before", Filter{To: "2000-01-01"}, nil},
		{"after", Filter{From: "2999-01-01"}, nil},
	} {
		var got []vault.ID
		for _, s := range sums {
			if c.filter.Match(s) {
				got = append(got, s.ID)
			}
		}
		if !sameIDs(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func sameIDs(a, b []vault.ID) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[vault.ID]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

func TestShowEverything(t *testing.T) {
	f := newFull(t)
	var out bytes.Buffer
	if err := f.reviewer(t).Show(f.rich, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"submission  " + string(f.rich) + "\n",
		"status      new\n",
		"consent     review, publish, quote\n",
		"no consent  un, court, recontact\n",
		"  when           2019-03 (approximate)\n",
		"  where          Ryanggang, North Korea (KP-10)\n",
		"  what happened  sold, forced-marriage\n",
		"  who did it     broker\n",
		"  source         saw it herself\n",
		"  1  \"photo.jpg\"  image/jpeg  20.0 kB\n",
		"  2  \"note.txt\"  text/plain  15 bytes\n",
		"\n--- text ---\n나는 2019년에 량강도에서 팔려 갔습니다.\n",
		"--- added on ",
		"I remembered more.\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("show lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := f.reviewer(t).Show(f.gone, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "WITHDRAWN   publish (on ") || !strings.Contains(out.String(), "consent     review, un\n") {
		t.Errorf("withdrawal not shown:\n%s", out.String())
	}
	// A second reading shows it as seen.
	c, err := f.reviewer(t).Read(f.gone)
	if err != nil || c.Status != StatusSeen {
		t.Fatalf("second reading: %v, %v", c.Status, err)
	}
}

func TestAttachment(t *testing.T) {
	f := newFull(t)
	out := filepath.Join(t.TempDir(), "photo.jpg")
	a, err := f.reviewer(t).SaveAttachment(f.rich, 1, out)
	if err != nil || a.Name != "photo.jpg" || a.Size != int64(len(f.photo)) {
		t.Fatalf("SaveAttachment: %+v, %v", a, err)
	}
	got, _ := os.ReadFile(out)
	info, _ := os.Stat(out)
	if !bytes.Equal(got, f.photo) || info.Mode().Perm() != 0o600 {
		t.Fatalf("attachment written wrong: %d bytes, mode %v", len(got), info.Mode())
	}
	if _, err := f.reviewer(t).SaveAttachment(f.rich, 2, out); !errors.Is(err, safefile.ErrExists) {
		t.Fatalf("overwrite: %v", err)
	}
	if got2, _ := os.ReadFile(out); !bytes.Equal(got2, f.photo) {
		t.Fatal("a refused write changed the file")
	}
	var buf bytes.Buffer
	if _, err := f.reviewer(t).CopyAttachment(f.rich, 2, &buf); err != nil || buf.String() != "a list of names" {
		t.Fatalf("CopyAttachment: %q, %v", buf.String(), err)
	}
	missing := filepath.Join(t.TempDir(), "none")
	if _, err := f.reviewer(t).SaveAttachment(f.rich, 3, missing); !errors.Is(err, vault.ErrNotFound) {
		t.Fatalf("attachment 3: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("a failed write left a file")
	}
	events, _ := f.w.Custody(f.rich)
	n := 0
	for _, e := range events {
		if e.Action == ActionAttachment {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d attachment entries, want 2", n)
	}
}

func TestSearchFolds(t *testing.T) {
	f := newFull(t)
	if err := f.reviewer(t).Note(f.plain, "조선로동당 간부와 관련"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		term string
		want []string // "ID where"
	}{
		{"양강도", []string{string(f.rich) + " text"}},
		{"량강도", []string{string(f.rich) + " text"}},
		{"노동당", []string{string(f.plain) + " note"}},
		{"ＲＥＭＥＭＢＥＲＥＤ", []string{string(f.rich) + " added "}},
		{"nowhere", nil},
	} {
		hits, err := f.reviewer(t).Search(c.term)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != len(c.want) {
			t.Errorf("%s: %d hits, want %d: %v", c.term, len(hits), len(c.want), hits)
			continue
		}
		for i, h := range hits {
			if !strings.HasPrefix(string(h.ID)+" "+h.Where, c.want[i]) {
				t.Errorf("%s: hit %v", c.term, h)
			}
		}
	}
	if _, err := f.reviewer(t).Search("  "); !errors.Is(err, ErrEmptyQuery) {
		t.Fatalf("empty query: %v", err)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("가", 40) + "노동" + strings.Repeat("나", 40)
	s, e := strings.Index(long, "노동"), strings.Index(long, "노동")+len("노동")
	got := snippet(long, s, e)
	want := "…" + strings.Repeat("가", 30) + "노동" + strings.Repeat("나", 30) + "…"
	if got != want {
		t.Fatalf("snippet = %q", got)
	}
	if got := snippet("a\nb노동c", 3, 3+len("노동")); got != "a b노동c" {
		t.Fatalf("snippet = %q", got)
	}
}

func TestReadChecksSealedOriginal(t *testing.T) {
	f := newFull(t)
	items, _ := f.w.submission(f.plain)
	p := items[0].Parts[0]
	o, err := f.w.object(p.Hash)
	if err != nil {
		t.Fatal(err)
	}
	// Replace the sealed original, in its pack, by another valid part of
	// the same size encrypted to the same key: age alone would accept it.
	var forged []byte
	for pad := 0; int64(len(forged)) != p.Size; pad++ {
		if pad > 4096 {
			t.Fatalf("no forgery of %d bytes", p.Size)
		}
		var buf bytes.Buffer
		pw, _ := vault.NewPartWriter(&buf, vault.PartHeader{Kind: vault.KindText}, f.id.Recipient())
		pw.Write([]byte("forged" + strings.Repeat(" ", pad)))
		pw.Close()
		forged = buf.Bytes()
	}
	pack := f.w.packPath(o.Pack)
	pf, err := os.OpenFile(pack, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pf.WriteAt(forged, o.Offset); err != nil {
		t.Fatal(err)
	}
	pf.Close()
	_, err = f.reviewer(t).Read(f.plain)
	if !errors.Is(err, vault.ErrMalformed) || !strings.Contains(err.Error(), "submission "+string(f.plain)) || !strings.Contains(err.Error(), "altered or damaged") {
		t.Fatalf("Read of a replaced original: %v", err)
	}
}
