package redact

import (
	"regexp"
	"slices"
	"unicode/utf8"
)

// RE2 is linear but not cheap, and most of a statement holds no date or
// coordinate. Patterns for them run only in windows around a trigger
// (월, 月, a digit next to a dot or degree sign), which keeps the cost
// proportional to what the text contains, not to its length. Guards that
// look outside a match read the whole text, so a window edge never makes
// a match that the whole text would not.

// findInWindows runs re over the windows [p-before, p+after) around each
// trigger position p (windows that overlap are merged) and returns the
// submatch indexes as offsets into s.
func findInWindows(re *regexp.Regexp, s string, triggers []int, before, after int) [][]int {
	if len(triggers) == 0 {
		return nil
	}
	slices.Sort(triggers)
	var out [][]int
	lastEnd := -1
	flush := func(a, b int) {
		for _, m := range re.FindAllStringSubmatchIndex(s[a:b], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += a
				}
			}
			if m[0] >= lastEnd {
				out = append(out, m)
				lastEnd = m[1]
			}
		}
	}
	eachWindow(s, triggers, before, after, flush)
	return out
}

// eachWindow calls fn with each window [p-before, p+after) around the
// sorted trigger positions p, overlapping windows merged, edges moved to
// rune boundaries.
func eachWindow(s string, triggers []int, before, after int, fn func(a, b int)) {
	a, b := -1, -1
	for _, p := range triggers {
		wa, wb := snapBack(s, max(0, p-before)), snapFwd(s, min(len(s), p+after))
		if a >= 0 && wa <= b {
			b = max(b, wb)
			continue
		}
		if a >= 0 {
			fn(a, b)
		}
		a, b = wa, wb
	}
	fn(a, b)
}

func snapBack(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

func snapFwd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

// indexesOf returns every byte offset of sub in s.
func indexesOf(s, sub string) []int {
	var out []int
	for off := 0; ; {
		i := indexFrom(s, sub, off)
		if i < 0 {
			return out
		}
		out = append(out, i)
		off = i + len(sub)
	}
}

// findInWindowsFunc is findInWindows for patterns whose matches a guard
// may reject: after a rejected match the search resumes one character
// after its start, not after its end, so "…9504. 22/10/2012" still finds
// the date that a rejected "9504. 22/10" overlapped.
func findInWindowsFunc(re *regexp.Regexp, s string, triggers []int, before, after int, accept func(m []int) bool) {
	if len(triggers) == 0 {
		return
	}
	slices.Sort(triggers)
	scan := func(a, b int) {
		for pos := a; pos < b; {
			m := re.FindStringSubmatchIndex(s[pos:b])
			if m == nil {
				return
			}
			for i := range m {
				if m[i] >= 0 {
					m[i] += pos
				}
			}
			if accept(m) {
				pos = max(m[1], m[0]+1)
				continue
			}
			_, k := utf8.DecodeRuneInString(s[m[0]:])
			pos = m[0] + max(k, 1)
		}
	}
	eachWindow(s, triggers, before, after, scan)
}
