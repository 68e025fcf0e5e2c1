package review

import (
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// TestNothingInClear runs a whole reviewer's session (init, import, list,
// show, note, tag, search, attachment to stdout, custody, verify, a new
// team member) with random canaries planted in every field a survivor or a
// reviewer can fill, then scans every byte of the workspace, and of the
// temporary directory, for them in clear.
func TestNothingInClear(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	f := newFixture(t)
	recs := []age.Recipient{f.id.Recipient()}
	var canaries []string
	c := func() string { s := vaulttest.Canary(); canaries = append(canaries, s); return s }

	var ids []vault.ID
	for i := range 5 {
		id, err := vaulttest.Submit(f.store, recs,
			vaulttest.Text("나는 팔려 갔습니다 "+c()+strings.Repeat(" 긴 이야기", i*5000)),
			vaulttest.Form(vault.Answers{Version: 1, Province: c(), What: []string{c()}}),
			vaulttest.Consent(vault.UseReview, vault.UsePublish),
			vaulttest.Attachment(c()+".jpg", "image/jpeg", []byte("photo "+c())),
		)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := vaulttest.Add(f.store, ids[0], recs, vaulttest.Withdraw(vault.UsePublish), vaulttest.Text("more "+c())); err != nil {
		t.Fatal(err)
	}
	bundle := f.export(t, "bundle.age", false)

	dir := filepath.Join(t.TempDir(), "ws")
	w, err := Init(dir, recs)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	me := []age.Identity{f.id}
	if _, err := importFile(w, bundle, f.id); err != nil {
		t.Fatal(err)
	}
	if _, err := unlock(t, w, me).List(); err != nil {
		t.Fatal(err)
	}
	var shown strings.Builder
	for _, id := range ids {
		if err := unlock(t, w, me).Show(id, &shown); err != nil {
			t.Fatal(err)
		}
		if err := unlock(t, w, me).Note(id, "note "+c()+"\n"+c()); err != nil {
			t.Fatal(err)
		}
		if err := unlock(t, w, me).Tag(id, []string{c()}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := unlock(t, w, me).CopyAttachment(id, 1, &shown); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Custody(id); err != nil {
			t.Fatal(err)
		}
	}
	for _, term := range []string{canaries[0], "이야기", "nothing"} {
		if _, err := unlock(t, w, me).Search(term); err != nil {
			t.Fatal(err)
		}
	}
	if err := unlock(t, w, me).AddRecipient(vaulttest.Identity(t).Recipient()); err != nil {
		t.Fatal(err)
	}
	if rep, err := w.Verify(); err != nil || !rep.OK() {
		t.Fatalf("verify: %v, %v", rep.Problems, err)
	}
	// Everything came back to the reviewer, on "stdout".
	for _, id := range ids {
		c, err := unlock(t, w, me).Read(id)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		c.Format(&out)
		shown.WriteString(out.String())
	}
	for _, cn := range canaries {
		if !strings.Contains(shown.String(), cn) {
			t.Errorf("canary %s never came back", cn)
		}
	}
	w.Close()
	files, size := vaulttest.ScanForCanaries(t, canaries, dir, tmp)
	// The index and one pack of sealed originals, at least.
	packs, _ := filepath.Glob(filepath.Join(dir, objectsDir, "*"+packSuffix))
	if files < 2 || len(packs) != 1 || size < 50<<10 {
		t.Fatalf("the scan read only %d files, %d bytes", files, size)
	}
	t.Logf("scanned %d files, %d bytes: no canary in clear", files, size)
}
