package main

import (
	"fmt"
	"os"
	"strings"

	"testimony/review"
	"testimony/vault"
)

func cmdNote(r *runner, args []string) {
	w, rv, id, text := r.writeText(args)
	defer w.Close()
	if err := rv.Note(id, text); err != nil {
		r.fatal(err)
	}
	fmt.Fprintf(os.Stderr, "review: note added to %s\n", id)
}

// writeText is what note and reply share: the submission ID argument, the
// workspace, the identities (checked before asking for text the reviewer
// would then lose), and the text, from standard input or, on a terminal,
// from $EDITOR.
func (r *runner) writeText(args []string) (*review.Workspace, *review.Reviewer, vault.ID, string) {
	r.identityFlags()
	r.parse(args, 1)
	id, w := r.submissionArg()
	rv := r.unlock(w)
	var text string
	var err error
	if isTerminal(os.Stdin) {
		text, err = editNote()
	} else {
		text, err = review.ReadNote(os.Stdin)
	}
	if err != nil {
		w.Close()
		r.fatal(err)
	}
	return w, rv, id, text
}

func cmdTag(r *runner, args []string) {
	r.identityFlags()
	var remove bool
	r.fs.BoolVar(&remove, "d", false, "remove the tags")
	r.parse(args, -2)
	id, err := parseID(r.fs.Arg(0))
	if err != nil {
		r.c.Fatal(err, "")
	}
	tags := r.fs.Args()[1:]
	for _, t := range tags {
		if err := review.CheckTag(t); err != nil {
			r.misuse("%q is not a tag: a tag is letters, digits, '-', '_' and '.', and does not start with '-'", t)
		}
	}
	w := r.open()
	defer w.Close()
	add, del := tags, []string(nil)
	if remove {
		add, del = nil, tags
	}
	rv := r.unlock(w)
	if err := rv.Tag(id, add, del); err != nil {
		r.fatal(err)
	}
	now, err := rv.Tags(id)
	if err != nil {
		r.fatal(err)
	}
	if len(now) == 0 {
		now = []string{"(none)"}
	}
	fmt.Fprintf(os.Stderr, "review: tags of %s now: %s\n", id, strings.Join(now, ", "))
}
