package intake

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"testimony/internal/guided"
	"testimony/vault"
)

// The guided questions offer fixed choices. Their codes, which the
// envelope stores, and the labels she reads are internal/guided's, with
// every other label of a code. Nothing here is required.

// firstYear is the earliest year the form offers: the famine of the 1990s,
// when women began to cross in numbers.
const firstYear = 1990

func years() []int {
	var ys []int
	for y := time.Now().Year(); y >= firstYear; y-- {
		ys = append(ys, y)
	}
	return ys
}

// Option is a choice as a template shows it.
type Option struct{ Code, Label string }

func (l lang) options(q *guided.Question) []Option {
	out := make([]Option, len(q.Choices))
	for i, c := range q.Choices {
		out[i] = Option{c.Code, c.Form[string(l)]}
	}
	return out
}

// useOptions lists the consent uses with their labels.
func (l lang) useOptions() []Option {
	out := make([]Option, len(vault.Uses))
	for i, u := range vault.Uses {
		out[i] = Option{string(u), l.text("use." + string(u))}
	}
	return out
}

// answerFields collects the guided answers as the form fields arrive.
type answerFields struct {
	a       vault.Answers
	consent []vault.Use
}

// set records one small form field, refusing values the form never offers.
func (f *answerFields) set(name, value string) bool {
	switch name {
	case "year":
		if value == "" {
			return true
		}
		y, err := strconv.Atoi(value)
		if err != nil || y < firstYear || y > time.Now().Year() {
			return false
		}
		f.a.Year = y
	case "month":
		if value == "" {
			return true
		}
		m, err := strconv.Atoi(value)
		if err != nil || m < 1 || m > 12 {
			return false
		}
		f.a.Month = m
	case "approximate":
		f.a.Approximate = value == "1"
		return value == "1"
	case "province":
		if value != "" && !guided.Province.Valid(value) {
			return false
		}
		f.a.Province = value
	case "what":
		if !guided.What.Valid(value) || slices.Contains(f.a.What, value) {
			return false
		}
		f.a.What = append(f.a.What, value)
	case "who":
		if !guided.Who.Valid(value) || slices.Contains(f.a.Who, value) {
			return false
		}
		f.a.Who = append(f.a.Who, value)
	case "source":
		if value != "" && !guided.Source.Valid(value) {
			return false
		}
		f.a.Source = value
	case "elsewhere":
		if value != "" && !guided.Elsewhere.Valid(value) {
			return false
		}
		f.a.Elsewhere = value
	case "contact":
		if value != "" && !guided.Contact.Valid(value) {
			return false
		}
		f.a.Contact = value
	case "consent":
		u := vault.Use(value)
		if !u.Valid() || slices.Contains(f.consent, u) {
			return false
		}
		f.consent = append(f.consent, u)
	default:
		return false
	}
	return true
}

// empty reports whether she answered no guided question.
func (f *answerFields) empty() bool {
	a := f.a
	return a.Year == 0 && a.Month == 0 && !a.Approximate && a.Province == "" && len(a.What) == 0 &&
		len(a.Who) == 0 && a.Source == "" && a.Elsewhere == "" && a.Contact == ""
}

// The guided questions' choices, in the page's language.
func (d pageData) Provinces() []Option  { return d.Lang.options(&guided.Province) }
func (d pageData) What() []Option       { return d.Lang.options(&guided.What) }
func (d pageData) Who() []Option        { return d.Lang.options(&guided.Who) }
func (d pageData) Source() []Option     { return d.Lang.options(&guided.Source) }
func (d pageData) Elsewhere() []Option  { return d.Lang.options(&guided.Elsewhere) }
func (d pageData) Contact() []Option    { return d.Lang.options(&guided.Contact) }
func (d pageData) UseOptions() []Option { return d.Lang.useOptions() }
func (d pageData) Years() []int         { return years() }
func (d pageData) Months() []int        { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// ProvinceGroup is the provinces of one country, as an optgroup shows them.
type ProvinceGroup struct {
	Label   string
	Options []Option
}

// ProvinceGroups splits the provinces into North Korea's, China's and the
// rest, so that she sees where one country ends and the other begins
// (LANGUAGE-REVIEW.md, Korean row 46). The codes say which is which.
func (d pageData) ProvinceGroups() []ProvinceGroup {
	groups := []ProvinceGroup{{Label: d.T("groupNK")}, {Label: d.T("groupCN")}, {}}
	for _, o := range d.Provinces() {
		switch {
		case strings.HasPrefix(o.Code, "KP-"):
			groups[0].Options = append(groups[0].Options, o)
		case strings.HasPrefix(o.Code, "CN-"):
			groups[1].Options = append(groups[1].Options, o)
		default:
			groups[2].Options = append(groups[2].Options, o)
		}
	}
	return groups
}
