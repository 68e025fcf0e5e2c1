package review

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"

	"testimony/vault"
)

func tableStatement() *Statement {
	return &Statement{
		Use: vault.UseQuote, MayQuote: true, Text: "구상민이 저를 팔았습니다. 차승호도 있었습니다.",
		Answers: &vault.Answers{Version: 1}, Consent: []vault.Use{vault.UseReview, vault.UsePublish, vault.UseQuote},
		Withdrawn: []vault.Use{vault.UseCourt}, Editor: "reviewer:0011223344556677", Approvers: []string{"reviewer:8899aabbccddeeff"},
		Year: 2019, Month: 2, Province: "KP-09", Acts: []string{"sold", "forced-marriage"},
		Perpetrators: []string{"broker", "husband"}, FirstHand: "first-hand", Persons: []string{"구상민", "차승호"},
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The csv export opens with a BOM, has one Event row (with the title, both
// dates, the province's name and every perpetrator), one Act row per act
// (no perpetrator: the form does not tie one to an act) and a Person row
// for her and each pseudonym; it says whether she may be contacted.
func TestCSVExport(t *testing.T) {
	s := tableStatement()
	b, err := s.Format("csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(utf8BOM)) {
		t.Fatal("no UTF-8 BOM")
	}
	rows := readCSV(t, b[len(utf8BOM):])
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var types []string
	for _, r := range rows[1:] {
		types = append(types, r[col["record_type"]])
		switch r[col["record_type"]] {
		case "event":
			for k, want := range map[string]string{"start_date": "2019-02-01", "end_date": "2019-02-28", "location": "North Hamgyong, North Korea",
				"perpetrators": "broker or trafficker; purchaser (\"husband\") or his family", "description": s.Text} {
				if r[col[k]] != want {
					t.Errorf("event %s = %q, want %q", k, r[col[k]], want)
				}
			}
			if !strings.Contains(r[col["title"]], "trafficking in persons, forced marriage — North Hamgyong, North Korea — 2019-02") {
				t.Errorf("event title %q", r[col["title"]])
			}
			if !strings.Contains(r[col["contact"]], "do not ask her") {
				t.Errorf("contact %q: she did not give recontact", r[col["contact"]])
			}
			if r[col["withdrawn"]] != "court" || strings.Contains(r[col["consent"]], "court") {
				t.Errorf("consent %q withdrawn %q", r[col["consent"]], r[col["withdrawn"]])
			}
		case "act":
			if r[col["perpetrators"]] != "" || r[col["victim"]] != survivorTitle {
				t.Errorf("act row %v: perpetrators belong to the event, the victim is her", r)
			}
		}
	}
	if !slices.Equal(types, []string{"event", "act", "act", "person", "person", "person"}) {
		t.Errorf("rows %v", types)
	}

	// Without quotation, the description gives the facts, not nothing.
	s.MayQuote, s.Text, s.Persons = false, "", nil
	b, _ = s.Format("csv")
	if rows := readCSV(t, b[len(utf8BOM):]); !strings.HasPrefix(rows[1][col["description"]], "Her words are not included") {
		t.Errorf("description without quote consent: %q", rows[1][col["description"]])
	}
}

// The uwazi export is a zip of one CSV per template, with no BOM, several
// values joined by "|", a date range from:to, relationships by title, and
// entries stored as they are (the residual check reads the bytes).
func TestUwaziExport(t *testing.T) {
	s := tableStatement()
	b, err := s.Format("uwazi")
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][][]string{}
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		if f.Method != zip.Store {
			t.Errorf("%s is compressed", f.Name)
		}
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		if bytes.HasPrefix(data, []byte(utf8BOM)) {
			t.Errorf("%s has a BOM", f.Name)
		}
		if strings.HasSuffix(f.Name, ".csv") {
			files[f.Name] = readCSV(t, data)
		}
	}
	if !slices.Equal(names, []string{"person.csv", "event.csv", "act.csv", "README.txt"}) {
		t.Errorf("files %v", names)
	}
	ev := files["event.csv"]
	get := func(rows [][]string, r int, k string) string {
		i := slices.Index(rows[0], k)
		if i < 0 {
			t.Fatalf("no column %s in %v", k, rows[0])
		}
		return rows[r][i]
	}
	for _, h := range ev[0] {
		if strings.Trim(h, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			t.Errorf("column %q is not an ASCII property name", h)
		}
	}
	if d := get(ev, 1, "event_date"); d != "2019-02-01:2019-02-28" {
		t.Errorf("event_date %q", d)
	}
	if a := get(ev, 1, "acts"); a != "trafficking in persons|forced marriage" {
		t.Errorf("acts %q", a)
	}
	if p := get(ev, 1, "persons_named"); p != "구상민 (pseudonym)|차승호 (pseudonym)" {
		t.Errorf("persons_named %q", p)
	}
	acts := files["act.csv"]
	if len(acts) != 3 || get(acts, 1, "event") != get(ev, 1, "title") || get(acts, 2, "victim") != survivorTitle {
		t.Errorf("act.csv %v", acts)
	}
	if people := files["person.csv"]; len(people) != 4 || people[1][0] != survivorTitle {
		t.Errorf("person.csv %v", people)
	}
	if !bytes.Contains(b, []byte(s.Text)) {
		t.Error("her redacted text is not stored verbatim in the zip")
	}
}

// Markdown says whether she may be asked more, and names the province.
func TestMarkdownContactAndPlace(t *testing.T) {
	s := tableStatement()
	s.MayQuote, s.Text = false, ""
	for _, c := range []struct {
		consent []vault.Use
		answers vault.Answers
		want    string
	}{
		{[]vault.Use{vault.UsePublish, vault.UseRecontact}, vault.Answers{Version: 1}, "may ask her through the site"},
		{[]vault.Use{vault.UsePublish, vault.UseRecontact}, vault.Answers{Version: 1, Contact: "none"}, "asked not to be contacted"},
		{[]vault.Use{vault.UsePublish}, vault.Answers{Version: 1}, "do not ask her"},
	} {
		s.Consent, s.Answers = c.consent, &c.answers
		b, _ := s.Format("md")
		if !strings.Contains(string(b), c.want) || strings.Contains(string(b), "KP-09") || !strings.Contains(string(b), "North Hamgyong") {
			t.Errorf("consent %v, contact %q:\n%s", c.consent, c.answers.Contact, b)
		}
	}
}
