package review

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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
//  3. PrepareExport checks her consent for the use, the approval, applies
//     the plan, runs the residual check, and stages the statement and its
//     attachments; publishing them records the export.

// Actions of the editor's side in the workspace custody log.
const (
	ActionPlan    = "plan"    // a redaction plan was stored (Item: the submission's first item)
	ActionApprove = "approve" // a plan was approved; Item is the plan's hash
	ActionExport  = "export"  // a statement was exported; Item is a keyed commitment to its file (provenance.go)
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

// ExportUses are the uses a statement can be exported for. The others are
// not exports: review is reading inside the organisation, and recontact
// is permission to write to her, not to let her account out.
var ExportUses = []vault.Use{vault.UsePublish, vault.UseQuote, vault.UseUN, vault.UseCourt}

// ExportOptions says what to export.
type ExportOptions struct {
	Use    vault.Use // the use the statement is for; her consent is checked
	Format string    // one of Formats
	Output string    // the statement's file

	// AttachmentsDir, if not "", receives each attachment cleaned of its
	// metadata (JPEG and PNG decoded, turned upright, encoded again), as
	// AttachmentName names it. A kind that cannot be cleaned (HEIC, PDF,
	// Office…) stops the export, unless AllowUncleanable, an explicit
	// override that the export's sealed record keeps.
	AttachmentsDir   string
	AllowUncleanable bool
	// LeaveOut numbers attachments (as "review show" numbers them) that
	// stay behind: one that cannot be cleaned, or that shows her, need
	// not stop the others from going.
	LeaveOut []int
}

// AttachmentName is the file name an exported attachment gets: its number
// and the extension of its cleaned kind, never the name her device sent.
func AttachmentName(n int, mediaType string) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png"}[mediaType]
	return fmt.Sprintf("attachment-%d%s", n, ext)
}

// ActionOverride was the custody action of an editor's override of the
// metadata check; the override is now in the export's sealed record, and
// entries of older workspaces keep the name.
const ActionOverride = "override-uncleanable"

// Statement is an approved, redacted, consent-checked statement ready to
// write.
type Statement struct {
	Use          vault.Use
	MayQuote     bool   // she consented to verbatim quotation
	Text         string // the redacted statement; empty if it may not be given
	Answers      *vault.Answers
	Consent      []vault.Use // what she consented to and has not withdrawn
	Withdrawn    []vault.Use
	Salt         [16]byte     // this statement's provenance salt
	Commitments  []vault.Hash // a keyed commitment to each sealed original (provenance.go)
	PlanHash     vault.Hash
	Editor       string   // who wrote the plan
	Approvers    []string // who approved it
	Year, Month  int      // when, from her answers, at the precision kept
	Approximate  bool
	Province     string // her answer's province code
	Acts         []string
	Perpetrators []string
	FirstHand    string // "first-hand", "heard from others" or ""
	// Persons are the pseudonyms the statement's text gives people, in
	// the order the plan first names them; empty when her words are not
	// given.
	Persons []string
}

// PrepareExport checks everything publication needs and stages the
// statement and its attachments, all or nothing (output.go gives the
// order): her consent for opts.Use (given and not withdrawn), a plan
// approved by a second reviewer, the plan applying to her text, every
// attachment cleaned, and the residual check on everything that leaves.
// Nothing is at its name until the returned Output is published, which
// also records the export; on any failure nothing is left.
func (w *Workspace) PrepareExport(id vault.ID, identities []age.Identity, opts ExportOptions) (*Output, error) {
	actor, err := w.Unlock(identities)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(ExportUses, opts.Use) {
		return nil, fmt.Errorf("%w: %q is not a use a statement is exported for (publish, quote, un, court)", ErrConsent, opts.Use)
	}
	c, err := w.contents(id, identities)
	if err != nil {
		return nil, err
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
		return nil, fmt.Errorf("%w %q: she consented to [%s]%s", ErrConsent, opts.Use, strings.Join(given, " "),
			map[bool]string{true: "", false: " and withdrew [" + strings.Join(withdrawn, " ") + "]"}[len(withdrawn) == 0])
	}
	st, err := w.planState(id, identities)
	if err != nil {
		return nil, err
	}
	if st.plan == nil {
		return nil, ErrNoPlan
	}
	h := planHash(st.plan.Text)
	s := &Statement{Use: opts.Use, PlanHash: h, Editor: st.plan.Actor, Answers: c.Answers}
	for _, a := range st.approvals {
		if a.Text == h.String() && a.Actor != st.plan.Actor && !slices.Contains(s.Approvers, a.Actor) {
			s.Approvers = append(s.Approvers, a.Actor)
		}
	}
	if len(s.Approvers) == 0 {
		return nil, ErrNotApproved
	}
	p, err := redact.ParsePlan([]byte(st.plan.Text))
	if err != nil {
		return nil, err
	}
	text := StatementText(c)
	if err := p.Check(text); err != nil {
		if errors.Is(err, redact.ErrSourceMismatch) {
			return nil, ErrPlanOutdated
		}
		return nil, fmt.Errorf("%w: %v", ErrPlanOutdated, err)
	}
	redacted, err := redact.Apply(text, p)
	if err != nil {
		return nil, err
	}
	// Published anonymised does not mean quoted: without that consent the
	// statement goes out as its facts, for the editor to paraphrase.
	s.MayQuote = c.Consented(vault.UseQuote) || opts.Use == vault.UseUN || opts.Use == vault.UseCourt
	if s.MayQuote {
		s.Text = redacted
		for _, d := range p.Decisions {
			if d.Op == redact.OpPseudonym && d.Replacement != "" && !slices.Contains(s.Persons, d.Replacement) && strings.Contains(redacted, d.Replacement) {
				s.Persons = append(s.Persons, d.Replacement)
			}
		}
	}
	for _, u := range vault.Uses {
		if c.Consented(u) {
			s.Consent = append(s.Consent, u)
		}
	}
	s.Withdrawn = c.Withdrawn()
	k, err := w.provenanceKey(identities)
	if err != nil {
		return nil, err
	}
	rand.Read(s.Salt[:])
	ks := statementKey(k, s.Salt[:])
	for _, it := range c.Items {
		for _, p := range it.Parts {
			s.Commitments = append(s.Commitments, commit(ks, p.Hash))
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
	out, err := s.Format(opts.Format)
	if err != nil {
		return nil, err
	}
	for _, n := range opts.LeaveOut {
		if n < 1 || n > len(c.Attachments) {
			return nil, fmt.Errorf("review: -leave-out %d: the submission has %d attachment(s), numbered from 1 as \"review show\" lists them", n, len(c.Attachments))
		}
	}
	var going []Attachment
	for _, a := range c.Attachments {
		if !slices.Contains(opts.LeaveOut, a.Number) {
			going = append(going, a)
		}
	}
	c.Attachments = going
	// Attachments are cleaned in memory first, so a refusal writes nothing.
	var cleaned []*redact.Cleaned
	overridden := false
	if opts.AttachmentsDir != "" {
		for _, a := range c.Attachments {
			var buf bytes.Buffer
			if _, err := w.copyAttachmentTo(c.Items, identities, a.Number, &buf); err != nil {
				return nil, err
			}
			cl, err := redact.CleanImage(&buf, &redact.CleanOptions{AllowUncleanable: opts.AllowUncleanable})
			if err != nil {
				return nil, fmt.Errorf("attachment %d (%s): %w", a.Number, a.Type, err)
			}
			overridden = overridden || !cl.Cleaned
			cleaned = append(cleaned, cl)
		}
	}
	// The residual check covers everything that leaves: the statement, the
	// attachments' file names, and an attachment passed through uncleaned.
	// The text as it is before a format escapes it is checked too: an
	// escape (Markdown's "\_") could split a term the check looks for.
	contents := []redact.Content{{Where: "the export", Text: string(out)},
		{Where: "the statement's text, before formatting", Text: s.Text + "\n" + s.Province + "\n" + strings.Join(s.Acts, "\n") + "\n" + strings.Join(s.Perpetrators, "\n")}}
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
			return nil, err
		}
		leaks = append(leaks, un...)
	}
	if len(leaks) > 0 {
		var where []string
		var inFiles []string
		for _, l := range leaks {
			where = append(where, l.String())
			for i, cl := range cleaned {
				if !cl.Cleaned && l.Where == fmt.Sprintf("attachment %d, passed through uncleaned", c.Attachments[i].Number) && !slices.Contains(inFiles, fmt.Sprint(c.Attachments[i].Number)) {
					inFiles = append(inFiles, fmt.Sprint(c.Attachments[i].Number))
				}
			}
		}
		if len(inFiles) > 0 {
			// A plan line cannot change a file passed through as it is.
			return nil, fmt.Errorf("%w: %s; a plan cannot change an uncleaned attachment: leave it out with -leave-out %s, and export again", ErrResidual, strings.Join(where, "; "), strings.Join(inFiles, " -leave-out "))
		}
		return nil, fmt.Errorf("%w: %s; add a plan line for each (review redact: redact it, or keep it with a line such as keep name * \"…\") and export again", ErrResidual, strings.Join(where, "; "))
	}

	// Everything passed: stage every file, then let the caller publish.
	paths := []string{opts.Output}
	datas := [][]byte{out}
	for i, cl := range cleaned {
		paths = append(paths, filepath.Join(opts.AttachmentsDir, AttachmentName(c.Attachments[i].Number, cl.MediaType)))
		datas = append(datas, cl.Data)
	}
	o, err := w.beginOutput(paths)
	if err != nil {
		return nil, err
	}
	rec := exportRecord{Kind: ActionExport, Submission: id, Actor: actor, Use: opts.Use, Format: opts.Format, Override: overridden}
	for i, data := range datas {
		if err := o.stage(i, func(f io.Writer) error { _, err := f.Write(data); return err }); err != nil {
			o.Discard()
			return nil, err
		}
		sum := o.staged[i].Sum()
		rec.Files = append(rec.Files, exportFile{Name: filepath.Base(paths[i]), SHA256: hex.EncodeToString(sum[:])})
	}
	if err := o.stagedAll(); err != nil {
		o.Discard()
		return nil, err
	}
	statementSum := o.staged[0].Sum()
	o.commit = func(tx *bolt.Tx) error {
		team, err := teamTx(tx)
		if err != nil {
			return err
		}
		e, err := w.appendLog(tx, actor, ActionExport, commit(ks, statementSum))
		if err != nil {
			return err
		}
		rec.Seq, rec.Day = e.Seq, e.Day
		j, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		// Padded, as derived records are, so its size says little.
		plain := append(j, make([]byte, vault.Bucket(int64(len(j)))-int64(len(j)))...)
		ct, err := sealBytes(plain, recipientsOf(team))
		if err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketExports)
		if err != nil {
			return err
		}
		return b.Put(seqKey(e.Seq), ct)
	}
	return o, nil
}
