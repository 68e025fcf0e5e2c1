package review

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"testimony/internal/guided"
	"testimony/internal/visible"
	"testimony/vault"
)

// Export formats. Every one records where the statement came from (a
// keyed commitment to each sealed original and the salt it was made with,
// provenance.go; the plan's hash, the editor and the approvers) and what
// she consented to, and none holds the submission's ID or anything else
// the server's records could be matched against. docs/formats.md
// specifies them.

const statementFormat = "testimony-statement/v2"

// Formats lists the export formats.
var Formats = []string{"json", "md", "csv", "uwazi"}

// Confidentiality says how a statement may be handled, by use.
var confidentiality = map[vault.Use]string{
	vault.UsePublish: "public, anonymised",
	vault.UseQuote:   "public, anonymised, may be quoted",
	vault.UseUN:      "restricted: UN bodies only",
	vault.UseCourt:   "restricted: courts and investigators only",
}

func (s *Statement) when() (date, precision string) {
	switch {
	case s.Year == 0:
		return "", "unknown"
	case s.Month == 0:
		return fmt.Sprintf("%04d", s.Year), "year"
	}
	return fmt.Sprintf("%04d-%02d", s.Year, s.Month), "month"
}

func (s *Statement) eventID() string { return s.PlanHash.String()[:12] }

// labels returns the export label of each of codes, the answers to q.
// Format refuses a statement with a code the form does not offer
// (checkCodes); should one reach here all the same, it is shown as an
// unknown code, never passed on as if it were a label.
func labels(q *guided.Question, codes []string) []string {
	var out []string
	for _, c := range codes {
		l, err := q.ExportLabel(c)
		if err != nil {
			l = q.ShowLabel(c)
		}
		out = append(out, l)
	}
	return out
}

// provinceName is the export label of her province code.
func provinceName(code string) string {
	if code == "" {
		return ""
	}
	return labels(&guided.Province, []string{code})[0]
}

// checkCodes refuses a statement whose answers hold a code the form does
// not offer (guided.ErrUnknownCode): a statement leaves the team, and a
// code its reader cannot look up must not leave with it.
func (s *Statement) checkCodes() error {
	if _, err := guided.What.ExportLabels(s.Acts); err != nil {
		return err
	}
	if _, err := guided.Who.ExportLabels(s.Perpetrators); err != nil {
		return err
	}
	if s.Province != "" {
		if _, err := guided.Province.ExportLabel(s.Province); err != nil {
			return err
		}
	}
	return nil
}

func hashes(hs []vault.Hash) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.String())
	}
	return out
}

// Format writes s in format ("json", "md" or "csv").
func (s *Statement) Format(format string) ([]byte, error) {
	if err := s.checkCodes(); err != nil {
		return nil, err
	}
	date, precision := s.when()
	from, to := s.dates()
	switch format {
	case "json":
		v := map[string]any{
			"format":          statementFormat,
			"use":             s.Use,
			"may_quote":       s.MayQuote,
			"confidentiality": confidentiality[s.Use],
			"title":           s.Title(),
			"contact":         s.Contact(),
			"statement":       s.Text,
			"event": map[string]any{
				"date":           date,
				"date_precision": precision,
				"approximate":    s.Approximate,
				"start_date":     from,
				"end_date":       to,
				"location":       s.Province,
				"location_name":  provinceName(s.Province),
				"acts":           labels(&guided.What, s.Acts),
				"perpetrators":   labels(&guided.Who, s.Perpetrators),
				"source":         s.FirstHand,
			},
			"consent": map[string]any{"given": s.Consent, "withdrawn": s.Withdrawn},
			"provenance": map[string]any{
				"salt":                 hex.EncodeToString(s.Salt[:]),
				"original_commitments": hashes(s.Commitments),
				"plan_sha256":          s.PlanHash.String(),
				"editor":               s.Editor,
				"approvers":            s.Approvers,
			},
		}
		b, err := json.MarshalIndent(v, "", "  ")
		return append(b, '\n'), err
	case "md":
		var b bytes.Buffer
		fmt.Fprintf(&b, "# Statement %s\n\n", s.eventID())
		fmt.Fprintf(&b, "- Use: %s (%s)\n", s.Use, confidentiality[s.Use])
		if date != "" {
			fmt.Fprintf(&b, "- When: %s%s\n", date, map[bool]string{true: " (approximately)", false: ""}[s.Approximate])
		}
		if s.Province != "" {
			fmt.Fprintf(&b, "- Where: %s\n", MarkdownText(provinceName(s.Province)))
		}
		if len(s.Acts) > 0 {
			fmt.Fprintf(&b, "- What: %s\n", MarkdownText(strings.Join(labels(&guided.What, s.Acts), "; ")))
		}
		if len(s.Perpetrators) > 0 {
			fmt.Fprintf(&b, "- By: %s\n", MarkdownText(strings.Join(labels(&guided.Who, s.Perpetrators), "; ")))
		}
		if s.FirstHand != "" {
			fmt.Fprintf(&b, "- Source: %s\n", s.FirstHand)
		}
		fmt.Fprintf(&b, "- Contact: %s\n", s.Contact())
		b.WriteString("\n")
		if s.MayQuote {
			fmt.Fprintf(&b, "## Her account\n\n%s\n\n", MarkdownText(s.Text))
		} else {
			b.WriteString("_She did not consent to verbatim quotation: her account is not included. Paraphrase from the facts above._\n\n")
		}
		fmt.Fprintf(&b, "---\n\nProvenance (%s): plan %s, edited by %s, approved by %s; salt %s; commitments to the sealed originals %s.\n",
			statementFormat, s.PlanHash, s.Editor, strings.Join(s.Approvers, ", "), hex.EncodeToString(s.Salt[:]), strings.Join(hashes(s.Commitments), ", "))
		return b.Bytes(), nil
	case "csv":
		return s.csvTable()
	case "uwazi":
		return s.uwaziTables()
	}
	return nil, fmt.Errorf("unknown format %q: use json, md, csv or uwazi", format)
}

// CSVCell neutralises a cell a spreadsheet would run as a formula: one
// that begins with = + - @ (or a tab or carriage return, which some
// spreadsheets skip before looking) gets a leading apostrophe, which they
// show as text. Controls and bidi overrides are made visible. Every CSV
// export writes every cell through it.
func CSVCell(s string) string {
	s = visible.Text(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// linkPattern finds what a Markdown renderer would make a link of: a URL
// with a scheme, a www. name, or an e-mail address.
var linkPattern = regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+|[^\s@<>()\[\]]+@[^\s@<>()\[\]]+\.[^\s@<>()\[\]]+`)

// markdownEscaper escapes what Markdown would read as markup, and the
// characters HTML gives meaning to as entities, so raw HTML in her text is
// shown as text.
var markdownEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"(", `\(`, ")", `\)`, "!", `\!`, "#", `\#`, "|", `\|`, "~", `\~`,
)

// MarkdownText returns text she controls for a Markdown document: links
// defanged (hxxp://, [.], [:]//, [@]) so nothing in it is followed or
// loaded, Markdown and HTML escaped, and controls made visible.
func MarkdownText(s string) string {
	s = linkPattern.ReplaceAllStringFunc(s, func(l string) string {
		if strings.HasPrefix(strings.ToLower(l), "http") {
			l = "hxxp" + l[4:]
		}
		l = strings.ReplaceAll(l, "://", "[:]//")
		l = strings.ReplaceAll(l, "@", "[@]")
		return strings.ReplaceAll(l, ".", "[.]")
	})
	return visible.Text(markdownEscaper.Replace(s))
}
