package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"testimony/internal/agekey"
	"testimony/review"
	"testimony/vault"
)

// openArg opens a file argument, "-" meaning standard input.
func openArg(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(path)
}

func parseID(arg string) (vault.ID, error) {
	id, err := vault.ParseID(arg)
	if err != nil {
		return "", fmt.Errorf("%q is not a submission ID: an ID is 16 letters a-z and digits 2-7", arg)
	}
	return id, nil
}

func cmdInit(r *runner, args []string) {
	var recFile string
	r.fs.StringVar(&recFile, "r", "", "recipients file")
	r.fs.StringVar(&recFile, "recipients", "", "same as -r")
	r.parse(args, 0)
	if recFile == "" {
		r.misuse("init needs -w WORKSPACE and -r RECIPIENTS")
	}
	f, err := openArg(recFile)
	if err != nil {
		r.fatal(err)
	}
	recs, err := agekey.ParseRecipients(f)
	f.Close()
	if err != nil {
		r.c.Fatal(fmt.Errorf("%s: %w", recFile, err), "give the team's public keys (age1…), one a line, as for \"intake serve -recipients\"")
	}
	w, err := review.Init(r.ws, recs)
	if err != nil {
		r.fatal(err)
	}
	defer w.Close()
	team, _ := w.Recipients()
	fmt.Fprintf(os.Stderr, "review: created workspace %s for %d team recipient(s)\n", r.ws, len(team))
}

func cmdImport(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, anyArgs)
	if r.fs.NArg() == 0 {
		r.misuse("import needs BUNDLE, the bundle file to import (or - to read it from standard input)")
	}
	r.wantArgs(1)
	w := r.open()
	defer w.Close()
	path := r.fs.Arg(0)
	f, err := openArg(path)
	if err != nil {
		r.fatal(err)
	}
	defer f.Close()
	start := time.Now()
	var items int
	var read int64
	line := func(now time.Time) {
		mb := float64(read) / 1e6
		rate := mb / max(now.Sub(start).Seconds(), 1e-3)
		fmt.Fprintf(os.Stderr, "review: read %d submission record(s), %.1f MB, %.1f MB/s\n", items, mb, rate)
	}
	progress := func(n int, bytes int64) { items, read = n, bytes }
	// Every second, the bytes read so far, and how much of the file that
	// is: a record can be large, and a stick slow.
	m := newMeter(f, os.Stderr, start)
	m.onTerminal(os.Stderr)
	res, err := r.unlock(w).Import(bufio.NewReaderSize(m.reader(f), 1<<20), progress)
	m.finish()
	if err != nil {
		r.fatal(err)
	}
	line(time.Now()) // always a final line, however quick the import
	fmt.Fprintf(os.Stderr, "review: imported %s: %d new submission record(s), custody entries %d to %d\n", path, res.Items, res.From, res.To)
	if res.Overshared > 0 {
		fmt.Fprintf(os.Stderr, "review: warning: %d part(s) are encrypted to more keys than this team has\n", res.Overshared)
		fmt.Fprintf(os.Stderr, "review: hint: compare the server's recipients file with \"review recipients -w WORKSPACE\"; a key you do not know there can read this testimony\n")
	}
}

func cmdRecipients(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, anyArgs)
	switch r.fs.NArg() {
	case 0:
	case 2:
		if a := r.fs.Arg(0); a != "add" && a != "retire" {
			r.misuse("recipients takes add or retire, not %q", a)
		}
	default:
		r.misuse("recipients: wrong number of arguments")
	}
	w := r.open()
	defer w.Close()
	if r.fs.NArg() == 2 {
		recs, err := agekey.ParseRecipients(strings.NewReader(r.fs.Arg(1)))
		if err != nil || len(recs) != 1 {
			r.c.Fatal(errors.New("RECIPIENT is not an age public key"), "give one public key (age1…), as age-keygen -y prints it")
		}
		rv := r.unlock(w)
		if r.fs.Arg(0) == "add" {
			err = rv.AddRecipient(recs[0])
		} else {
			err = rv.RetireRecipient(recs[0])
		}
		if err != nil {
			r.fatal(err)
		}
		fmt.Fprintf(os.Stderr, "review: team changed; notes and tags re-encrypted; update the server's recipients file too (docs/reviewer.md)\n")
	}
	team, err := w.Recipients()
	if err != nil {
		r.fatal(err)
	}
	for _, t := range team {
		fmt.Printf("%s  %s\n", review.Fingerprint(t), t)
	}
}
