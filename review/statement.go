package review

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

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
//  3. Export checks her consent for the use, the approval, applies the
//     plan, runs the residual check, and writes the statement.

// Actions of the editor's side in the workspace custody log.
const (
	ActionPlan    = "plan"    // a redaction plan was stored (Item: the submission's first item)
	ActionApprove = "approve" // a plan was approved; Item is the plan's hash
	ActionExport  = "export"  // a statement was exported; Item is the output file's hash
)

// Errors of the editor's side.
var (
	ErrNoPlan       = errors.New("review: this submission has no redaction plan")
	ErrNotApproved  = errors.New("review: the redaction plan is not approved by a second reviewer")
	ErrOwnPlan      = errors.New("review: the plan's own author cannot approve it")
	ErrConsent      = errors.New("review: she did not consent to this use")
	ErrResidual     = errors.New("review: redacted terms remain in the export")
	ErrPlanOutdated = errors.New("review: her text changed since the plan was made (she added to it)")
)

// StatementText returns the text a plan for submission id refers to: her
// account and each addition, in order, separated by a blank line.
func StatementText(c *Contents) string {
	var parts []string
	for _, t := range c.Texts {
		parts = append(parts, t.Body)
	}
	return strings.Join(parts, "\n\n")
}

// plans returns the submission's plan records, oldest first, with the
// approvals.
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

// PlanOrigin says where the plan [Workspace.Plan] returns comes from.
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
func (w *Workspace) Plan(id vault.ID, identities []age.Identity, opts *redact.Options, startOver bool) (plan []byte, origin PlanOrigin, err error) {
	st, err := w.planState(id, identities)
	if err != nil {
		return nil, origin, err
	}
	c, err := w.contents(id, identities)
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
	withMemory.Remembered = append(slices.Clone(opts.Remembered), w.detectorOptions(identities, id).Remembered...)
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
func (w *Workspace) SavePlan(id vault.ID, identities []age.Identity, plan []byte) error {
	p, err := redact.ParsePlan(plan)
	if err != nil {
		return err
	}
	c, err := w.contents(id, identities)
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
	actor, err := w.Unlock(identities)
	if err != nil {
		return err
	}
	return w.addRecord(id, actor, record{Kind: ActionPlan, Text: string(canonical)})
}

// Approve records that the reviewer of identities approves the current plan
// of submission id. The plan's author cannot approve it: publication needs
// two people.
func (w *Workspace) Approve(id vault.ID, identities []age.Identity) (vault.Hash, error) {
	actor, err := w.Unlock(identities)
	if err != nil {
		return vault.Hash{}, err
	}
	st, err := w.planState(id, identities)
	if err != nil {
		return vault.Hash{}, err
	}
	if st.plan == nil {
		return vault.Hash{}, ErrNoPlan
	}
	if st.plan.Actor == actor {
		return vault.Hash{}, fmt.Errorf("%w (%s wrote it)", ErrOwnPlan, actor)
	}
	h := planHash(st.plan.Text)
	err = w.db.Update(func(tx *bolt.Tx) error {
		_, err := w.addRecordTx(tx, id, actor, record{Kind: ActionApprove, Text: h.String()}, h, "approvals")
		return err
	})
	return h, err
}

// contents reads a submission whole, for the editor, without recording a
// view (the editor's actions record their own).
func (w *Workspace) contents(id vault.ID, identities []age.Identity) (*Contents, error) {
	items, err := w.submission(id)
	if err != nil {
		return nil, err
	}
	return w.readContents(items, identities, texts)
}

// ExportOptions says what to export.
type ExportOptions struct {
	Use    vault.Use // the use the statement is for; her consent is checked
	Format string    // "json", "md" or "csv"

	// Attachments, if not nil, receives each attachment cleaned of its
	// metadata (JPEG and PNG decoded, turned upright, encoded again),
	// numbered as "review show" numbers them, after everything else has
	// passed. A kind that cannot be cleaned (HEIC, PDF, Office…) stops the
	// export, unless AllowUncleanable, an explicit override that custody
	// records.
	Attachments      func(name string, c *redact.Cleaned) error
	AllowUncleanable bool
}

// AttachmentName is the file name an exported attachment gets: its number
// and the extension of its cleaned kind, never the name her device sent.
func AttachmentName(n int, mediaType string) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png"}[mediaType]
	return fmt.Sprintf("attachment-%d%s", n, ext)
}

// ActionOverride records an editor's override of the metadata check.
const ActionOverride = "override-uncleanable"

// Statement is an approved, redacted, consent-checked statement ready to
// write.
type Statement struct {
	Use          vault.Use
	MayQuote     bool   // she consented to verbatim quotation
	Text         string // the redacted statement; empty if it may not be given
	Answers      *vault.Answers
	Consent      []vault.Use
	Withdrawn    []vault.Use
	Originals    []vault.Hash // SHA-256 of each sealed original (ciphertext) it came from
	PlanHash     vault.Hash
	Editor       string   // who wrote the plan
	Approvers    []string // who approved it
	Year, Month  int      // when, from her answers, at the precision kept
	Approximate  bool
	Province     string // her answer's province code
	Acts         []string
	Perpetrators []string
	FirstHand    string // "first-hand", "heard from others" or ""
}

// Export checks everything publication needs and returns the statement,
// then records the export once write has stored it: her consent for
// opts.Use (given and not withdrawn), a plan approved by a second
// reviewer, the plan applying to her text, and the residual check on the
// output. Any failure writes nothing.
func (w *Workspace) Export(id vault.ID, identities []age.Identity, opts ExportOptions, write func(*Statement) ([]byte, error), store func([]byte) (vault.Hash, error)) error {
	actor, err := w.Unlock(identities)
	if err != nil {
		return err
	}
	if !opts.Use.Valid() || opts.Use == vault.UseReview {
		return fmt.Errorf("%w: %q is not a use a statement is exported for (publish, quote, un, court)", ErrConsent, opts.Use)
	}
	c, err := w.contents(id, identities)
	if err != nil {
		return err
	}
	if !c.Consented(opts.Use) {
		given := []string{}
		if c.Consent != nil {
			for _, u := range c.Consent.Given {
				if !slices.Contains(c.Withdrawn(), u) {
					given = append(given, string(u))
				}
			}
		}
		withdrawn := []string{}
		for _, u := range c.Withdrawn() {
			withdrawn = append(withdrawn, string(u))
		}
		return fmt.Errorf("%w %q: she consented to [%s]%s", ErrConsent, opts.Use, strings.Join(given, " "),
			map[bool]string{true: "", false: " and withdrew [" + strings.Join(withdrawn, " ") + "]"}[len(withdrawn) == 0])
	}
	st, err := w.planState(id, identities)
	if err != nil {
		return err
	}
	if st.plan == nil {
		return ErrNoPlan
	}
	h := planHash(st.plan.Text)
	s := &Statement{Use: opts.Use, PlanHash: h, Editor: st.plan.Actor, Answers: c.Answers}
	for _, a := range st.approvals {
		if a.Text == h.String() && a.Actor != st.plan.Actor && !slices.Contains(s.Approvers, a.Actor) {
			s.Approvers = append(s.Approvers, a.Actor)
		}
	}
	if len(s.Approvers) == 0 {
		return ErrNotApproved
	}
	p, err := redact.ParsePlan([]byte(st.plan.Text))
	if err != nil {
		return err
	}
	text := StatementText(c)
	if err := p.Check(text); err != nil {
		if errors.Is(err, redact.ErrSourceMismatch) {
			return ErrPlanOutdated
		}
		return fmt.Errorf("%w: %v", ErrPlanOutdated, err)
	}
	redacted, err := redact.Apply(text, p)
	if err != nil {
		return err
	}
	// Published anonymised does not mean quoted: without that consent the
	// statement goes out as its facts, for the editor to paraphrase.
	s.MayQuote = c.Consented(vault.UseQuote) || opts.Use == vault.UseUN || opts.Use == vault.UseCourt
	if s.MayQuote {
		s.Text = redacted
	}
	if c.Consent != nil {
		s.Consent = c.Consent.Given
	}
	s.Withdrawn = c.Withdrawn()
	for _, it := range c.Items {
		for _, p := range it.Parts {
			s.Originals = append(s.Originals, p.Hash)
		}
	}
	if a := c.Answers; a != nil {
		s.Year, s.Month, s.Approximate, s.Province = a.Year, a.Month, a.Approximate, a.Province
		s.Acts, s.Perpetrators = a.What, a.Who
		switch a.Source {
		case "self":
			s.FirstHand = "first-hand"
		case "others":
			s.FirstHand = "heard from others"
		}
	}
	out, err := write(s)
	if err != nil {
		return err
	}
	// Attachments are cleaned in memory first, so a refusal writes nothing.
	var cleaned []*redact.Cleaned
	overridden := false
	if opts.Attachments != nil {
		for _, a := range c.Attachments {
			var buf bytes.Buffer
			if _, err := w.copyAttachmentTo(c.Items, identities, a.Number, &buf); err != nil {
				return err
			}
			cl, err := redact.CleanImage(&buf, &redact.CleanOptions{AllowUncleanable: opts.AllowUncleanable})
			if err != nil {
				return fmt.Errorf("attachment %d (%s): %w", a.Number, a.Type, err)
			}
			overridden = overridden || !cl.Cleaned
			cleaned = append(cleaned, cl)
		}
	}
	// The residual check covers everything that leaves: the statement, the
	// attachments' file names, and an attachment passed through uncleaned.
	contents := []redact.Content{{Where: "the export", Text: string(out)}}
	for i, cl := range cleaned {
		n := c.Attachments[i].Number
		contents = append(contents, redact.Content{Where: fmt.Sprintf("the file name of attachment %d", n), Text: AttachmentName(n, cl.MediaType)})
		if !cl.Cleaned {
			contents = append(contents, redact.Content{Where: fmt.Sprintf("attachment %d, passed through uncleaned", n), Text: string(cl.Data)})
		}
	}
	leaks := p.Residual(contents...)
	if s.MayQuote {
		// The detectors run again over the redacted text: what the plan
		// missed is refused until a plan line settles it.
		un, err := p.Unsettled(text, w.detectorOptions(identities, id))
		if err != nil {
			return err
		}
		leaks = append(leaks, un...)
	}
	if len(leaks) > 0 {
		var where []string
		for _, l := range leaks {
			where = append(where, l.String())
		}
		return fmt.Errorf("%w: %s; add a plan line for each (review redact: redact it, or keep it with a line such as keep name * \"…\") and export again", ErrResidual, strings.Join(where, "; "))
	}
	fileHash, err := store(out)
	if err != nil {
		return err
	}
	for i, cl := range cleaned {
		if err := opts.Attachments(AttachmentName(c.Attachments[i].Number, cl.MediaType), cl); err != nil {
			return err
		}
	}
	return w.db.Update(func(tx *bolt.Tx) error {
		if overridden {
			if _, err := w.appendLog(tx, actor, ActionOverride, c.Items[0].Hash()); err != nil {
				return err
			}
		}
		_, err := w.appendLog(tx, actor, ActionExport, fileHash)
		return err
	})
}
