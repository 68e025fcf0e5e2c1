package review

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"testimony/internal/guided"
	"testimony/vault"
)

// The tabular exports: "csv", one sheet for spreadsheets, and "uwazi", a
// zip of one CSV per Uwazi template. Both are shaped after the HURIDOCS
// events standard formats: an Event holds Acts, and Persons take roles in
// them. The form asks what happened and who did it, but does not tie a
// perpetrator to an act, so perpetrators are given on the Event, never on
// an Act. docs/formats.md gives every column.

// utf8BOM opens the "csv" export: without it, spreadsheets (Excel above
// all) read UTF-8 as a legacy code page and show Korean and Chinese as
// mojibake.
const utf8BOM = "\ufeff"

// survivorTitle names her in every table: never by name.
const survivorTitle = "V1 (the survivor)"

// dates returns the first and last day the answers' date covers, as
// YYYY-MM-DD, or "" when she gave no year.
func (s *Statement) dates() (from, to string) {
	if s.Year == 0 {
		return "", ""
	}
	if s.Month == 0 {
		return fmt.Sprintf("%04d-01-01", s.Year), fmt.Sprintf("%04d-12-31", s.Year)
	}
	first := time.Date(s.Year, time.Month(s.Month), 1, 0, 0, 0, 0, time.UTC)
	return first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
}

// Title is the statement's title in tables: what, where and when, from
// her answers; never a name.
func (s *Statement) Title() string {
	parts := []string{"Statement " + s.eventID()}
	if len(s.Acts) > 0 {
		parts = append(parts, strings.Join(labels(&guided.What, s.Acts), ", "))
	}
	if s.Province != "" {
		parts = append(parts, provinceName(s.Province))
	}
	if date, _ := s.when(); date != "" {
		parts = append(parts, date)
	}
	return strings.Join(parts, " — ")
}

// facts is a description of the event from her answers alone, for when
// her words may not be given.
func (s *Statement) facts() string {
	var b strings.Builder
	b.WriteString("Her words are not included (she did not consent to verbatim quotation). From her answers: ")
	var f []string
	if len(s.Acts) > 0 {
		f = append(f, strings.Join(labels(&guided.What, s.Acts), ", "))
	}
	if s.Province != "" {
		f = append(f, "in "+provinceName(s.Province))
	}
	if date, _ := s.when(); date != "" {
		f = append(f, "in "+date+map[bool]string{true: " (approximately)", false: ""}[s.Approximate])
	}
	if len(s.Perpetrators) > 0 {
		f = append(f, "by "+strings.Join(labels(&guided.Who, s.Perpetrators), ", "))
	}
	if s.FirstHand != "" {
		f = append(f, "("+s.FirstHand+")")
	}
	if len(f) == 0 {
		f = append(f, "none given")
	}
	b.WriteString(strings.Join(f, " "))
	b.WriteString(".")
	return b.String()
}

// description is the event's description: her redacted account when she
// allowed quotation, else the facts.
func (s *Statement) description() string {
	if s.MayQuote && s.Text != "" {
		return s.Text
	}
	return s.facts()
}

// Contact says whether she may be asked more, for the people who read a
// statement: a reply is contact, and she may have declined it.
func (s *Statement) Contact() string {
	declined := s.Answers != nil && s.Answers.Contact == "none"
	for _, u := range s.Withdrawn {
		declined = declined || u == vault.UseRecontact
	}
	switch {
	case declined:
		return "She asked not to be contacted: do not ask her for more."
	case containsUse(s.Consent, vault.UseRecontact):
		return "She allowed being contacted again: the team may ask her through the site."
	}
	return "She did not say she may be contacted again: do not ask her for more."
}

func containsUse(us []vault.Use, u vault.Use) bool {
	for _, x := range us {
		if x == u {
			return true
		}
	}
	return false
}

// csvTable writes the "csv" export: a BOM, a header, one Event row, one
// Act row per act, and one Person row per person (her, and each pseudonym
// in the statement).
func (s *Statement) csvTable() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(utf8BOM)
	w := csv.NewWriter(&b)
	from, to := s.dates()
	_, precision := s.when()
	header := []string{"record_type", "id", "event_id", "title", "start_date", "end_date", "date_precision", "date_approximate",
		"location", "location_code", "act_type", "victim", "person_role", "perpetrators", "source", "description",
		"contact", "use", "may_quote", "confidentiality", "consent", "withdrawn",
		"original_commitments", "provenance_salt", "plan_sha256", "editor", "approvers"}
	prov := []string{strings.Join(hashes(s.Commitments), " "), hex.EncodeToString(s.Salt[:]), s.PlanHash.String(), s.Editor, strings.Join(s.Approvers, " ")}
	common := []string{s.Contact(), string(s.Use), fmt.Sprint(s.MayQuote), confidentiality[s.Use], joinUses(s.Consent), joinUses(s.Withdrawn)}
	write := func(row ...string) {
		row = append(append(row, common...), prov...)
		for i := range row {
			row[i] = CSVCell(row[i])
		}
		w.Write(row)
	}
	w.Write(header)
	ev := s.eventID()
	where := ""
	if s.Province != "" {
		where = provinceName(s.Province)
	}
	write("event", ev, ev, s.Title(), from, to, precision, fmt.Sprint(s.Approximate), where, s.Province,
		"", "", "", strings.Join(labels(&guided.Who, s.Perpetrators), "; "), s.FirstHand, s.description())
	for i, a := range s.Acts {
		write("act", fmt.Sprintf("%s-A%d", ev, i+1), ev, labels(&guided.What, []string{a})[0], from, to, precision, fmt.Sprint(s.Approximate), where, s.Province,
			labels(&guided.What, []string{a})[0], survivorTitle, "", "", s.FirstHand, "")
	}
	write("person", ev+"-V1", ev, survivorTitle, "", "", "", "", "", "", "", "", "victim; source", "", "", "")
	for i, p := range s.Persons {
		write("person", fmt.Sprintf("%s-P%d", ev, i+2), ev, p+" (pseudonym)", "", "", "", "", "", "", "", "", "named in her account", "", "", "")
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// uwaziTables writes the "uwazi" export: a zip holding person.csv,
// event.csv and act.csv, one per Uwazi template, in the order to import
// them, and README.txt. Uwazi reads them without a BOM, with ASCII
// property names, several values joined by "|", dates as YYYY-MM-DD and a
// range as from:to, and relationships by the target's title. The entries
// are stored, not compressed: the residual check reads every byte of the
// export as written.
func (s *Statement) uwaziTables() ([]byte, error) {
	from, to := s.dates()
	daterange := ""
	if from != "" {
		daterange = from + ":" + to
	}
	where := ""
	if s.Province != "" {
		where = provinceName(s.Province)
	}
	persons := [][]string{{"title", "role"}, {survivorTitle, "victim|source"}}
	for _, p := range s.Persons {
		persons = append(persons, []string{p + " (pseudonym)", "named in her account"})
	}
	var people []string
	for _, p := range persons[1:] {
		people = append(people, p[0])
	}
	events := [][]string{
		{"title", "event_date", "date_approximate", "location", "acts", "perpetrators", "source", "victims", "persons_named",
			"description", "contact", "use", "confidentiality", "consent", "withdrawn",
			"original_commitments", "provenance_salt", "plan_sha256", "editor", "approvers"},
		{s.Title(), daterange, fmt.Sprint(s.Approximate), where, strings.Join(labels(&guided.What, s.Acts), "|"),
			strings.Join(labels(&guided.Who, s.Perpetrators), "|"), s.FirstHand, survivorTitle, strings.Join(people[1:], "|"),
			s.description(), s.Contact(), string(s.Use), confidentiality[s.Use], strings.Join(usesOf(s.Consent), "|"), strings.Join(usesOf(s.Withdrawn), "|"),
			strings.Join(hashes(s.Commitments), "|"), hex.EncodeToString(s.Salt[:]), s.PlanHash.String(), s.Editor, strings.Join(s.Approvers, "|")},
	}
	acts := [][]string{{"title", "event", "act_type", "victim", "event_date"}}
	for i, a := range s.Acts {
		l := labels(&guided.What, []string{a})[0]
		acts = append(acts, []string{fmt.Sprintf("%s: act %d, %s", s.Title(), i+1, l), s.Title(), l, survivorTitle, daterange})
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	put := func(name string, data []byte) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	for _, t := range []struct {
		name string
		rows [][]string
	}{{"person.csv", persons}, {"event.csv", events}, {"act.csv", acts}} {
		var c bytes.Buffer
		w := csv.NewWriter(&c)
		for _, row := range t.rows {
			for i := range row {
				row[i] = CSVCell(row[i])
			}
			w.Write(row)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		if err := put(t.name, c.Bytes()); err != nil {
			return nil, err
		}
	}
	readme := "Uwazi import (" + statementFormat + "), one CSV per template. Import in this order, each into its template:\n" +
		"  person.csv  template Person: title (text), role (multiselect)\n" +
		"  event.csv   template Event: title, event_date (daterange), date_approximate (select), location (select), acts and perpetrators (multiselect),\n" +
		"              source (select), victims and persons_named (relationship to Person), description (markdown), the rest text\n" +
		"  act.csv     template Act: title, event (relationship to Event), act_type (select), victim (relationship to Person), event_date (daterange)\n" +
		"Several values are joined by |; a date range is from:to (YYYY-MM-DD). docs/formats.md gives every column.\n"
	if err := put("README.txt", []byte(readme)); err != nil {
		return nil, err
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func usesOf(us []vault.Use) []string {
	var out []string
	for _, u := range us {
		out = append(out, string(u))
	}
	return out
}
