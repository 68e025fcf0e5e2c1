package review

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"

	"filippo.io/age"

	"testimony/review/redact"
	"testimony/vault"
)

// The editor's side. A statement is her account (the text of the
// submission and of every addition, in order) made safe to publish:
//
//  1. Redact stores a redaction plan for it: the detectors' suggestions,
//     as edited by the editor. Plans are derived records, encrypted to
//     the team, since they hold the real names.
//  2. Approve, by a second reviewer key, records the plan's hash.
//  3. PrepareExport checks her consent for the use, the approval, applies
//     the plan, runs the residual check, and stages the statement and its
//     attachments; publishing them records the export.

// StatementText returns the text a plan for submission id refers to: her
// account and each addition, in order, separated by a blank line.
func StatementText(c *Contents) string {
	var parts []string
	for _, t := range c.Texts {
		parts = append(parts, t.Body)
	}
	return strings.Join(parts, "\n\n")
}

// planState is where a submission's plan stands: its latest plan record
// and the approvals of that plan, oldest first (a new plan drops the
// approvals of the one before).
type planState struct {
	plan      *record // the latest plan, or nil
	approvals []record
}

func (w *Workspace) planState(id vault.ID, identities []age.Identity) (planState, error) {
	var st planState
	recs, err := w.records(id, identities)
	if err != nil {
		return st, err
	}
	for _, rec := range recs {
		switch rec.Kind {
		case ActionPlan:
			st.plan = &rec
			st.approvals = nil // a new plan needs its own approval
		case ActionApprove:
			st.approvals = append(st.approvals, rec)
		}
	}
	return st, nil
}

func planHash(text string) vault.Hash { return sha256.Sum256([]byte(text)) }

// PlanOrigin says where the plan [Reviewer.Plan] returns comes from.
type PlanOrigin struct {
	// Stored is true when it is the stored plan, which still fits her
	// text.
	Stored bool
	// Resuggested is true when a plan is stored but her text changed
	// since (she added to it): the plan returned is a new suggestion that
	// keeps the stored plan's decisions on the text that did not change
	// (see [redact.Resuggest]), and is not stored.
	Resuggested bool
	Carried     redact.Carried
}

// Plan returns the current redaction plan of submission id: the stored one
// while it fits her text; a new suggestion carrying its decisions over when
// her text changed since; or, with no plan stored or when startOver is
// true, the detectors' suggestion for her text. Only the stored plan is
// stored: the others are for the editor to check and store. opts
// configures the detectors.
func (rv *Reviewer) Plan(id vault.ID, opts *redact.Options, startOver bool) (plan []byte, origin PlanOrigin, err error) {
	w := rv.w
	st, err := w.planState(id, rv.ids)
	if err != nil {
		return nil, origin, err
	}
	c, err := w.contents(id, rv.ids)
	if err != nil {
		return nil, origin, err
	}
	text := StatementText(c)
	// The workspace memory: names and places confirmed in other
	// statements' plans are looked for in this one too.
	if opts == nil {
		opts = &redact.Options{}
	}
	withMemory := *opts
	withMemory.Remembered = append(slices.Clone(opts.Remembered), w.detectorOptions(rv.ids, id).Remembered...)
	opts = &withMemory
	var p *redact.Plan
	switch {
	case st.plan != nil && !startOver:
		old, err := redact.ParsePlan([]byte(st.plan.Text))
		if err != nil {
			return nil, origin, err
		}
		if old.Source == redact.SourceHash(text) {
			return []byte(st.plan.Text), PlanOrigin{Stored: true}, nil
		}
		origin.Resuggested = true
		if p, origin.Carried, err = redact.Resuggest(old, text, opts); err != nil {
			return nil, origin, err
		}
	default:
		if p, err = redact.NewPlan(text, opts); err != nil {
			return nil, origin, err
		}
	}
	b, err := p.MarshalText()
	return b, origin, err
}

// SavePlan checks an edited plan against her text and stores it, encrypted
// to the team, with a custody entry. A stored plan needs a new approval.
func (rv *Reviewer) SavePlan(id vault.ID, plan []byte) error {
	w := rv.w
	p, err := redact.ParsePlan(plan)
	if err != nil {
		return err
	}
	c, err := w.contents(id, rv.ids)
	if err != nil {
		return err
	}
	if err := p.Check(StatementText(c)); err != nil {
		if errors.Is(err, redact.ErrSourceMismatch) {
			return fmt.Errorf("%w: this plan's source line is for her earlier text", ErrPlanOutdated)
		}
		return err
	}
	canonical, err := p.MarshalText()
	if err != nil {
		return err
	}
	return w.addRecord(id, rv.actor, record{Kind: ActionPlan, Text: string(canonical)})
}
