package review

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// sealedBytes returns a sealed original's bytes as its pack holds them.
func sealedBytes(w *Workspace, h vault.Hash) ([]byte, error) {
	o, err := w.object(h)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(w.packPath(o.Pack))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.NewSectionReader(f, o.Offset, o.Size))
}

// packs returns the names of the files in a workspace's objects directory.
func packs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, objectsDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestPackLayout(t *testing.T) {
	f := newFull(t)
	bundle, err := os.ReadFile(filepath.Join(f.fixture.dir, "b.age"))
	if err != nil {
		t.Fatal(err)
	}
	name := vault.Hash(sha256.Sum256(bundle)).String() + packSuffix
	if got := packs(t, f.dir); len(got) != 1 || got[0] != name {
		t.Fatalf("objects/ holds %v, want one pack %s", got, name)
	}
	// The pack is the parts, back to back, as the server sealed them.
	items, _ := f.w.Items()
	var size int64
	ends := map[int64]bool{}
	for _, it := range items {
		for _, p := range it.Parts {
			data, err := sealedBytes(f.w, p.Hash)
			if err != nil || vault.Hash(sha256.Sum256(data)) != p.Hash {
				t.Fatalf("sealed original %s differs: %v", p.Hash, err)
			}
			o, _ := f.w.object(p.Hash)
			if o.Commit == (vault.Hash{}) {
				t.Errorf("part %s has no header commitment", p.Hash)
			}
			ends[o.Offset+o.Size] = true
			size += p.Size
		}
	}
	info, err := os.Stat(filepath.Join(f.dir, objectsDir, name))
	if err != nil || info.Size() != size || !ends[size] || info.Mode().Perm() != 0o600 {
		t.Fatalf("pack: %v, %v; want %d bytes, mode 0600", info, err, size)
	}
}

func TestPackDedupAcrossImports(t *testing.T) {
	f := newFixture(t)
	a := f.put(t, "the first account")
	one := f.export(t, "1.age", false)
	b := f.put(t, "the second account")
	all := f.export(t, "all.age", true) // holds a again, and b
	w, dir := openWorkspace(t, f.id.Recipient())
	for _, path := range []string{one, all} {
		if _, err := importFile(w, path, f.id); err != nil {
			t.Fatal(err)
		}
	}
	if got := packs(t, dir); len(got) != 2 {
		t.Fatalf("objects/ holds %v, want two packs", got)
	}
	// The second pack holds b's parts only: a's were held already.
	first, _ := w.submission(a)
	second, _ := w.submission(b)
	oa, _ := w.object(first[0].Parts[0].Hash)
	ob, _ := w.object(second[0].Parts[0].Hash)
	if oa.Pack == ob.Pack {
		t.Fatal("both submissions in one pack")
	}
	var want int64
	for _, p := range second[0].Parts {
		want += p.Size
	}
	if info, err := os.Stat(w.packPath(ob.Pack)); err != nil || info.Size() != want {
		t.Fatalf("second pack: %v, %v; want %d bytes, b's parts only", info, err, want)
	}
	for _, id := range []vault.ID{a, b} {
		if _, err := unlock(t, w, []age.Identity{f.id}).Read(id); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err := w.Verify(); err != nil || !rep.OK() || len(rep.Warnings) != 0 {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
}

// bigFixture is a workspace with one submission whose attachment spans
// several age chunks (64 KiB each), and one short submission after it.
func bigFixture(t *testing.T) (f *fixture, w *Workspace, big, small vault.ID, att vault.PartInfo) {
	f = newFixture(t)
	recs := []age.Recipient{f.id.Recipient()}
	big, err := vaulttest.Submit(f.store, recs, vaulttest.Text("with a video"), vaulttest.Attachment("v.mp4", "video/mp4", bytes.Repeat([]byte("frame "), 50000)))
	if err != nil {
		t.Fatal(err)
	}
	small = f.put(t, "short")
	w, _ = openWorkspace(t, f.id.Recipient())
	if _, err := importFile(w, f.export(t, "b.age", false), f.id); err != nil {
		t.Fatal(err)
	}
	items, _ := w.submission(big)
	return f, w, big, small, items[0].Parts[1]
}

// rewritePack changes the pack holding p.
func rewritePack(t *testing.T, w *Workspace, p vault.PartInfo, change func(pack string, o objectRecord)) {
	t.Helper()
	o, err := w.object(p.Hash)
	if err != nil {
		t.Fatal(err)
	}
	change(w.packPath(o.Pack), o)
}

// refused checks that reading submission id, and writing its attachment
// out, fail naming it, and that Verify names it too.
func refused(t *testing.T, w *Workspace, ids []age.Identity, id vault.ID, problem string) {
	t.Helper()
	if _, err := unlock(t, w, ids).Read(id); !errors.Is(err, vault.ErrMalformed) || !strings.Contains(err.Error(), "submission "+string(id)) {
		t.Errorf("Read: %v", err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, err := unlock(t, w, ids).SaveAttachment(id, 1, out); err == nil || !strings.Contains(err.Error(), "submission "+string(id)) {
		t.Errorf("SaveAttachment: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed SaveAttachment left %s", out)
	}
	// To a terminal or pipe, not even the genuine chunks before the damage.
	var shown bytes.Buffer
	if _, err := unlock(t, w, ids).CopyAttachment(id, 1, &shown); err == nil || shown.Len() != 0 {
		t.Errorf("CopyAttachment wrote %d bytes, %v", shown.Len(), err)
	}
	rep, err := w.Verify()
	if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "submission "+string(id)+" item 0 part 2: sealed original") ||
		!strings.Contains(strings.Join(rep.Problems, "\n"), problem) {
		t.Errorf("Verify: %q, %v", rep.Problems, err)
	}
}

func TestPackByteAltered(t *testing.T) {
	for _, where := range []struct {
		name string
		at   func(o objectRecord) int64
	}{
		{"header", func(o objectRecord) int64 { return o.Offset + 40 }},
		{"first chunk", func(o objectRecord) int64 { return o.Offset + 300 }},
		{"last chunk", func(o objectRecord) int64 { return o.Offset + o.Size - 20 }},
		{"last tag", func(o objectRecord) int64 { return o.Offset + o.Size - 1 }},
	} {
		t.Run(where.name, func(t *testing.T) {
			f, w, big, small, att := bigFixture(t)
			rewritePack(t, w, att, func(pack string, o objectRecord) {
				b, _ := os.ReadFile(pack)
				b[where.at(o)] ^= 0x20
				os.WriteFile(pack, b, 0o600)
			})
			refused(t, w, []age.Identity{f.id}, big, "does not match its hash: it was altered")
			// The other submission in the same pack is still whole.
			if _, err := unlock(t, w, []age.Identity{f.id}).Read(small); err != nil {
				t.Fatalf("the untouched submission: %v", err)
			}
		})
	}
}

func TestPackTruncated(t *testing.T) {
	f, w, big, _, att := bigFixture(t)
	data, _ := sealedBytes(w, att.Hash)
	hdr, err := age.ExtractHeader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// Cut the attachment exactly after its second chunk: every byte left
	// authenticates, only the missing last-chunk flag tells.
	const chunk = 64<<10 + 16
	cut := int64(len(hdr) + nonceSize + 2*chunk)
	if cut >= att.Size {
		t.Fatalf("the attachment has %d bytes, fewer than three chunks", att.Size)
	}
	rewritePack(t, w, att, func(pack string, o objectRecord) {
		if err := os.Truncate(pack, o.Offset+cut); err != nil {
			t.Fatal(err)
		}
	})
	refused(t, w, []age.Identity{f.id}, big, "its record says")
}

func TestPackPartsSwapped(t *testing.T) {
	// Two genuine originals of the same size, encrypted to the same key,
	// swapped in the pack: each decrypts, neither is what its record says.
	f := newFixture(t)
	a, b := f.put(t, "account number one"), f.put(t, "account number two")
	w, _ := openWorkspace(t, f.id.Recipient())
	if _, err := importFile(w, f.export(t, "b.age", false), f.id); err != nil {
		t.Fatal(err)
	}
	ia, _ := w.submission(a)
	ib, _ := w.submission(b)
	pa, pb := ia[0].Parts[0], ib[0].Parts[0]
	oa, _ := w.object(pa.Hash)
	ob, _ := w.object(pb.Hash)
	if pa.Size != pb.Size {
		t.Fatalf("sizes %d and %d differ", pa.Size, pb.Size)
	}
	da, _ := sealedBytes(w, pa.Hash)
	db, _ := sealedBytes(w, pb.Hash)
	pf, err := os.OpenFile(w.packPath(oa.Pack), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	pf.WriteAt(db, oa.Offset)
	pf.WriteAt(da, ob.Offset)
	pf.Close()
	for _, id := range []vault.ID{a, b} {
		if _, err := unlock(t, w, []age.Identity{f.id}).Read(id); !errors.Is(err, vault.ErrMalformed) || !strings.Contains(err.Error(), string(id)) {
			t.Errorf("Read %s: %v", id, err)
		}
	}
	if rep, _ := w.Verify(); len(rep.Problems) != 2 {
		t.Fatalf("verify: %q", rep.Problems)
	}
}

func TestPackLongHeaderIsCheckedWhole(t *testing.T) {
	// Parts encrypted to so many keys that the header is longer than
	// import keeps: no header commitment, reading checks the whole hash.
	defer func(m int) { maxHeader = m }(maxHeader)
	maxHeader = 16 << 10
	f := newFixture(t)
	recs := []age.Recipient{f.id.Recipient()}
	for range 200 {
		recs = append(recs, vaulttest.Identity(t).Recipient())
	}
	id, err := vaulttest.Submit(f.store, recs, vaulttest.Text("to many keys"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := openWorkspace(t, f.id.Recipient())
	if _, err := importFile(w, f.export(t, "b.age", false), f.id); err != nil {
		t.Fatal(err)
	}
	items, _ := w.submission(id)
	p := items[0].Parts[0]
	o, _ := w.object(p.Hash)
	if o.Commit != (vault.Hash{}) || p.Size <= int64(maxHeader) {
		t.Fatalf("a %d-byte part got a header commitment", p.Size)
	}
	c, err := unlock(t, w, []age.Identity{f.id}).Read(id)
	if err != nil || c.Texts[0].Body != "to many keys" {
		t.Fatalf("Read: %v", err)
	}
	rewritePack(t, w, p, func(pack string, o objectRecord) {
		b, _ := os.ReadFile(pack)
		b[o.Offset+o.Size-1] ^= 1
		os.WriteFile(pack, b, 0o600)
	})
	if _, err := unlock(t, w, []age.Identity{f.id}).Read(id); !errors.Is(err, vault.ErrMalformed) {
		t.Fatalf("Read of an altered original: %v", err)
	}
}

func TestPackLeftByACrashIsReplaced(t *testing.T) {
	// A crash between moving the pack in and committing the index leaves
	// a pack no record names: verify warns, and importing the same bundle
	// again replaces it.
	f := newFixture(t)
	id := f.put(t, "an account")
	bundle := f.export(t, "b.age", false)
	other, otherDir := openWorkspace(t, f.id.Recipient())
	if _, err := importFile(other, bundle, f.id); err != nil {
		t.Fatal(err)
	}
	w, dir := openWorkspace(t, f.id.Recipient())
	name := packs(t, otherDir)[0]
	data, _ := os.ReadFile(filepath.Join(otherDir, objectsDir, name))
	os.WriteFile(filepath.Join(dir, objectsDir, name), data[:len(data)/2], 0o600)
	os.Mkdir(filepath.Join(dir, ".import-1"), 0o700)
	rep, err := w.Verify()
	if err != nil || !rep.OK() || len(rep.Warnings) != 2 || !strings.Contains(rep.Warnings[0], name+" is named by no object record") {
		t.Fatalf("verify after a crash: %+v, %v", rep, err)
	}
	if _, err := importFile(w, bundle, f.id); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, ".import-1"))
	if rep, err := w.Verify(); err != nil || !rep.OK() || len(rep.Warnings) != 0 {
		t.Fatalf("verify after the import: %+v, %v", rep, err)
	}
	if _, err := unlock(t, w, []age.Identity{f.id}).Read(id); err != nil {
		t.Fatal(err)
	}
}

// TestPackLongHeaderLargePart: an attachment too large to copy to memory,
// with no header commitment, is copied to an unlinked file, checked, and
// decrypted from the copy.
func TestPackLongHeaderLargePart(t *testing.T) {
	defer func(m int) { maxHeader = m }(maxHeader)
	maxHeader = 1 << 10
	f := newFixture(t)
	recs := []age.Recipient{f.id.Recipient()}
	for range 20 {
		recs = append(recs, vaulttest.Identity(t).Recipient())
	}
	video := bytes.Repeat([]byte("frame "), 3<<20) // 18 MiB
	id, err := vaulttest.Submit(f.store, recs, vaulttest.Text("a video"), vaulttest.Attachment("v.mp4", "video/mp4", video))
	if err != nil {
		t.Fatal(err)
	}
	w, dir := openWorkspace(t, f.id.Recipient())
	if _, err := importFile(w, f.export(t, "b.age", false), f.id); err != nil {
		t.Fatal(err)
	}
	ids := []age.Identity{f.id}
	var got bytes.Buffer
	if _, err := unlock(t, w, ids).CopyAttachment(id, 1, &got); err != nil || !bytes.Equal(got.Bytes(), video) {
		t.Fatalf("CopyAttachment: %d bytes, %v", got.Len(), err)
	}
	items, _ := w.submission(id)
	if o, _ := w.object(items[0].Parts[1].Hash); o.Commit != (vault.Hash{}) {
		t.Fatal("the part got a header commitment")
	}
	rewritePack(t, w, items[0].Parts[1], func(pack string, o objectRecord) {
		b, _ := os.ReadFile(pack)
		b[o.Offset+o.Size/2] ^= 1
		os.WriteFile(pack, b, 0o600)
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := unlock(t, w, ids).SaveAttachment(id, 1, out); !errors.Is(err, vault.ErrMalformed) {
		t.Fatalf("SaveAttachment of an altered original: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".read-*")); len(left) != 0 {
		t.Fatalf("copies left in the workspace: %v", left)
	}
}

// TestSearchDoesNotDecryptAttachments: search reads texts, not the files
// behind them, so damage near an attachment's end (which reading it would
// meet) does not touch it; show, which gives each file's size, does.
func TestSearchDoesNotDecryptAttachments(t *testing.T) {
	f, w, big, _, att := bigFixture(t)
	rewritePack(t, w, att, func(pack string, o objectRecord) {
		b, _ := os.ReadFile(pack)
		b[o.Offset+o.Size-100] ^= 1
		os.WriteFile(pack, b, 0o600)
	})
	ids := []age.Identity{f.id}
	hits, err := unlock(t, w, ids).Search("video")
	if err != nil || len(hits) != 1 || hits[0].ID != big {
		t.Fatalf("search: %+v, %v", hits, err)
	}
	if _, err := unlock(t, w, ids).Read(big); !errors.Is(err, vault.ErrMalformed) {
		t.Fatalf("Read of a submission with a damaged file: %v", err)
	}
}
