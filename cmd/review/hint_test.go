package main

import (
	"fmt"
	"strings"
	"testing"

	"testimony/review"
)

// TestHintsByValue: the hint follows what the error is (errors.Is and
// errors.As), not its words, so rewording a message cannot change it.
func TestHintsByValue(t *testing.T) {
	r := &runner{name: "export", ws: "WS"}
	for _, c := range []struct {
		err  error
		want string
	}{
		{review.ErrNotOnTeam, "check -i: the workspace's team keys"},
		{fmt.Errorf("show: %w", review.ErrNotOnTeam), "check -i: the workspace's team keys"},
		{fmt.Errorf("%w a note: it was encrypted to other keys", review.ErrNoIdentityMatch), "this was encrypted to other reviewer keys"},
		{&review.ResidualError{Uncleaned: []int{2}}, "nothing was written"},
		{&review.ResidualError{}, "nothing was written; add the terms to the plan"},
	} {
		got := r.hint(c.err)
		if !strings.HasPrefix(got, c.want) || c.want == "nothing was written" && got != c.want {
			t.Errorf("hint for %v (%T): %q, want %q", c.err, c.err, got, c.want)
		}
	}
}
