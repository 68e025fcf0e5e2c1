package redact

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Dates finer than a year are generalised: an exact date to its year (or
// year and month, [DateMonth]), a year and month to its year. The
// generalisation is written in the calendar and language she used:
// 주체108년 stays a Juche year (Gregorian = Juche + 1911, given in the
// explanation), 二〇一九年 stays in Chinese numerals.

const (
	koYear   = `(?:(주체\s?\d{1,3})\s?(?:\(\s?\d{4}\s?\)\s?)?년|(\d{4})\s?년|(\d{2})\s?년)`
	zhDigits = `[〇零一二三四五六七八九]`
	zhSmall  = `(?:\d{1,2}|[一二三四五六七八九十]{1,3})`
	zhYear   = `(?:(主体\s?\d{1,3})\s?年|(\d{4}|` + zhDigits + `{4})\s?年)`
	enMonth  = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
	enDay    = `(\d{1,2})(?:st|nd|rd|th)?`
)

var (
	koDateRe  = regexp.MustCompile(koYear + `?\s?(\d{1,2})\s?월\s?(\d{1,2})\s?일`)
	koMonthRe = regexp.MustCompile(koYear + `\s?(\d{1,2})\s?월`)
	koJucheRe = regexp.MustCompile(`주체\s?(\d{1,3})\s?(?:\(\s?\d{4}\s?\)\s?)?년`)
	zhDateRe  = regexp.MustCompile(zhYear + `?\s?(` + zhSmall + `)\s?月\s?(` + zhSmall + `)\s?[日号]`)
	zhMonthRe = regexp.MustCompile(zhYear + `\s?(` + zhSmall + `)\s?月`)
	numDateRe = regexp.MustCompile(`(\d{4})\s?([./-])\s?(\d{1,2})\s?[./-]\s?(\d{1,2})\.?|(\d{1,2})/(\d{1,2})/(\d{4})`)
	enDMYRe   = regexp.MustCompile(`\b` + enDay + `\s(?:of\s)?` + enMonth + `,?(?:\s(\d{4}))?\b`)
	enMDYRe   = regexp.MustCompile(`\b` + enMonth + `\s` + enDay + `\b(?:,?\s(\d{4}))?`)
	enMYRe    = regexp.MustCompile(`\b` + enMonth + `,?\s(\d{4})\b`)
)

var enMonthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// monthOf reads an English month name or abbreviation.
func monthOf(s string) int {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	for i, m := range enMonthNames {
		if strings.HasPrefix(strings.ToLower(m), s) && len(s) >= 3 {
			return i + 1
		}
	}
	return 0
}

// zhDigit returns the value of a Chinese digit (〇 or 零 to 九), or -1.
func zhDigit(r rune) int {
	for i, d := range []rune("〇一二三四五六七八九") {
		if r == d {
			return i
		}
	}
	if r == '零' {
		return 0
	}
	return -1
}

// zhNumber reads 1-31 in digits or Chinese numerals (三, 十二, 二十五).
func zhNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digit := zhDigit
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digit(rs[0])
	case len(rs) == 2 && rs[0] == '十':
		return 10 + digit(rs[1])
	case len(rs) == 2 && rs[1] == '十':
		return digit(rs[0]) * 10
	case len(rs) == 3 && rs[1] == '十':
		return digit(rs[0])*10 + digit(rs[2])
	}
	return -1
}

func (s *scan) dates() {
	n := s.t.Norm
	low := s.t.lower
	taken := func(a, b int) bool {
		for _, c := range s.cands {
			if c.Type == TypeDate && c.Start < b && a < c.End {
				return true
			}
		}
		return false
	}
	addDate := func(a, b int, score float64, expl string, broader ...string) {
		// Guard: a date is not part of a longer number.
		if a > 0 && isDigit(n[a-1]) || b < len(n) && isDigit(n[b]) {
			return
		}
		s.add(cand{Candidate: Candidate{Type: TypeDate, Start: a, End: b, Score: score, Explanation: expl, Broader: broader}})
	}
	group := func(m []int, k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return n[m[2*k]:m[2*k+1]]
	}
	if strings.Contains(n, "월") {
		wol := indexesOf(n, "월")
		for _, m := range findInWindows(koDateRe, n, wol, 48, 24) {
			juche, y4, y2, mo, d := group(m, 1), group(m, 2), group(m, 3), atoi(group(m, 4)), atoi(group(m, 5))
			if mo < 1 || mo > 12 || d < 1 || d > 31 {
				continue
			}
			year := firstNonEmpty(juche, y4, y2)
			if year == "" {
				addDate(m[0], m[1], 0.7, "a day and month without a year", fmt.Sprintf("%d월", mo))
				continue
			}
			ys := year + "년"
			addDate(m[0], m[1], 0.9, "an exact date"+jucheNote(juche), fmt.Sprintf("%s %d월", ys, mo), ys)
		}
		for _, m := range findInWindows(koMonthRe, n, wol, 48, 8) {
			if taken(m[0], m[1]) {
				continue
			}
			juche, y4, y2, mo := group(m, 1), group(m, 2), group(m, 3), atoi(group(m, 4))
			if mo < 1 || mo > 12 {
				continue
			}
			addDate(m[0], m[1], 0.6, "a year and month"+jucheNote(juche), firstNonEmpty(juche, y4, y2)+"년")
		}
	}
	if strings.Contains(n, "주체") {
		for _, m := range findInWindows(koJucheRe, n, indexesOf(n, "주체"), 0, 32) {
			if !taken(m[0], m[1]) {
				addDate(m[0], m[1], 0.3, "a year in the Juche calendar"+jucheNote(n[m[0]:m[1]]))
			}
		}
	}
	if strings.Contains(n, "月") {
		yue := indexesOf(n, "月")
		for _, m := range findInWindows(zhDateRe, n, yue, 48, 24) {
			juche, y, mo, d := group(m, 1), group(m, 2), zhNumber(group(m, 3)), zhNumber(group(m, 4))
			if mo < 1 || mo > 12 || d < 1 || d > 31 {
				continue
			}
			year := firstNonEmpty(juche, y)
			if year == "" {
				addDate(m[0], m[1], 0.7, "a day and month without a year", group(m, 3)+"月")
				continue
			}
			addDate(m[0], m[1], 0.9, "an exact date"+jucheNote(juche), year+"年"+group(m, 3)+"月", year+"年")
		}
		for _, m := range findInWindows(zhMonthRe, n, yue, 48, 8) {
			if taken(m[0], m[1]) {
				continue
			}
			if mo := zhNumber(group(m, 3)); mo < 1 || mo > 12 {
				continue
			}
			addDate(m[0], m[1], 0.6, "a year and month"+jucheNote(group(m, 1)), firstNonEmpty(group(m, 1), group(m, 2))+"年")
		}
	}
	if strings.ContainsAny(n, "./-") {
		findInWindowsFunc(numDateRe, n, digitSepDigit(n), 16, 16, func(m []int) bool {
			var y, mo, d int
			if group(m, 1) != "" {
				y, mo, d = atoi(group(m, 1)), atoi(group(m, 3)), atoi(group(m, 4))
			} else {
				// d/m/yyyy or m/d/yyyy: either reading will do, the
				// output keeps only the year.
				a, b := atoi(group(m, 5)), atoi(group(m, 6))
				y, mo, d = atoi(group(m, 7)), a, b
				if a > 12 {
					mo, d = b, a
				}
			}
			if !validDate(y, mo, d, 1900, 2100) || m[0] > 0 && isDigit(n[m[0]-1]) || m[1] < len(n) && isDigit(n[m[1]]) {
				return false
			}
			l := s.t.langAt(m[0])
			addDate(m[0], m[1], 0.85, "an exact date in digits", monthForm(l, y, mo), yearForm(l, y))
			return true
		})
	}
	if months := monthWords(n); len(months) > 0 {
		for _, re := range []*regexp.Regexp{enMDYRe, enDMYRe} {
			for _, m := range findInWindows(re, low, months, 24, 32) {
				var mo, d int
				var y string
				if re == enMDYRe {
					mo, d, y = monthOf(group(m, 1)), atoi(group(m, 2)), group(m, 3)
					if !isUpper(n[m[2]]) {
						continue
					}
				} else {
					d, mo, y = atoi(group(m, 1)), monthOf(group(m, 2)), group(m, 3)
					if !isUpper(n[m[4]]) {
						continue
					}
				}
				if mo == 0 || d < 1 || d > 31 || taken(m[0], m[1]) {
					continue
				}
				if y == "" {
					addDate(m[0], m[1], 0.7, "a day and month without a year", enMonthNames[mo-1])
					continue
				}
				addDate(m[0], m[1], 0.9, "an exact date", enMonthNames[mo-1]+" "+y, y)
			}
		}
		for _, m := range findInWindows(enMYRe, low, months, 0, 24) {
			if mo := monthOf(group(m, 1)); mo > 0 && isUpper(n[m[2]]) && !taken(m[0], m[1]) {
				addDate(m[0], m[1], 0.6, "a year and month", group(m, 2))
			}
		}
	}
}

// jucheNote explains a Juche year: Gregorian = Juche + 1911.
func jucheNote(juche string) string {
	if juche == "" {
		return ""
	}
	digits := strings.TrimFunc(juche, func(r rune) bool { return r < '0' || r > '9' })
	if i := strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		digits = digits[:i]
	}
	j, err := strconv.Atoi(digits)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" (Juche %d is %d)", j, j+1911)
}

func yearForm(l lang, y int) string {
	switch l {
	case langKo:
		return fmt.Sprintf("%d년", y)
	case langZh:
		return fmt.Sprintf("%d年", y)
	}
	return strconv.Itoa(y)
}

func monthForm(l lang, y, m int) string {
	switch l {
	case langKo:
		return fmt.Sprintf("%d년 %d월", y, m)
	case langZh:
		return fmt.Sprintf("%d年%d月", y, m)
	}
	return fmt.Sprintf("%s %d", enMonthNames[m-1], y)
}

// digitSepDigit returns where a digit, a dot, slash or dash, and a digit
// follow each other: where numeric dates can be.
func digitSepDigit(n string) []int {
	var out []int
	for i := 1; i+1 < len(n); i++ {
		switch n[i] {
		case '.', '/', '-':
			if isDigit(n[i-1]) && (isDigit(n[i+1]) || n[i+1] == ' ' && i+2 < len(n) && isDigit(n[i+2])) {
				out = append(out, i)
			}
		}
	}
	return out
}

// monthWords returns where a capitalised English month name or
// abbreviation starts a word.
func monthWords(n string) []int {
	var out []int
	for i := 0; i+3 <= len(n); i++ {
		if !isUpper(n[i]) || i > 0 && isASCIIAlnum(n[i-1]) {
			continue
		}
		if monthOf(n[i:i+3]) > 0 {
			out = append(out, i)
		}
	}
	return out
}
