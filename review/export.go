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

	bolt "go.etcd.io/bbolt"

	"testimony/internal/guided"
	"testimony/review/redact"
	"testimony/review/scrub"
	"testimony/vault"
)

// ExportUses are the uses a statement can be exported for. The others are
// not exports: review is reading inside the organisation, and recontact
// is permission to write to her, not to let her account out.
var ExportUses = []vault.Use{vault.UsePublish, vault.UseQuote, vault.UseUN, vault.UseCourt}

// ExportOptions says what to export.
type ExportOptions struct {
	Use    vault.Use // the use the statement is for; her consent is checked
	Format string    // one of Formats
	Output string    // the statement's file, or "-" for Stdout
	Stdout io.Writer // where the statement goes when Output is "-"

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

	// Progress, if not nil, counts the attachments' sealed bytes as they
	// are read, after setting Total to all of them.
	Progress *ByteCount
}

// AttachmentName is the file name an exported attachment gets: its number
// and the extension of its cleaned kind, never the name her device sent.
func AttachmentName(n int, mediaType string) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png"}[mediaType]
	return fmt.Sprintf("attachment-%d%s", n, ext)
}

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
func (rv *Reviewer) PrepareExport(id vault.ID, opts ExportOptions) (*Output, error) {
	w := rv.w
	if !slices.Contains(ExportUses, opts.Use) {
		return nil, fmt.Errorf("%w: %q is not a use a statement is exported for (publish, quote, un, court)", ErrConsent, opts.Use)
	}
	c, err := w.contents(id, rv.ids)
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
	st, err := w.planState(id, rv.ids)
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
	k, err := w.provenanceKey(rv.ids)
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
		if a.Source != "" {
			if s.FirstHand, err = guided.Source.ExportLabel(a.Source); err != nil {
				return nil, err
			}
		}
	}
	out, err := s.Format(opts.Format)
	if err != nil {
		return nil, err
	}
	for _, n := range opts.LeaveOut {
		if n < 1 || n > len(c.Attachments) {
			return nil, fmt.Errorf("-leave-out %d: the submission has %d attachment(s), numbered from 1 as \"review show\" lists them", n, len(c.Attachments))
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
	var cleaned []*scrub.Cleaned
	overridden := false
	if opts.AttachmentsDir != "" {
		if opts.Progress != nil {
			var total int64
			for _, a := range c.Attachments {
				for _, it := range c.Items {
					if it.N == a.Item {
						total += it.Parts[a.Part].Size
					}
				}
			}
			opts.Progress.Total.Store(total)
			w.sealedRead = &opts.Progress.Read
			defer func() { w.sealedRead = nil }()
		}
		for _, a := range c.Attachments {
			var buf bytes.Buffer
			if _, _, err := w.copyAttachmentTo(c.Items, rv.ids, a.Number, &buf, false); err != nil {
				return nil, err
			}
			cl, err := scrub.CleanImage(&buf, &scrub.CleanOptions{AllowUncleanable: opts.AllowUncleanable})
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
		un, err := p.Unsettled(text, w.detectorOptions(rv.ids, id))
		if err != nil {
			return nil, err
		}
		leaks = append(leaks, un...)
	}
	if len(leaks) > 0 {
		re := &ResidualError{Leaks: leaks}
		for _, l := range leaks {
			for i, cl := range cleaned {
				if n := c.Attachments[i].Number; !cl.Cleaned && l.Where == fmt.Sprintf("attachment %d, passed through uncleaned", n) && !slices.Contains(re.Uncleaned, n) {
					re.Uncleaned = append(re.Uncleaned, n)
				}
			}
		}
		return nil, re
	}

	// Everything passed: stage every file, then let the caller publish.
	// A statement for standard output is not staged: a pipe cannot take
	// back what it was given, so it is written once the export is
	// recorded (Output.Publish).
	var paths []string
	var datas [][]byte
	rec := exportRecord{Kind: ActionExport, Submission: id, Actor: rv.actor, Use: opts.Use, Format: opts.Format, Override: overridden}
	statementSum := sha256.Sum256(out)
	if opts.Output == "-" {
		rec.Files = append(rec.Files, exportFile{Name: "-", SHA256: hex.EncodeToString(statementSum[:])})
	} else {
		paths, datas = append(paths, opts.Output), append(datas, out)
	}
	for i, cl := range cleaned {
		paths = append(paths, filepath.Join(opts.AttachmentsDir, AttachmentName(c.Attachments[i].Number, cl.MediaType)))
		datas = append(datas, cl.Data)
	}
	o, err := w.beginOutput(paths)
	if err != nil {
		return nil, err
	}
	if opts.Output == "-" {
		o.stdout, o.stdoutData = opts.Stdout, out
	}
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
	o.commit = func(tx *bolt.Tx) error {
		team, err := teamTx(tx)
		if err != nil {
			return err
		}
		e, err := w.appendLog(tx, rv.actor, ActionExport, commit(ks, statementSum))
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
