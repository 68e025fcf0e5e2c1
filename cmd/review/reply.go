package main

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"testimony/internal/safefile"
	"testimony/internal/visible"
	"testimony/vault"
)

func cmdReply(r *runner, args []string) {
	w, rv, id, text := r.writeText(args)
	defer w.Close()
	if err := rv.Reply(id, text); err != nil {
		r.fatal(err)
	}
	fmt.Fprintf(os.Stderr, "review: reply to %s written; send it with \"review send-replies\"\n", id)
}

func cmdOutbox(r *runner, args []string) {
	r.identityFlags()
	var cancel bool
	r.fs.BoolVar(&cancel, "cancel", false, "take the reply ID ENTRY out of the outbox, unsent")
	r.parse(args, anyArgs)
	w := r.open()
	defer w.Close()
	if cancel {
		r.wantArgs(2)
		id, err := parseID(r.fs.Arg(0))
		if err != nil {
			r.c.Fatal(err, "")
		}
		seq, err := strconv.ParseUint(r.fs.Arg(1), 10, 64)
		if err != nil {
			r.misuse("ENTRY is the reply's entry number, as \"review outbox\" lists it")
		}
		if err := r.unlock(w).CancelReply(id, seq); err != nil {
			r.fatal(err)
		}
		fmt.Fprintf(os.Stderr, "review: the reply to %s (entry %d) is cancelled; it will not be sent\n", id, seq)
		return
	}
	r.wantArgs(0)
	waiting, err := r.unlock(w).Outbox()
	if err != nil {
		r.fatal(err)
	}
	out := bufio.NewWriter(os.Stdout)
	for _, m := range waiting {
		fmt.Fprintf(out, "%s  %5d  %s  %s\n", m.To, m.Seq, m.Day, m.Actor)
		for _, l := range strings.Split(strings.TrimRight(visible.Text(m.Text), "\n"), "\n") {
			fmt.Fprintf(out, "    %s\n", l)
		}
	}
	if err := out.Flush(); err != nil {
		r.fatal(err)
	}
	if len(waiting) == 0 {
		fmt.Fprintln(os.Stderr, "review: no replies waiting to be sent")
	}
}

func cmdSendReplies(r *runner, args []string) {
	r.identityFlags()
	var out string
	r.fs.StringVar(&out, "o", "", "reply bundle to write")
	r.fs.StringVar(&out, "output", "", "same as -o")
	r.parse(args, 0)
	if out == "" {
		r.misuse("send-replies needs -o FILE (or -o - for standard output)")
	}
	if out == "-" && isTerminal(os.Stdout) {
		r.c.Fatal(errors.New("refusing to output binary to the terminal"), "a reply bundle is binary: redirect standard output to a file, or use -o FILE")
	}
	w := r.open()
	defer w.Close()
	rv := r.unlock(w)
	var n int
	var sent func(vault.Hash) error
	var sum vault.Hash
	var err error
	if out == "-" {
		// What reaches standard output is all the outbox can know of:
		// the replies leave it once every byte was written.
		h := sha256.New()
		bw := bufio.NewWriter(io.MultiWriter(os.Stdout, h))
		if n, sent, err = rv.SendReplies(bw); err == nil {
			err = bw.Flush()
		}
		h.Sum(sum[:0])
		out = "standard output"
	} else {
		sum, err = safefile.WriteNew(out, func(f io.Writer) error {
			var err error
			n, sent, err = rv.SendReplies(f)
			return err
		})
	}
	if errors.Is(err, safefile.ErrExists) {
		r.c.Fatal(err, "nothing was written; choose a new name with -o")
	}
	if err != nil {
		r.fatal(err)
	}
	if err := sent(sum); err != nil {
		r.fatal(fmt.Errorf("%s is written, but the replies stay in the outbox: %w", out, err))
	}
	file := out
	if file == "standard output" {
		file = "FILE"
	}
	fmt.Fprintf(os.Stderr, "review: wrote %d repl%s to %s; on the server: intake import-replies -data DIR %s\n", n, map[bool]string{true: "y", false: "ies"}[n == 1], out, file)
}
