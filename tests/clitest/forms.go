package clitest

import (
	"flag"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/rogpeppe/go-internal/testscript"

	"testimony/intake"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// FormCommands returns script commands that store whole submissions, with
// the parts the intake form will send, using the real vault API:
//
//	submitform [-id VAR] [-consent USES] [-answers JSON] [-attach FILE]... DATADIR TEXT
//	                      store a submission with her text, consent for the comma-
//	                      separated USES, the guided answers as JSON (vault.Answers),
//	                      and each FILE as an attachment (type from its extension)
//	withdraw DATADIR ID USES
//	                      store a later visit to submission ID (an ID or a variable
//	                      name) withdrawing the comma-separated USES
//	addtext DATADIR ID TEXT
//	                      store a later visit adding TEXT to submission ID
//	setglob VAR PATTERN   set $VAR to the one file matching PATTERN (filepath.Glob,
//	                      relative to the work directory); fail unless exactly one
//
// Later visits are recorded on the day after submitDay.
func FormCommands() map[string]func(*testscript.TestScript, bool, []string) {
	return map[string]func(*testscript.TestScript, bool, []string){
		"submitform": submitForm,
		"withdraw":   withdraw,
		"addtext":    addText,
		"setglob":    setGlob,
	}
}

type filesFlag []string

func (f *filesFlag) String() string     { return strings.Join(*f, ",") }
func (f *filesFlag) Set(v string) error { *f = append(*f, v); return nil }

func parseUses(ts *testscript.TestScript, s string) []vault.Use {
	var uses []vault.Use
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimSpace(u); u != "" {
			uses = append(uses, vault.Use(u))
		}
	}
	return uses
}

// openStore opens DATADIR's store as the server would, on day.
func openStore(ts *testscript.TestScript, dir string, day time.Time) (*vault.Store, []age.Recipient) {
	recs, err := intake.LoadRecipients(filepath.Join(dir, intake.RecipientsFile))
	ts.Check(err)
	store, err := vault.Open(filepath.Join(dir, intake.StoreFile), &vault.Options{Now: func() time.Time { return day }})
	ts.Check(err)
	return store, recs
}

func submitForm(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! submitform")
	}
	fs := flag.NewFlagSet("submitform", flag.ContinueOnError)
	idVar := fs.String("id", "", "variable to set to the submission's ID")
	consent := fs.String("consent", "", "comma-separated uses")
	answers := fs.String("answers", "", "answers as JSON")
	replyTo := fs.String("replyto", "", "her reply key (an age recipient), stored as a reply-key section")
	var attach filesFlag
	fs.Var(&attach, "attach", "file to attach")
	if err := fs.Parse(args); err != nil || fs.NArg() != 2 {
		ts.Fatalf("usage: submitform [-id VAR] [-consent USES] [-answers JSON] [-replyto RECIPIENT] [-attach FILE]... DATADIR TEXT")
	}
	parts := []vaulttest.Part{vaulttest.Text(fs.Arg(1))}
	if *answers != "" {
		var a vault.Answers
		ts.Check(vault.UnmarshalForm([]byte(*answers), &a))
		parts = append(parts, vaulttest.Form(a))
	}
	if *consent != "" {
		parts = append(parts, vaulttest.Consent(parseUses(ts, *consent)...))
	}
	if *replyTo != "" {
		parts = append(parts, vaulttest.Part{Header: vault.PartHeader{Kind: vault.KindReplyKey}, Content: []byte(*replyTo)})
	}
	for _, f := range attach {
		data, err := os.ReadFile(ts.MkAbs(f))
		ts.Check(err)
		typ, _, _ := strings.Cut(mime.TypeByExtension(filepath.Ext(f)), ";")
		parts = append(parts, vaulttest.Attachment(filepath.Base(f), typ, data))
	}
	store, recs := openStore(ts, ts.MkAbs(fs.Arg(0)), submitDay)
	defer store.Close()
	id, err := vaulttest.Submit(store, recs, parts...)
	ts.Check(err)
	ts.Check(store.Close())
	if *idVar != "" {
		ts.Setenv(*idVar, string(id))
	}
}

// laterID reads an ID argument, or the variable it names.
func laterID(ts *testscript.TestScript, arg string) vault.ID {
	if v := ts.Getenv(arg); v != "" {
		arg = v
	}
	id, err := vault.ParseID(arg)
	ts.Check(err)
	return id
}

func withdraw(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: withdraw DATADIR ID USES")
	}
	store, recs := openStore(ts, ts.MkAbs(args[0]), submitDay.AddDate(0, 0, 1))
	defer store.Close()
	ts.Check(vaulttest.Add(store, laterID(ts, args[1]), recs, vaulttest.Withdraw(parseUses(ts, args[2])...)))
	ts.Check(store.Close())
}

func addText(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: addtext DATADIR ID TEXT")
	}
	store, recs := openStore(ts, ts.MkAbs(args[0]), submitDay.AddDate(0, 0, 1))
	defer store.Close()
	ts.Check(vaulttest.Add(store, laterID(ts, args[1]), recs, vaulttest.Text(args[2])))
	ts.Check(store.Close())
}

// setGlob names a file the script cannot know in advance, such as a
// sealed original named by its hash.
func setGlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: setglob VAR PATTERN")
	}
	dir := ts.MkAbs(".")
	m, err := filepath.Glob(filepath.Join(dir, args[1]))
	ts.Check(err)
	if len(m) != 1 {
		ts.Fatalf("setglob: %d files match %s, want 1", len(m), args[1])
	}
	rel, err := filepath.Rel(dir, m[0])
	ts.Check(err)
	ts.Setenv(args[0], rel)
}
