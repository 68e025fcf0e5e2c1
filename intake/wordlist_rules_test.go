package intake

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// The rules every receipt word list keeps (issue 17, LANGUAGE-REVIEW.md
// section 3.4). TestWordlistProperties checks the shipped lists against
// them; the generator (wordlist_gen_test.go, -tags wordlistgen) builds the
// lists with them.

// syllable is a precomposed Hangul syllable as its three jamo indexes.
type syllable struct{ initial, medial, final int }

// syllables splits w into Hangul syllables; ok is false if w holds
// anything else.
func syllables(w string) (out []syllable, ok bool) {
	for _, r := range w {
		if r < 0xAC00 || r > 0xD7A3 {
			return nil, false
		}
		s := int(r - 0xAC00)
		out = append(out, syllable{s / (21 * 28), s / 28 % 21, s % 28})
	}
	return out, len(out) > 0
}

// Jamo that sound alike, so that a word heard or half-remembered could be
// written with the other (the groups; for finals, the consonants
// that sound the same at the end of a syllable).
var (
	alikeInitials = [][]int{{0, 1, 15}, {3, 4, 16}, {7, 8, 17}, {12, 13, 14}, {9, 10}}       // ㄱㄲㅋ ㄷㄸㅌ ㅂㅃㅍ ㅈㅉㅊ ㅅㅆ
	alikeMedials  = [][]int{{1, 5}, {3, 7}, {10, 11, 15}}                                    // ㅐㅔ ㅒㅖ ㅙㅚㅞ
	alikeFinals   = [][]int{{1, 2, 3, 9, 24}, {7, 19, 20, 22, 23, 25, 27}, {14, 17, 18, 26}} // ㄱ-like, ㄷ-like, ㅂ-like
)

func inOneGroup(groups [][]int, a, b int) bool {
	for _, g := range groups {
		ina, inb := false, false
		for _, x := range g {
			ina = ina || x == a
			inb = inb || x == b
		}
		if ina && inb {
			return true
		}
	}
	return false
}

// soundAlike reports whether a and b differ in exactly one jamo, and that
// jamo is one of a sound-alike group.
func soundAlike(a, b string) bool {
	sa, oka := syllables(a)
	sb, okb := syllables(b)
	if !oka || !okb || len(sa) != len(sb) {
		return false
	}
	diffs, alike := 0, false
	for i := range sa {
		x, y := sa[i], sb[i]
		if x.initial != y.initial {
			diffs++
			alike = inOneGroup(alikeInitials, x.initial, y.initial)
		}
		if x.medial != y.medial {
			diffs++
			alike = inOneGroup(alikeMedials, x.medial, y.medial)
		}
		if x.final != y.final {
			diffs++
			alike = inOneGroup(alikeFinals, x.final, y.final)
		}
	}
	return diffs == 1 && alike
}

// hasSaisiot reports whether a syllable before the last ends in ㅅ, as the
// 사이시옷 of 바닷가 or 숫자 does: the North writes such words without it.
// The rule is stricter than 사이시옷 itself (it also keeps out 옷장), which
// costs a few words and needs no dictionary.
func hasSaisiot(w string) bool {
	s, ok := syllables(w)
	if !ok {
		return false
	}
	for _, x := range s[:len(s)-1] {
		if x.final == 19 {
			return true
		}
	}
	return false
}

// readBlocklist reads a testdata blocklist: entries separated by spaces
// or lines, and lines starting with # are comments.
func readBlocklist(t testing.TB, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); !strings.HasPrefix(line, "#") {
			for _, w := range strings.Fields(line) {
				out[w] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// blocked reports whether w is on l's blocklist: the word itself for
// Korean and English, any of its characters for Chinese.
func blocked(l lang, block map[string]bool, w string) bool {
	if l == "zh" {
		for _, r := range w {
			if block[string(r)] {
				return true
			}
		}
		return false
	}
	return block[w]
}
