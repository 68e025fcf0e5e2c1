package review

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// treeDigest returns every file under dir with its mode and the SHA-256 of
// its content, so a test can show a refusal changed nothing.
func treeDigest(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(dir, path)
		sum := ""
		if d.Type().IsRegular() {
			data, _ := os.ReadFile(path)
			sum = fmt.Sprintf("%x", sha256.Sum256(data))
		}
		fmt.Fprintf(&b, "%s %v %s\n", rel, info.Mode(), sum)
		return nil
	})
	return b.String()
}

type fixture struct {
	store *vault.Store
	id    *age.X25519Identity
	dir   string
}

func newFixture(t testing.TB) *fixture {
	s, _ := vaulttest.Open(t)
	return &fixture{store: s, id: vaulttest.Identity(t), dir: t.TempDir()}
}

func (f *fixture) put(t testing.TB, text string) vault.ID {
	return vaulttest.Put(t, f.store, text, f.id.Recipient())
}

// export writes a bundle file and records the export, as intake export does.
func (f *fixture) export(t testing.TB, name string, all bool) string {
	t.Helper()
	var buf bytes.Buffer
	info, err := f.store.WriteBundle(&buf, []age.Recipient{f.id.Recipient()}, all)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.store.RecordExport(info, sha256.Sum256(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	return path
}

// openWorkspace makes a workspace for a team of the given recipients, or
// of a fresh key if none.
func openWorkspace(t testing.TB, team ...age.Recipient) (*Workspace, string) {
	t.Helper()
	if len(team) == 0 {
		team = []age.Recipient{vaulttest.Identity(t).Recipient()}
	}
	dir := filepath.Join(t.TempDir(), "ws")
	w, err := Init(dir, team)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, dir
}

func importFile(w *Workspace, path string, ids ...age.Identity) (ImportResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return ImportResult{}, err
	}
	defer f.Close()
	rv, err := w.Unlock(ids)
	if err != nil {
		return ImportResult{}, err
	}
	return rv.Import(f, nil)
}

func importBytes(w *Workspace, data []byte, ids ...age.Identity) error {
	rv, err := w.Unlock(ids)
	if err != nil {
		return err
	}
	_, err = rv.Import(bytes.NewReader(data), nil)
	return err
}

func TestImportListShow(t *testing.T) {
	f := newFixture(t)
	a := f.put(t, "나는 2019년에 팔려 갔습니다.\n두 번째 줄")
	b := f.put(t, "我在2019年被卖了。")
	w, _ := openWorkspace(t, f.id.Recipient())
	res, err := importFile(w, f.export(t, "1.age", false), f.id)
	if err != nil {
		t.Fatal(err)
	}
	if res.Items != 2 || res.From != 1 || res.To != 2 {
		t.Fatalf("result %+v", res)
	}
	sums, err := unlock(t, w, []age.Identity{f.id}).List()
	if err != nil || len(sums) != 2 {
		t.Fatalf("List = %v, %v", sums, err)
	}
	for _, s := range sums {
		if s.ID == a && s.Excerpt != "나는 2019년에 팔려 갔습니다. 두 번째 줄" {
			t.Errorf("excerpt %q", s.Excerpt)
		}
	}
	c, err := unlock(t, w, []age.Identity{f.id}).Read(b)
	if err != nil || len(c.Texts) != 1 || c.Texts[0].Body != "我在2019年被卖了。" {
		t.Fatalf("Read = %+v, %v", c, err)
	}
	if err := unlock(t, w, []age.Identity{f.id}).Show(vault.NewID(), io.Discard); !errors.Is(err, vault.ErrNotFound) {
		t.Fatalf("unknown ID: %v", err)
	}
	// The originals are sealed exactly as the server stored them.
	items, _ := w.Items()
	for _, it := range items {
		for _, p := range it.Parts {
			data, err := sealedBytes(w, p.Hash)
			if err != nil || vault.Hash(sha256.Sum256(data)) != p.Hash || int64(len(data)) != p.Size {
				t.Fatalf("sealed original %s differs", p.Hash)
			}
		}
	}
}

func TestImportContinuesChain(t *testing.T) {
	f := newFixture(t)
	f.put(t, "a")
	one := f.export(t, "1.age", false)
	f.put(t, "b")
	two := f.export(t, "2.age", false)
	all := f.export(t, "all.age", true)

	w, dir := openWorkspace(t, f.id.Recipient())
	before := treeDigest(t, dir)
	if _, err := importFile(w, two, f.id); !errors.Is(err, ErrGap) {
		t.Fatalf("second bundle first: got %v, want ErrGap", err)
	}
	if treeDigest(t, dir) != before {
		t.Fatal("a refused import changed the workspace")
	}
	if _, err := importFile(w, one, f.id); err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(w, two, f.id); err != nil {
		t.Fatal(err)
	}
	// A bundle of everything overlaps what is here and adds only the
	// entry of the export that made bundle 2.
	res, err := importFile(w, all, f.id)
	if err != nil || res.Items != 0 {
		t.Fatalf("overlapping -all bundle: %+v, %v", res, err)
	}
	sums, _ := unlock(t, w, []age.Identity{f.id}).List()
	if len(sums) != 2 {
		t.Fatalf("%d submissions, want 2", len(sums))
	}
}

// TestImportRefusals is the list the end-to-end issue asks for: each bundle
// is refused with a clear error and the workspace is byte for byte as before.
func TestImportRefusals(t *testing.T) {
	f := newFixture(t)
	f.put(t, "first account")
	f.put(t, "second account")
	f.put(t, "third account")
	good := f.export(t, "good.age", false)
	data, _ := os.ReadFile(good)

	other := vaulttest.Identity(t)
	w, dir := openWorkspace(t, f.id.Recipient(), other.Recipient())
	before := treeDigest(t, dir)

	refuse := func(name string, data []byte, ids []age.Identity, want func(error) bool) {
		t.Helper()
		err := importBytes(w, data, ids...)
		if err == nil || !want(err) {
			t.Errorf("%s: got %v", name, err)
		}
		if treeDigest(t, dir) != before {
			t.Fatalf("%s: the refusal changed the workspace", name)
		}
	}
	is := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	// A key of the team, but the bundle was not encrypted to it.
	refuse("another key", data, []age.Identity{other}, is(ErrNoIdentityMatch))
	// A key not of the team at all.
	refuse("a stranger's key", data, []age.Identity{vaulttest.Identity(t)}, is(ErrNoIdentityMatch))
	refuse("empty", nil, []age.Identity{f.id}, func(error) bool { return true })
	for _, n := range []int{10, 100, len(data) / 2, len(data) - 17, len(data) - 1} {
		refuse(fmt.Sprintf("truncated to %d", n), data[:n], []age.Identity{f.id}, func(error) bool { return true })
	}
	// One byte flipped: every byte of the age header and the first frame,
	// then a spread of positions over the rest.
	r := rand.New(rand.NewPCG(1, 2))
	positions := []int{}
	for i := 0; i < min(len(data), 400); i++ {
		positions = append(positions, i)
	}
	for range 200 {
		positions = append(positions, r.IntN(len(data)))
	}
	for _, i := range positions {
		bad := bytes.Clone(data)
		bad[i] ^= byte(1 << (i % 8))
		err := importBytes(w, bad, f.id)
		if err == nil {
			t.Fatalf("flipping byte %d of %d was not noticed", i, len(data))
		}
	}
	if treeDigest(t, dir) != before {
		t.Fatal("a flipped-byte refusal changed the workspace")
	}

	// A bundle with a custody entry removed, re-encrypted to the right key
	// (as anyone with the reviewers' public key could). Lines 0-4 are the
	// header ending "custody 3", 5-7 the entries.
	plain := decrypt(t, data, f.id)
	lines := bytes.SplitAfter(plain, []byte("\n"))
	without := func(entry int) []byte {
		var b bytes.Buffer
		for i, l := range lines {
			switch i {
			case 4:
				b.WriteString("custody 2\n")
			case 5 + entry:
			default:
				b.Write(l)
			}
		}
		return encrypt(t, b.Bytes(), f.id.Recipient())
	}
	refuse("first custody entry removed", without(0), []age.Identity{f.id}, is(ErrGap))
	refuse("middle custody entry removed", without(1), []age.Identity{f.id}, is(vault.ErrChain))
	refuse("last custody entry removed", without(2), []age.Identity{f.id}, is(vault.ErrMalformed))

	if err := importBytes(w, data, f.id); err != nil {
		t.Fatal(err)
	}
	before = treeDigest(t, dir)
	refuse("replayed", data, []age.Identity{f.id}, is(ErrReplay))

	g := newFixture(t)
	g.id = f.id
	vaulttest.Put(t, g.store, "from elsewhere", f.id.Recipient())
	elsewhere, _ := os.ReadFile(g.export(t, "g.age", false))
	refuse("another server", elsewhere, []age.Identity{f.id}, is(ErrWrongServer))
}

func decrypt(t testing.TB, data []byte, id age.Identity) []byte {
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

func encrypt(t testing.TB, plain []byte, r age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	w.Close()
	return buf.Bytes()
}

// TestConcurrentImportsOfOneBundle imports the same bundle twice at once
// through one Workspace: one import adds it, the other is refused, and the
// workspace verifies and reads whole.
func TestConcurrentImportsOfOneBundle(t *testing.T) {
	f := newFixture(t)
	for i := range 20 {
		f.put(t, fmt.Sprintf("account %d", i))
	}
	bundle := f.export(t, "b.age", false)
	w, _ := openWorkspace(t, f.id.Recipient())
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := importFile(w, bundle, f.id)
			errs <- err
		}()
	}
	failed := 0
	for range 2 {
		if err := <-errs; err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("%d of two imports of one bundle failed, want one", failed)
	}
	rep, err := w.Verify()
	if err != nil || !rep.OK() {
		t.Fatalf("verify after two imports: %+v, %v", rep, err)
	}
	sums, err := unlock(t, w, []age.Identity{f.id}).List()
	if err != nil || len(sums) != 20 {
		t.Fatalf("list: %d submissions, %v", len(sums), err)
	}
}

// TestRefusedBundleFromAStalledPipe: a bundle refused at its start, coming
// from a pipe that then sends nothing more (a terminal, a stuck device), is
// refused at once, not when the pipe ends.
func TestRefusedBundleFromAStalledPipe(t *testing.T) {
	id := vaulttest.Identity(t)
	w, _ := openWorkspace(t, id.Recipient())
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte("this is not an age file\n"))
	done := make(chan error, 1)
	go func() {
		_, err := unlock(t, w, []age.Identity{id}).Import(pr, nil)
		done <- err
	}()
	// The pipe does not end while the test waits, so any answer is one
	// that did not wait for its end, however slow the machine. An import
	// that waits hangs, and is reported shortly before the test's deadline.
	var guard <-chan time.Time
	if d, ok := t.Deadline(); ok {
		guard = time.After(time.Until(d) - 10*time.Second)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a bundle that is not one was imported")
		}
	case <-guard:
		t.Fatal("the refusal waited for the pipe to end")
	}
}
