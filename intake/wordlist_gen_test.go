//go:build wordlistgen

package intake

// The generator of the receipt word lists in wordlists/v2. It is a test
// behind a build tag so that it shares the rules of
// TestWordlistProperties, and so that what it needs (the jieba word
// frequencies in github.com/go-ego/gse, Apache-2.0 code with jieba's MIT
// dictionary, and the pinyin of github.com/mozillazg/go-pinyin, MIT) is
// never built into intake:
//
//	go test ./intake -tags wordlistgen -run TestGenerateWordlists -count=1
//
// It rewrites wordlists/v2/*.txt and wordlists/source/zh-pinyin.txt. A list
// must never change once deployed (receipts already given would read as
// other numbers): change the rules and the version together.

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"

	_ "github.com/go-ego/gse" // the module whose data/dict/zh/s_1.txt is read below
)

// listSize is the most words a list may have: 2048^6 < 10^20, so the
// receipt still fits its 20 digits.
const listSize = 2048

func readWords(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for w := range readBlocklistOrdered(t, path) {
		out = append(out, norm.NFC.String(w))
	}
	return out
}

// readBlocklistOrdered yields the entries of a list file in order.
func readBlocklistOrdered(t *testing.T, path string) func(func(string) bool) {
	return func(yield func(string) bool) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			w := strings.TrimSpace(line)
			if w == "" || strings.HasPrefix(w, "#") {
				continue
			}
			for _, f := range strings.Fields(w) {
				if !yield(f) {
					return
				}
			}
		}
	}
}

func writeList(t *testing.T, l lang, words []string) {
	t.Helper()
	if len(words) > listSize {
		words = words[:listSize]
	}
	t.Logf("%s: %d words", l, len(words))
	if err := os.WriteFile(filepath.Join("wordlists", wordlistVersion, string(l)+".txt"), []byte(strings.Join(words, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// keepIf adds w to kept unless it breaks a rule against a word already
// kept: same folded form, one a prefix of the other, or (Korean) one jamo
// of a sound-alike group apart. Earlier words win.
func keepIf(l lang, kept []string, seen map[string]bool, w string) []string {
	k := foldWord(l, w)
	if seen[k] {
		return kept
	}
	for _, x := range kept {
		if prefixOf(l, x, w) || prefixOf(l, w, x) || l == "ko" && soundAlike(x, w) {
			return kept
		}
	}
	seen[k] = true
	return append(kept, w)
}

func TestGenerateWordlists(t *testing.T) {
	if err := os.MkdirAll(filepath.Join("wordlists", wordlistVersion), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Run("ko", generateKorean)
	t.Run("en", generateEnglish)
	t.Run("zh", generateChinese)
}

// generateKorean: v1 (BIP-39 Korean, filtered) less the review's words and
// every rule-breaker, then the added everyday words; two syllables before
// three, so a three-syllable word loses to the two-syllable word it
// begins with.
func generateKorean(t *testing.T) {
	block := readBlocklist(t, "testdata/wordlists/ko-block.txt")
	var cands []string
	for _, w := range append(readWords(t, "wordlists/source/v1-ko.txt"), readWords(t, "wordlists/source/ko-added.txt")...) {
		if s, ok := syllables(w); ok && len(s) >= 2 && len(s) <= 3 && !blocked("ko", block, w) && !hasSaisiot(w) {
			cands = append(cands, w)
		}
	}
	slices.SortStableFunc(cands, func(a, b string) int { return utf8.RuneCountInString(a) - utf8.RuneCountInString(b) })
	var kept []string
	seen := map[string]bool{}
	for _, w := range cands {
		kept = keepIf("ko", kept, seen, w)
	}
	if len(kept) > listSize {
		kept = kept[:listSize]
	}
	slices.Sort(kept)
	writeList(t, "ko", kept)
}

// generateEnglish: v1 (BIP-39 English, filtered) less the blocklist, and
// no word that begins another (the longer word stays).
func generateEnglish(t *testing.T) {
	block := readBlocklist(t, "testdata/wordlists/en-block.txt")
	words := readWords(t, "wordlists/source/v1-en.txt")
	var kept []string
	for _, w := range words {
		if blocked("en", block, w) {
			continue
		}
		if slices.ContainsFunc(words, func(x string) bool { return !blocked("en", block, x) && prefixOf("en", w, x) }) {
			continue
		}
		kept = append(kept, w)
	}
	writeList(t, "en", kept)
}

// generateChinese: the most frequent two-character common nouns (jieba
// part of speech n; not names of people, places or organisations) whose
// characters are not on the blocklist and each have one reading, no two
// with the same pinyin without tones.
func generateChinese(t *testing.T) {
	block := readBlocklist(t, "testdata/wordlists/zh-block.txt")
	wordBlock := readBlocklist(t, "testdata/wordlists/zh-words-block.txt")
	common := map[rune]bool{} // the 2,002 characters of v1 (BIP-39's most common): both must be one
	for _, c := range readWords(t, "wordlists/source/v1-zh.txt") {
		common[[]rune(c)[0]] = true
	}
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(strings.TrimSpace(string(dir)), "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type cand struct {
		word, pinyin string
		freq         int
	}
	var cands []cand
	args := pinyin.NewArgs()
	args.Heteronym = true
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 3 || fs[2] != "n" {
			continue
		}
		w := fs[0]
		rs := []rune(w)
		if len(rs) != 2 || !unicode.Is(unicode.Han, rs[0]) || !unicode.Is(unicode.Han, rs[1]) || !common[rs[0]] || !common[rs[1]] || blocked("zh", block, w) || wordBlock[w] || foldWord("zh", w) != w {
			continue
		}
		var syl []string
		for _, readings := range pinyin.Pinyin(w, args) {
			if uniq := slices.Compact(slices.Sorted(slices.Values(readings))); len(uniq) == 1 {
				syl = append(syl, uniq[0])
			}
		}
		if len(syl) != 2 {
			continue // a character with no reading, or more than one
		}
		freq, _ := strconv.Atoi(fs[1])
		cands = append(cands, cand{w, strings.Join(syl, " "), freq})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return b.freq - a.freq })
	var words, lines []string
	used := map[string]bool{}
	for _, c := range cands {
		if used[c.pinyin] || len(words) == listSize {
			continue
		}
		used[c.pinyin] = true
		words = append(words, c.word)
		lines = append(lines, c.word+"\t"+c.pinyin)
	}
	writeList(t, "zh", words)
	if err := os.WriteFile("wordlists/source/zh-pinyin.txt", []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// prefixOf reports whether a is a proper prefix of b once both are folded
// as a typed word is.
func prefixOf(l lang, a, b string) bool {
	fa, fb := foldWord(l, a), foldWord(l, b)
	return fa != fb && strings.HasPrefix(fb, fa)
}
