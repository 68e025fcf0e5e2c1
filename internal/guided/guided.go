// Package guided owns the form's guided questions: which questions the
// form asks, the code of every choice it offers (the code is what an
// answers part stores, vault.Answers), and every label a code is shown
// with: on the form in each of her languages, in the statements review
// exports, and in what review show prints. The intake, review and the
// docs read them from here and nowhere else, so a code added to the form
// cannot be missing a label somewhere (TestEveryCodeHasEveryLabel).
//
// The choices follow HURIDOCS' event formats (DOMAIN.md). Her labels
// follow LANGUAGE-REVIEW.md. Nothing she is asked is required.
package guided

import (
	"errors"
	"fmt"
	"strconv"
)

// Languages are the form's languages, as the intake names them.
var Languages = []string{"ko", "zh", "en"}

// A Choice is one answer the form offers to a question.
type Choice struct {
	// Code is what an answers part stores. Codes are stable: stored
	// testimony holds them.
	Code string
	// Form is the label she reads on the form, by language.
	Form map[string]string
	// Export is the label statements carry (json, md, csv and uwazi
	// alike), in English, as documentation databases name it; empty for
	// a question statements do not carry.
	Export string
	// Show is what review show prints for the code.
	Show string
}

// A Question is one guided question: the name of its form field and of
// its field in an answers part, and its choices in the order the form
// offers them.
type Question struct {
	Name    string
	Choices []Choice
	// Exported reports whether statements carry the answer, so every
	// choice needs an Export label.
	Exported bool
}

// ErrUnknownCode means an answers part holds a code the question does not
// offer: a form newer than this tool wrote it, or it is damaged.
var ErrUnknownCode = errors.New("unknown code")

// Choice returns the choice of q whose code is code.
func (q *Question) Choice(code string) (Choice, bool) {
	for _, c := range q.Choices {
		if c.Code == code {
			return c, true
		}
	}
	return Choice{}, false
}

// Valid reports whether code is one of q's choices.
func (q *Question) Valid(code string) bool {
	_, ok := q.Choice(code)
	return ok
}

// ExportLabel returns the label statements carry for code, or an error
// wrapping [ErrUnknownCode]: a statement leaves the team, and one that
// named a code its reader cannot look up would be worse than none, so an
// unknown code stops the export instead of passing through raw.
func (q *Question) ExportLabel(code string) (string, error) {
	c, ok := q.Choice(code)
	if !ok || c.Export == "" {
		return "", q.unknown(code)
	}
	return c.Export, nil
}

// ExportLabels returns the export label of each of codes, in order.
func (q *Question) ExportLabels(codes []string) ([]string, error) {
	var out []string
	for _, code := range codes {
		l, err := q.ExportLabel(code)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// ShowLabel returns what review show prints for code. A reviewer must be
// able to read every submission, also one a newer form wrote, so an
// unknown code is shown, marked as such, instead of stopping the command.
func (q *Question) ShowLabel(code string) string {
	if c, ok := q.Choice(code); ok {
		return c.Show
	}
	return "unknown code " + strconv.Quote(code)
}

func (q *Question) unknown(code string) error {
	return fmt.Errorf("%w %q in her answer to %q: a newer form wrote it, or the submission is damaged; update review, and do not export it with this one", ErrUnknownCode, code, q.Name)
}

// Questions lists every guided question, in the order the form asks them.
var Questions = []*Question{&What, &Who, &Province, &Source, &Elsewhere, &Contact}
