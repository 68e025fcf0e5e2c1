package redact

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Plan is what the editor decides for one statement: one [Decision] per
// span, each with what to do and why. It is written as text (see
// [Plan.MarshalText]) so an editor can read and change it in $EDITOR, and
// parsed back strictly.
type Plan struct {
	// Source is the SHA-256 of the original text the spans refer to. A
	// plan applies to that text only.
	Source [32]byte
	// Seed drew the pseudonyms. It is random per statement, so the same
	// real name gets unrelated pseudonyms in two statements and a
	// pseudonym says nothing about the name it replaces.
	Seed uint64
	// Decisions in the order they were written.
	Decisions []Decision
}

// Op is what a decision does with its span.
type Op string

// The operations an editor chooses from.
const (
	OpRemove     Op = "remove"     // replace with a placeholder, or nothing
	OpPseudonym  Op = "pseudonym"  // replace with a consistent pseudonym
	OpGeneralise Op = "generalise" // replace with something broader: a province, a year
	OpKeep       Op = "keep"       // leave as it is
)

// Every is the Start of a decision that applies to every occurrence of
// its Original, in any spelling, rather than to one span. Editors add such
// lines for what the detectors missed, and for other spellings
// (romanisations) of a redacted name.
const Every = -1

// A Decision is one line of a plan.
type Decision struct {
	Op   Op
	Type Type
	// Start and End are byte offsets in the original text. Start is
	// [Every] (and End 0) for a decision on every occurrence.
	Start, End int
	// Original is the text of the span as the survivor wrote it, or for
	// Every the term to find.
	Original string
	// Replacement is what the span becomes; empty for OpKeep.
	Replacement string
	// Explanation is the detector's one line for the editor, or the
	// editor's own note. It is a comment: Apply ignores it.
	Explanation string

	line int // the line it was parsed from, for errors; 0 if built in code
}

// Line returns the plan line the decision was read from, or 0.
func (d Decision) Line() int { return d.line }

// Limits on a plan's text, so a damaged or hostile file cannot exhaust
// memory: a statement is at most [MaxTextBytes], and a plan holds each
// redacted span once plus a line of explanation.
const (
	maxPlanBytes  = 2*MaxTextBytes + 1<<20
	maxLineBytes  = 1 << 20
	maxDecisions  = 1 << 20
	planVersion   = "redaction-plan/v1"
	planVersionRE = "redaction-plan/"
)

// PlanError reports a problem with one line of a plan. It never quotes
// the line: plans hold testimony.
type PlanError struct {
	Line int    // 1-based line number, or 0 if not tied to a line
	Msg  string // what is wrong, without the content
}

func (e *PlanError) Error() string {
	if e.Line == 0 {
		return "redact: plan: " + e.Msg
	}
	return fmt.Sprintf("redact: plan line %d: %s", e.Line, e.Msg)
}

func planErr(line int, format string, args ...any) error {
	return &PlanError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// ErrSourceMismatch means a plan was applied to a text it was not made
// for: the text's SHA-256 differs from the plan's source line.
var ErrSourceMismatch = errors.New("redact: the plan was made for a different text")

// SourceHash returns the hash a plan for text records.
func SourceHash(text string) [32]byte { return sha256.Sum256([]byte(text)) }

// planHelp is written after the header for the editor; it is a comment,
// not part of the format.
const planHelp = `#
# One line per decision:  op  type  span  "original"  "replacement"  # why
#   op     remove, pseudonym, generalise or keep
#   span   byte offsets start-end in the original text, or * for every
#          occurrence of the original in any spelling (add such lines for
#          names the detectors missed and for romanised spellings)
# Strings are Go-quoted. Lines starting with # are comments.
# Everything not "keep" is checked for in every spelling before export.
#
`

// MarshalText writes the plan in its text form:
//
//	redaction-plan/v1
//	source sha256:<64 hex digits>
//	seed <16 hex digits>
//	<op> <type> <start>-<end> "<original>" "<replacement>" # <explanation>
//	<op> <type> * "<original>" "<replacement>" # <explanation>
//
// Strings are quoted as by [strconv.Quote], which keeps Hangul and Han
// readable and shows invisible characters as escapes. A keep line has no
// replacement. The form is canonical: parsing and writing again gives the
// same bytes.
func (p *Plan) MarshalText() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nsource sha256:%s\nseed %016x\n", planVersion, hex.EncodeToString(p.Source[:]), p.Seed)
	b.WriteString(planHelp)
	for i, d := range p.Decisions {
		if err := d.check(); err != nil {
			return nil, fmt.Errorf("redact: decision %d: %w", i+1, err)
		}
		b.WriteString(string(d.Op))
		b.WriteByte(' ')
		b.WriteString(string(d.Type))
		b.WriteByte(' ')
		if d.Start == Every {
			b.WriteByte('*')
		} else {
			fmt.Fprintf(&b, "%d-%d", d.Start, d.End)
		}
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(d.Original))
		if d.Op != OpKeep {
			b.WriteByte(' ')
			b.WriteString(strconv.Quote(d.Replacement))
		}
		if e := cleanExplanation(d.Explanation); e != "" {
			b.WriteString(" # ")
			b.WriteString(e)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// cleanExplanation makes an explanation one line of printable text.
func cleanExplanation(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// check reports what makes a decision unwritable.
func (d Decision) check() error {
	switch d.Op {
	case OpRemove, OpPseudonym, OpGeneralise, OpKeep:
	default:
		return errors.New("unknown operation")
	}
	if !slices.Contains(types, d.Type) {
		return errors.New("unknown type")
	}
	if d.Start == Every {
		if d.End != 0 {
			return errors.New("a decision on every occurrence has no end")
		}
	} else if d.Start < 0 || d.End <= d.Start {
		return errors.New("the span is empty or negative")
	}
	if d.Original == "" {
		return errors.New("the original is empty")
	}
	if d.Op == OpKeep && d.Replacement != "" {
		return errors.New("a keep decision has a replacement")
	}
	return nil
}

// UnmarshalText parses a plan written by [Plan.MarshalText] or edited by
// hand. It is strict: an unknown version, operation or type, a malformed
// span or string, or a missing replacement is an error naming the line.
// "generalize" is read as "generalise".
func (p *Plan) UnmarshalText(data []byte) error {
	q, err := ParsePlan(data)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

// ParsePlan parses the text form of a plan; see [Plan.UnmarshalText].
func ParsePlan(data []byte) (*Plan, error) {
	if len(data) > maxPlanBytes {
		return nil, planErr(0, "the plan is larger than %d bytes", maxPlanBytes)
	}
	if !utf8.Valid(data) {
		return nil, planErr(0, "the plan is not valid UTF-8")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	p := &Plan{}
	line := 0
	next := func() (string, bool) {
		for sc.Scan() {
			line++
			return sc.Text(), true
		}
		return "", false
	}
	v, ok := next()
	switch {
	case !ok:
		return nil, planErr(1, "empty plan")
	case v == planVersion:
	case strings.HasPrefix(v, planVersionRE) && len(v) < 32 && isPrintableASCII(v):
		return nil, planErr(1, "plan version %q is not supported; update this tool", v)
	default:
		return nil, planErr(1, "not a redaction plan (the first line must be %q)", planVersion)
	}
	src, ok := next()
	hexSrc, found := strings.CutPrefix(src, "source sha256:")
	if !ok || !found || len(hexSrc) != 64 || strings.ToLower(hexSrc) != hexSrc {
		return nil, planErr(line, "the second line must be \"source sha256:\" and 64 lowercase hex digits")
	}
	if _, err := hex.Decode(p.Source[:], []byte(hexSrc)); err != nil {
		return nil, planErr(line, "the source hash is not hex")
	}
	seed, ok := next()
	hexSeed, found := strings.CutPrefix(seed, "seed ")
	if !ok || !found || len(hexSeed) != 16 || strings.ToLower(hexSeed) != hexSeed {
		return nil, planErr(line, "the third line must be \"seed\" and 16 lowercase hex digits")
	}
	n, err := strconv.ParseUint(hexSeed, 16, 64)
	if err != nil {
		return nil, planErr(line, "the seed is not hex")
	}
	p.Seed = n
	for {
		l, ok := next()
		if !ok {
			break
		}
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		if len(p.Decisions) == maxDecisions {
			return nil, planErr(line, "more than %d decisions", maxDecisions)
		}
		d, err := parseDecision(t)
		if err != nil {
			return nil, planErr(line, "%v", err)
		}
		d.line = line
		p.Decisions = append(p.Decisions, d)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, planErr(line+1, "line longer than %d bytes", maxLineBytes)
		}
		return nil, planErr(line, "%v", err)
	}
	return p, nil
}

func isPrintableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// field cuts the next space-separated word off s.
func field(s string) (word, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// quoted cuts the next Go-quoted string off s.
func quoted(s string) (string, string, error) {
	s = strings.TrimLeft(s, " \t")
	if s == "" || s[0] != '"' && s[0] != '`' {
		return "", s, errors.New("expected a quoted string")
	}
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", s, errors.New("malformed quoted string")
	}
	u, err := strconv.Unquote(q)
	if err != nil {
		return "", s, errors.New("malformed quoted string")
	}
	return u, s[len(q):], nil
}

func parseDecision(s string) (Decision, error) {
	var d Decision
	op, rest := field(s)
	switch Op(op) {
	case OpRemove, OpPseudonym, OpGeneralise, OpKeep:
		d.Op = Op(op)
	case "generalize":
		d.Op = OpGeneralise
	default:
		return d, errors.New("unknown operation (want remove, pseudonym, generalise or keep)")
	}
	typ, rest := field(rest)
	if !slices.Contains(types, Type(typ)) {
		var names []string
		for _, t := range types {
			names = append(names, string(t))
		}
		return d, fmt.Errorf("unknown type (want one of %s)", strings.Join(names, ", "))
	}
	d.Type = Type(typ)
	span, rest := field(rest)
	if span == "*" {
		d.Start = Every
	} else {
		a, b, ok := strings.Cut(span, "-")
		start, err1 := strconv.Atoi(a)
		end, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || !allDigits(a) || !allDigits(b) || start >= end || end > MaxTextBytes {
			return d, errors.New("malformed span (want start-end byte offsets, or *)")
		}
		d.Start, d.End = start, end
	}
	var err error
	if d.Original, rest, err = quoted(rest); err != nil {
		return d, fmt.Errorf("original: %w", err)
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest != "" && rest[0] != '#' {
		if d.Replacement, rest, err = quoted(rest); err != nil {
			return d, fmt.Errorf("replacement: %w", err)
		}
		rest = strings.TrimLeft(rest, " \t")
	} else if d.Op != OpKeep {
		return d, errors.New("missing replacement (only keep has none)")
	}
	if rest != "" {
		if rest[0] != '#' {
			return d, errors.New("unexpected text after the replacement (start a comment with #)")
		}
		d.Explanation = cleanExplanation(rest[1:])
	}
	if err := d.check(); err != nil {
		return d, err
	}
	return d, nil
}
