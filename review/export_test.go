package review

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/review/redact"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// editorial is a workspace of a team of two (an editor and an approver)
// with submissions imported from a real store.
type editorial struct {
	store          *vault.Store
	storeDir       string
	editor, second *age.X25519Identity
	team           []age.Recipient
	w              *Workspace
	dir, out       string
}

func newEditorial(t *testing.T) *editorial {
	t.Helper()
	e := &editorial{editor: vaulttest.Identity(t), second: vaulttest.Identity(t), out: t.TempDir()}
	e.store, e.storeDir = vaulttest.Open(t)
	e.team = []age.Recipient{e.editor.Recipient(), e.second.Recipient()}
	e.w, e.dir = openWorkspace(t, e.team...)
	return e
}

func (e *editorial) put(t *testing.T, parts ...vaulttest.Part) vault.ID {
	t.Helper()
	id, err := vaulttest.Submit(e.store, e.team, parts...)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// sync exports everything new from the store and imports it.
func (e *editorial) sync(t *testing.T) {
	t.Helper()
	var buf bytes.Buffer
	info, err := e.store.WriteBundle(&buf, e.team, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.RecordExport(info, vault.Hash{}); err != nil {
		t.Fatal(err)
	}
	if err := importBytes(e.w, buf.Bytes(), e.editor); err != nil {
		t.Fatal(err)
	}
}

// approve stores the detectors' plan for id and has the second reviewer
// approve it.
func (e *editorial) approve(t *testing.T, id vault.ID) { e.approvePlan(t, id, false) }

// approveKeep stores a plan that keeps every span the detectors found, as
// an editor may, and has it approved.
func (e *editorial) approveKeep(t *testing.T, id vault.ID) { e.approvePlan(t, id, true) }

func (e *editorial) approvePlan(t *testing.T, id vault.ID, keep bool) {
	t.Helper()
	ed := []age.Identity{e.editor}
	plan, _, err := unlock(t, e.w, ed).Plan(id, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if keep {
		p, err := redact.ParsePlan(plan)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.Decisions {
			p.Decisions[i].Op, p.Decisions[i].Replacement = redact.OpKeep, ""
		}
		if plan, err = p.MarshalText(); err != nil {
			t.Fatal(err)
		}
	}
	if err := unlock(t, e.w, ed).SavePlan(id, plan); err != nil {
		t.Fatal(err)
	}
	if _, err := unlock(t, e.w, []age.Identity{e.second}).Approve(id); err != nil {
		t.Fatal(err)
	}
}

// export runs an export to a fresh file and returns its content.
func (e *editorial) export(id vault.ID, opts ExportOptions) ([]byte, error) {
	if opts.Output == "" {
		opts.Output = filepath.Join(e.out, fmt.Sprintf("s-%s-%s-%d.%s", id, opts.Use, len(e.entries()), opts.Format))
	}
	if opts.Format == "" {
		opts.Format = "json"
	}
	rv, err := e.w.Unlock([]age.Identity{e.editor})
	if err != nil {
		return nil, err
	}
	o, err := rv.PrepareExport(id, opts)
	if err != nil {
		return nil, err
	}
	if err := o.Publish(); err != nil {
		return nil, err
	}
	return os.ReadFile(opts.Output)
}

func (e *editorial) entries() []string { n, _ := filepath.Glob(filepath.Join(e.out, "*")); return n }

// TestExportConsentMatrix walks every use a statement could be asked for
// (the six of the form, and two that are not uses), over consent to none,
// each one and all, and over no withdrawal, the withdrawal of each one and
// of all: an export is written exactly when the use is one of
// publish, quote, un, court, she gave it and has not taken it back. Her
// text is in it exactly when she allows quotation (or the use is un or
// court, which are not publication).
func TestExportConsentMatrix(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newEditorial(t)
	var canaries []string
	sets := [][]vault.Use{nil}
	for _, u := range vault.Uses {
		sets = append(sets, []vault.Use{u})
	}
	sets = append(sets, vault.Uses)
	type sub struct {
		id               vault.ID
		given, withdrawn []vault.Use
		text             string
	}
	var subs []sub
	for _, given := range sets {
		for _, withdrawn := range sets {
			canary := vaulttest.Canary()
			canaries = append(canaries, canary)
			text := fmt.Sprintf("나는 팔려 갔습니다 %s", canary)
			parts := []vaulttest.Part{vaulttest.Text(text)}
			if given != nil {
				parts = append(parts, vaulttest.Consent(given...))
			}
			s := sub{id: e.put(t, parts...), given: given, withdrawn: withdrawn, text: text}
			if withdrawn != nil {
				if err := vaulttest.Add(e.store, s.id, e.team, vaulttest.Withdraw(withdrawn...)); err != nil {
					t.Fatal(err)
				}
			}
			subs = append(subs, s)
		}
	}
	e.sync(t)
	for _, s := range subs {
		e.approve(t, s.id)
	}
	uses := append(slices.Clone(vault.Uses), "", "everything")
	var written, refused int
	for _, s := range subs {
		for _, u := range uses {
			allowed := slices.Contains([]vault.Use{vault.UsePublish, vault.UseQuote, vault.UseUN, vault.UseCourt}, u) &&
				slices.Contains(s.given, u) && !slices.Contains(s.withdrawn, u)
			name := fmt.Sprintf("use %q, given %v, withdrawn %v", u, s.given, s.withdrawn)
			before := len(e.entries())
			out, err := e.export(s.id, ExportOptions{Use: u})
			if !allowed {
				refused++
				if !errors.Is(err, ErrConsent) {
					t.Errorf("%s: exported (err %v)", name, err)
				}
				if len(e.entries()) != before {
					t.Errorf("%s: refused, but a file was written", name)
				}
				continue
			}
			written++
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			var v struct {
				Use             vault.Use `json:"use"`
				Statement       string    `json:"statement"`
				Confidentiality string    `json:"confidentiality"`
				Consent         struct {
					Given, Withdrawn []vault.Use
				} `json:"consent"`
			}
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatal(err)
			}
			quote := slices.Contains(s.given, vault.UseQuote) && !slices.Contains(s.withdrawn, vault.UseQuote) ||
				u == vault.UseUN || u == vault.UseCourt
			if (v.Statement != "") != quote {
				t.Errorf("%s: her text given %v, want %v", name, v.Statement != "", quote)
			}
			if v.Use != u || v.Confidentiality == "" {
				t.Errorf("%s: use %q, confidentiality %q", name, v.Use, v.Confidentiality)
			}
			for _, g := range v.Consent.Given {
				if slices.Contains(s.withdrawn, g) {
					t.Errorf("%s: consent.given lists %q, which she withdrew", name, g)
				}
			}
		}
	}
	if written == 0 || refused == 0 {
		t.Fatalf("%d written, %d refused", written, refused)
	}
	t.Logf("%d submissions × %d uses: %d written, %d refused", len(subs), len(uses), written, refused)
	// Her words are only in the statements written: not in the workspace,
	// the store, or any temporary file, and no staged file is left.
	e.w.Close()
	if files, _ := vaulttest.ScanForCanaries(t, canaries, e.dir, tmp, e.storeDir); files < 2 {
		t.Fatalf("the scan read %d files", files)
	}
	if left, _ := filepath.Glob(filepath.Join(e.out, ".*")); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}

// TestProvenanceUnmatchable: nothing in a statement, in any format, is a
// hash the server holds (of an item, a part, a custody entry) or the
// SHA-256 of what she sent; the workspace's custody log does not name the
// statement's file by its SHA-256; and Prove, with the team's key, finds
// the originals, the submission, and a statement key that lets anyone
// check the commitments.
func TestProvenanceUnmatchable(t *testing.T) {
	e := newEditorial(t)
	photo := []byte("pretend photo")
	id := e.put(t, vaulttest.Text("나는 2019년에 팔려 갔습니다."), vaulttest.Consent(vault.UseReview, vault.UseQuote, vault.UseUN),
		vaulttest.Attachment("a.txt", "text/plain", photo))
	other := e.put(t, vaulttest.Text("another account"), vaulttest.Consent(vault.UseQuote))
	e.sync(t)
	e.approve(t, id)
	e.approve(t, other)

	// Every hash the server holds: those of the items, their parts (the
	// sealed originals) and custody entries, as the workspace has them
	// too, and the SHA-256 of what she sent.
	items, err := e.w.Items()
	if err != nil {
		t.Fatal(err)
	}
	var server []string
	for _, it := range items {
		server = append(server, it.Hash().String())
		for _, p := range it.Parts {
			server = append(server, p.Hash.String())
		}
	}
	photoSum := sha256Sum(string(photo))
	server = append(server, hex.EncodeToString(photoSum[:]))
	db, err := os.ReadFile(e.storeDir)
	if err != nil {
		t.Fatal(err)
	}
	var statements [][]byte
	for _, format := range Formats {
		out, err := e.export(id, ExportOptions{Use: vault.UseQuote, Format: format, AttachmentsDir: "", AllowUncleanable: false})
		if err != nil {
			t.Fatal(err)
		}
		statements = append(statements, out)
		for _, h := range server {
			if bytes.Contains(out, []byte(h)) {
				t.Errorf("the %s statement holds %s, which the server has", format, h)
			}
		}
		// Nor is any 32-byte value it holds anywhere in the server's
		// store, raw or in hex.
		for _, x := range commitPattern.FindAll(out, -1) {
			raw, _ := hex.DecodeString(string(x))
			if bytes.Contains(db, raw) || bytes.Contains(db, x) {
				t.Errorf("the %s statement holds %s, which is in the server's store", format, x)
			}
		}
		if !bytes.Contains(out, []byte(statementFormat)) && format != "csv" {
			t.Errorf("the %s statement does not say its format", format)
		}
		// The custody log names the file by a keyed value only.
		sum := sha256Sum(string(out))
		e.w.db.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketLog).ForEach(func(_, v []byte) error {
				if bytes.Contains(v, sum[:]) || bytes.Contains(v, []byte(hex.EncodeToString(sum[:]))) {
					t.Errorf("the custody log names the %s statement by its SHA-256", format)
				}
				return nil
			})
		})
		p, err := unlock(t, e.w, []age.Identity{e.second}).Prove(out)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		items, _ := e.w.submission(id)
		var want []vault.Hash
		for _, it := range items {
			for _, part := range it.Parts {
				want = append(want, part.Hash)
			}
		}
		if p.Submission != id || !slices.Equal(p.Originals, want) {
			t.Errorf("%s: proved %s %v, want %s %v", format, p.Submission, p.Originals, id, want)
		}
		// Anyone given the statement key can check each commitment.
		ks, _ := hex.DecodeString(p.StatementKey)
		for _, h := range p.Originals {
			if !bytes.Contains(out, []byte(commit(ks, h).String())) {
				t.Errorf("%s: the statement key does not open a commitment", format)
			}
		}
	}
	// Two statements of one submission share no commitment: each has its
	// own salt, so statements cannot be linked to each other either.
	var first struct {
		Provenance struct {
			Commitments []string `json:"original_commitments"`
		} `json:"provenance"`
	}
	if err := json.Unmarshal(statements[0], &first); err != nil || len(first.Provenance.Commitments) < 2 {
		t.Fatalf("the JSON statement's commitments: %v %v", first.Provenance.Commitments, err)
	}
	for _, c := range first.Provenance.Commitments {
		if bytes.Contains(statements[1], []byte(c)) || bytes.Contains(statements[2], []byte(c)) {
			t.Errorf("two statements share the commitment %s", c)
		}
	}
	// Without the team's key there is nothing to prove with.
	if _, err := e.w.Unlock([]age.Identity{vaulttest.Identity(t)}); err == nil {
		t.Error("a stranger's key proved provenance")
	}
	if _, err := unlock(t, e.w, []age.Identity{e.editor}).Prove([]byte("no salt here")); !errors.Is(err, ErrNoProvenance) {
		t.Errorf("a file without provenance: %v", err)
	}
	// The export's sealed record links it to the submission; custody
	// shows it to the team only.
	ex, err := unlock(t, e.w, []age.Identity{e.second}).Exports(id)
	if err != nil || len(ex) != len(Formats) || ex[0].Use != vault.UseQuote {
		t.Fatalf("exports: %v %v", ex, err)
	}
	if ex2, _ := unlock(t, e.w, []age.Identity{e.second}).Exports(other); len(ex2) != 0 {
		t.Errorf("another submission lists %d exports", len(ex2))
	}
	// A team change re-encrypts the provenance key and the records.
	newcomer := vaulttest.Identity(t)
	if err := unlock(t, e.w, []age.Identity{e.editor}).AddRecipient(newcomer.Recipient()); err != nil {
		t.Fatal(err)
	}
	if p, err := unlock(t, e.w, []age.Identity{newcomer}).Prove(statements[0]); err != nil || p.Submission != id {
		t.Fatalf("the new member cannot prove: %v", err)
	}
	if ex, err := unlock(t, e.w, []age.Identity{newcomer}).Exports(id); err != nil || len(ex) != len(Formats) {
		t.Fatalf("the new member sees exports %v, %v", ex, err)
	}
}

// TestResidualInUncleanedAttachment: a redacted name in an attachment let
// out uncleaned is refused as a ResidualError naming that attachment,
// which no plan line can change; leaving it out lets the export go.
func TestResidualInUncleanedAttachment(t *testing.T) {
	e := newEditorial(t)
	id := e.put(t, vaulttest.Text("박영철이 나를 팔았습니다."), vaulttest.Consent(vault.UseReview, vault.UsePublish, vault.UseQuote),
		vaulttest.Attachment("list.pdf", "application/pdf", []byte("%PDF-1.4 박영철")))
	e.sync(t)
	e.approve(t, id)
	opts := ExportOptions{Use: vault.UsePublish, AttachmentsDir: t.TempDir(), AllowUncleanable: true}
	_, err := e.export(id, opts)
	var re *ResidualError
	if !errors.As(err, &re) || !errors.Is(err, ErrResidual) || !slices.Equal(re.Uncleaned, []int{1}) || !strings.Contains(err.Error(), "leave it out with -leave-out 1,") {
		t.Fatalf("export with the name in an uncleaned attachment: %v", err)
	}
	opts.LeaveOut = []int{1}
	if _, err := e.export(id, opts); err != nil {
		t.Fatalf("export leaving it out: %v", err)
	}
}
