package review

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"testimony/internal/guided"
	"testimony/vault"
)

// exported returns what a reader of the export sees: JSON's strings, the
// cells of CSV and of each of Uwazi's CSV files, Markdown as written.
func exported(t *testing.T, format string, b []byte) string {
	t.Helper()
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	cells := func(r io.Reader) {
		rows, err := csv.NewReader(r).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			out = append(out, row...)
		}
	}
	switch format {
	case "json":
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	case "csv":
		cells(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	case "uwazi":
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range z.File {
			if !strings.HasSuffix(f.Name, ".csv") {
				continue
			}
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			cells(r)
			r.Close()
		}
	default:
		return string(b)
	}
	return strings.Join(out, "\n")
}

// TestGuidedLabelsInEveryExport: every export (json, md, csv, uwazi)
// carries the export label of each code of her answers, and review show
// its show label, as internal/guided gives them; a code the form does not
// offer stops every export (guided.ErrUnknownCode) and is shown marked as
// unknown, never passed on raw.
func TestGuidedLabelsInEveryExport(t *testing.T) {
	var acts, by []string
	for _, c := range guided.What.Choices {
		acts = append(acts, c.Code)
	}
	for _, c := range guided.Who.Choices {
		by = append(by, c.Code)
	}
	for i, place := range guided.Province.Choices {
		source := guided.Source.Choices[i%len(guided.Source.Choices)]
		s := tableStatement()
		s.Province, s.Acts, s.Perpetrators, s.FirstHand = place.Code, acts, by, source.Export
		want := []string{place.Export, source.Export}
		for _, q := range []*guided.Question{&guided.What, &guided.Who} {
			for _, c := range q.Choices {
				want = append(want, c.Export)
			}
		}
		for _, format := range Formats {
			b, err := s.Format(format)
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			got := exported(t, format, b)
			for _, l := range want {
				if format == "md" {
					l = MarkdownText(l)
				}
				if !strings.Contains(got, l) {
					t.Errorf("%s export of %s: no label %q", format, place.Code, l)
				}
			}
		}
	}

	elsewhere, contact := guided.Elsewhere.Choices, guided.Contact.Choices
	for i, place := range guided.Province.Choices {
		a := &vault.Answers{Version: 1, Province: place.Code, What: acts, Who: by,
			Source:    guided.Source.Choices[i%len(guided.Source.Choices)].Code,
			Elsewhere: elsewhere[i%len(elsewhere)].Code, Contact: contact[i%len(contact)].Code}
		var out bytes.Buffer
		if err := (&Contents{ID: "aaaaaaaaaaaaaaaa", Answers: a}).Format(&out); err != nil {
			t.Fatal(err)
		}
		for _, l := range []string{place.Show, guided.Source.ShowLabel(a.Source), guided.Elsewhere.ShowLabel(a.Elsewhere), guided.Contact.ShowLabel(a.Contact)} {
			if !strings.Contains(out.String(), l) {
				t.Errorf("show of %s: no label %q in\n%s", place.Code, l, out.String())
			}
		}
		for _, c := range append(guided.What.Choices, guided.Who.Choices...) {
			if !strings.Contains(out.String(), c.Show) {
				t.Errorf("show: no label %q", c.Show)
			}
		}
	}

	for name, bad := range map[string]func(*Statement){
		"act":         func(s *Statement) { s.Acts = []string{"sold", "kidnapped"} },
		"perpetrator": func(s *Statement) { s.Perpetrators = []string{"kidnapper"} },
		"province":    func(s *Statement) { s.Province = "KP-99" },
	} {
		s := tableStatement()
		bad(s)
		for _, format := range Formats {
			if _, err := s.Format(format); !errors.Is(err, guided.ErrUnknownCode) {
				t.Errorf("%s export with an unknown %s code: %v", format, name, err)
			}
		}
	}
	var out bytes.Buffer
	a := &vault.Answers{Version: 1, Province: "KP-99", What: []string{"kidnapped"}, Source: "dreamt"}
	if err := (&Contents{ID: "aaaaaaaaaaaaaaaa", Answers: a}).Format(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`unknown code "KP-99"`, `unknown code "kidnapped"`, `unknown code "dreamt"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("show does not mark %s:\n%s", want, out.String())
		}
	}
}
