package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"time"

	"filippo.io/age"

	"testimony/review"
	"testimony/vault"
)

func importBundle(w *review.Workspace, ids []age.Identity, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	last := start
	progress := func(items int, bytes int64) {
		if now := time.Now(); now.Sub(last) > time.Second {
			last = now
			mb := float64(bytes) / 1e6
			fmt.Fprintf(os.Stderr, "review: %d submission records, %.1f MB, %.1f MB/s\n", items, mb, mb/now.Sub(start).Seconds())
		}
	}
	res, err := w.Import(bufio.NewReaderSize(f, 1<<20), ids, progress)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "review: imported %s: %d new submission record(s), custody entries %d to %d\n", path, res.Items, res.From, res.To)
	return nil
}

func list(w *review.Workspace, ids []age.Identity) error {
	sums, err := w.List(ids)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	for _, s := range sums {
		fmt.Fprintf(out, "%s  %s  %d attachment(s)  %s\n", s.ID, s.Day, s.Attachments, s.Excerpt)
	}
	return out.Flush()
}

func show(w *review.Workspace, ids []age.Identity, arg string) error {
	id, err := vault.ParseID(arg)
	if err != nil {
		return fmt.Errorf("%q is not a submission ID: an ID is 16 letters a-z and digits 2-7", arg)
	}
	out := bufio.NewWriter(os.Stdout)
	if err := w.Show(id, ids, out); err != nil {
		return err
	}
	return out.Flush()
}

// hint suggests what to do about err, or returns "".
func hint(err error) string {
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return "this was encrypted to other reviewer keys: check -i, or ask who holds the team's keys"
	case errors.Is(err, review.ErrReplay):
		return "nothing to do: this bundle is already in the workspace"
	case errors.Is(err, review.ErrGap):
		return "import the earlier bundles first, or ask for a new export with -all"
	case errors.Is(err, review.ErrWrongServer):
		return "use a separate workspace for each intake server"
	case errors.Is(err, vault.ErrMalformed), errors.Is(err, vault.ErrChain):
		return "the bundle is damaged or was altered: do not use it; ask for a new export and keep this file for inspection"
	case errors.Is(err, vault.ErrNotFound):
		return "run \"review list\" to see the IDs"
	}
	return ""
}
