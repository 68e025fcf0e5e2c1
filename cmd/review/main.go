// Command review is the reviewers' offline tool: it imports bundles from the
// intake server into a local workspace, verifies them, and decrypts
// testimony with identities that never touch the server. It never uses the
// network. Run "review -h" for usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"

	"testimony/internal/agekey"
	"testimony/internal/cli"
	"testimony/internal/interrupt"
	"testimony/internal/visible"
	"testimony/review"
	"testimony/review/scrub"
	"testimony/vault"
)

type stringsFlag []string

func (f *stringsFlag) String() string     { return strings.Join(*f, ",") }
func (f *stringsFlag) Set(v string) error { *f = append(*f, v); return nil }

// runner holds what every command shares: its flags, the workspace and
// identity options, and how to report.
type runner struct {
	c       *cli.CLI
	name    string
	fs      *flag.FlagSet
	ws      string
	idFiles stringsFlag
	readAny bool // list or search read at least one submission
}

var run = map[string]func(*runner, []string){
	"init":         cmdInit,
	"import":       cmdImport,
	"list":         cmdList,
	"show":         cmdShow,
	"attachment":   cmdAttachment,
	"search":       cmdSearch,
	"note":         cmdNote,
	"tag":          cmdTag,
	"reply":        cmdReply,
	"redact":       cmdRedact,
	"approve":      cmdApprove,
	"export":       cmdExport,
	"send-replies": cmdSendReplies,
	"outbox":       cmdOutbox,
	"custody":      cmdCustody,
	"prove":        cmdProve,
	"verify":       cmdVerify,
	"recipients":   cmdRecipients,
}

func main() {
	c := cli.New("review", usage)
	if len(os.Args) < 2 {
		c.Usage()
		return
	}
	name, args := os.Args[1], os.Args[2:]
	switch name {
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	}
	f, ok := run[name]
	if !ok {
		c.Unknown(name, commandNames...)
		return
	}
	// Ctrl-C, a closed terminal or a kill leave no plaintext: what is
	// being written is removed, and an output being published is finished
	// and reported first (internal/interrupt).
	interrupt.Catch(func(sig os.Signal) {
		fmt.Fprintf(c.Stderr, "review: interrupted (%v); nothing more was written, and nothing unfinished is left\n", sig)
		os.Exit(interrupt.ExitCode(sig))
	})
	removeEditorLeftovers()
	fs := flag.NewFlagSet("review "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	r := &runner{c: c, name: name, fs: fs}
	fs.StringVar(&r.ws, "w", "", "workspace directory")
	fs.StringVar(&r.ws, "workspace", "", "same as -w")
	f(r, args)
}

// identityFlags adds -i and -identity.
func (r *runner) identityFlags() {
	r.fs.Var(&r.idFiles, "i", "age identity file")
	r.fs.Var(&r.idFiles, "identity", "same as -i")
}

// anyArgs tells parse not to count positional arguments.
const anyArgs = -1 << 30

// parse parses args, prints the command's usage on -h, and checks there
// are exactly n positional arguments (at least -n if n is negative, any
// number if n is anyArgs).
func (r *runner) parse(args []string, n int) {
	err := r.fs.Parse(args)
	if err == flag.ErrHelp {
		fmt.Print(usages[r.name])
		r.c.Exit(0)
		return
	}
	if err != nil {
		r.misuse("%v", err)
	}
	r.flagsFirst(args)
	if n >= 0 && r.fs.NArg() != n || n < 0 && n != anyArgs && r.fs.NArg() < -n {
		r.misuse("%s: wrong number of arguments", r.name)
	}
	if r.ws == "" {
		if r.fs.Lookup("i") != nil {
			r.misuse("%s needs -w WORKSPACE and -i IDENTITY", r.name)
		}
		r.misuse("%s needs -w WORKSPACE", r.name)
	}
	if r.fs.Lookup("i") != nil && len(r.idFiles) == 0 && r.needsIdentity() {
		r.misuse("%s needs -w WORKSPACE and -i IDENTITY", r.name)
	}
}

// flagsFirst refuses a flag written after the positional arguments, which
// Go's flag package would take as one of them (so "tag ID -d urgent" would
// add a tag "-d"), and says what was meant, as age does.
func (r *runner) flagsFirst(args []string) {
	late := false
	for _, a := range r.fs.Args() {
		if r.flagName(a) != nil {
			late = true
			break
		}
	}
	if !late {
		return
	}
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		f := r.flagName(a)
		if f == nil {
			pos = append(pos, quoteArg(a))
			continue
		}
		flags = append(flags, quoteArg(a))
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); (!ok || !b.IsBoolFlag()) && !strings.Contains(a, "=") && i+1 < len(args) {
			i++
			flags = append(flags, quoteArg(args[i]))
		}
	}
	r.misuse("flags go before the arguments: did you mean \"review %s %s\"?", r.name, strings.Join(append(flags, pos...), " "))
}

// flagName returns the flag a is, if it is one of this command's.
func (r *runner) flagName(a string) *flag.Flag {
	if len(a) < 2 || a[0] != '-' || a == "--" {
		return nil
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
	return r.fs.Lookup(name)
}

// quoteArg quotes a for a shell when it needs it.
func quoteArg(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

// wantArgs checks, after parse with anyArgs, that there are n positional
// arguments.
func (r *runner) wantArgs(n int) {
	if r.fs.NArg() != n {
		r.misuse("%s: wrong number of arguments", r.name)
	}
}

// needsIdentity reports whether the command as invoked decrypts anything.
func (r *runner) needsIdentity() bool {
	return r.name != "custody" && (r.name != "recipients" || r.fs.NArg() > 0)
}

// misuse reports a usage error and exits with status 2.
func (r *runner) misuse(format string, args ...any) {
	fmt.Fprintf(r.c.Stderr, "review: error: %s\n", visible.Line(fmt.Sprintf(format, args...)))
	fmt.Fprintf(r.c.Stderr, "review: hint: run \"review %s -h\" for usage\n", r.name)
	r.c.Exit(2)
}

// fatal reports err with a hint and exits with status 1.
func (r *runner) fatal(err error) {
	r.c.Fatal(err, r.hint(err))
}

// identities loads the -i files, asking on the terminal for passphrases
// and for what plugins need.
func (r *runner) identities() []age.Identity {
	ids, err := agekey.IdentityOptions{Passphrase: readPassphrase, PluginUI: pluginUI()}.Load(r.idFiles)
	if err != nil {
		r.fatal(err)
	}
	return ids
}

// unlock loads the -i files and checks them against w's team: once for
// the whole command, since a hardware key behind a plugin may ask its
// holder at every decryption (review.Reviewer).
func (r *runner) unlock(w *review.Workspace) *review.Reviewer {
	rv, err := w.Unlock(r.identities())
	if err != nil {
		w.Close()
		r.fatal(err)
	}
	return rv
}

// submissionArg reads the submission ID argument and opens the workspace.
func (r *runner) submissionArg() (vault.ID, *review.Workspace) {
	id, err := parseID(r.fs.Arg(0))
	if err != nil {
		r.c.Fatal(err, "")
	}
	return id, r.open()
}

// open opens the workspace, or explains how to make one.
func (r *runner) open() *review.Workspace {
	w, err := review.Open(r.ws, false)
	if errors.Is(err, review.ErrNoWorkspace) {
		r.c.Fatal(err, "create one first: review init -w "+r.ws+" -r RECIPIENTS")
	}
	if err != nil {
		r.fatal(err)
	}
	for _, p := range w.Removed() {
		fmt.Fprintf(r.c.Stderr, "review: removed %s, left unfinished by a review command that was killed\n", p)
	}
	return w
}

// hint suggests what to do about err, or returns "".
func (r *runner) hint(err error) string {
	var residual *review.ResidualError
	switch {
	case errors.Is(err, review.ErrNotOnTeam):
		return "check -i: the workspace's team keys are listed by \"review recipients -w " + r.ws + "\""
	case errors.Is(err, review.ErrNoIdentityMatch):
		return "this was encrypted to other reviewer keys: check -i, or ask who holds the team's keys"
	case errors.Is(err, agekey.ErrWrongPassphrase):
		return "try again; the passphrase is the one given to \"age -p\" when the identity file was made"
	case errors.Is(err, agekey.ErrNoPassphrase):
		return "run review from a terminal, so it can ask for the passphrase"
	case errors.Is(err, agekey.ErrPluginMissing):
		return "install the plugin for your hardware key on this machine, or check -i"
	case errors.Is(err, review.ErrReplay):
		return "nothing to do: this bundle is already in the workspace"
	case errors.Is(err, review.ErrGap):
		return "import the earlier bundles first, or ask for a new export with -all"
	case errors.Is(err, review.ErrWrongServer):
		return "use a separate workspace for each intake server"
	case errors.Is(err, review.ErrExists):
		return "open it with the other commands, or choose another directory"
	case errors.Is(err, review.ErrBusy):
		return "wait for the other review command to finish"
	case errors.Is(err, vault.ErrMalformed), errors.Is(err, vault.ErrChain):
		if r.name == "import" {
			return "the bundle is damaged or was altered: do not use it; ask for a new export and keep this file for inspection"
		}
		return "run \"review verify -w " + r.ws + "\" to see what is damaged"
	case errors.Is(err, vault.ErrNotFound):
		return "run \"review list\" to see the IDs"
	case errors.Is(err, review.ErrNoPlan):
		return "make one first: review redact -w " + r.ws + " -i IDENTITY ID"
	case errors.Is(err, review.ErrNotApproved):
		return "a second reviewer must read the plan and run \"review approve\""
	case errors.Is(err, review.ErrOwnPlan):
		return "ask another reviewer, with their own key, to approve it"
	case errors.Is(err, review.ErrConsent):
		return "export only for a use she consented to; nothing was written"
	case errors.Is(err, scrub.ErrCannotClean) || errors.Is(err, scrub.ErrImageTooLarge):
		return "nothing was written; leave that attachment out with -leave-out N (its number above), or open it yourself and let it out as it is with -allow-uncleanable"
	case errors.As(err, &residual) && len(residual.Uncleaned) > 0:
		// The message says what to leave out: a plan cannot help.
		return "nothing was written"
	case errors.Is(err, review.ErrResidual):
		return "nothing was written; add the terms to the plan with \"review redact\", then approve and export again"
	case errors.Is(err, review.ErrPlanOutdated):
		return "run \"review redact\" again: it suggests a plan for her new text that keeps your decisions on the earlier text; check it, store it, and have it approved again (\"review redact -start-over\" suggests one from nothing)"
	case errors.Is(err, review.ErrNoRecontact):
		return "a reply would contact her: write a note for the team instead; nothing was written"
	case errors.Is(err, review.ErrNoContact):
		return "her answers say not to contact her: write a note for the team instead"
	case errors.Is(err, review.ErrNotWaiting):
		return "\"review outbox -w " + r.ws + " -i IDENTITY\" lists the replies waiting, with their entry numbers"
	case errors.Is(err, review.ErrNoSuchTag):
		return "nothing was changed; \"review show\" lists its tags"
	case errors.Is(err, review.ErrNoReplies):
		return "write one first with \"review reply\""
	}
	return ""
}
