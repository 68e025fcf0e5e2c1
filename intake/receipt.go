package intake

import (
	"crypto/rand"
	"embed"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"testimony/internal/fold"
	"testimony/internal/hanzi"
)

// A receipt is a random number she is shown twice: as six words from the
// word list of her language, and as twenty digits. Either way typed back
// gives the same number, and only an Argon2id derivation of it is stored.
// wordlists/README.md says where the words come from, which rules they
// keep, and why some are gone.

const (
	receiptWords  = 6
	receiptDigits = 20 // enough for 2048^6 < 10^20
	// wordlistVersion names the lists in wordlists/v2 (docs/formats.md).
	// v1 was never deployed and is gone: no receipt reads with it.
	wordlistVersion = "v2"
	// maxReadings bounds the readings of one typed receipt, each of which
	// costs a KDF run on the return page (issue 17: at most two).
	maxReadings = 2
)

//go:embed wordlists/v2/*.txt
var wordlistFS embed.FS

type wordlist struct {
	lang   lang
	words  []string
	index  map[string]int // folded word (foldWord) → its number
	maxLen int            // the longest folded word, in runes
	space  *big.Int       // len(words)^receiptWords
}

var wordlists = func() map[lang]*wordlist {
	m := map[lang]*wordlist{}
	for _, l := range languages {
		b, err := wordlistFS.ReadFile("wordlists/" + wordlistVersion + "/" + string(l) + ".txt")
		if err != nil {
			panic(err)
		}
		wl := &wordlist{lang: l, index: map[string]int{}}
		for _, w := range strings.Fields(string(b)) {
			w = norm.NFC.String(w)
			k := foldWord(l, w)
			if _, dup := wl.index[k]; dup {
				panic("two words of the " + string(l) + " list fold to " + k)
			}
			wl.index[k] = len(wl.words)
			wl.words = append(wl.words, w)
			wl.maxLen = max(wl.maxLen, utf8.RuneCountInString(k))
		}
		n := big.NewInt(int64(len(wl.words)))
		wl.space = new(big.Int).Exp(n, big.NewInt(receiptWords), nil)
		m[l] = wl
	}
	return m
}()

// foldWord is the form in which a typed word and a list word are compared.
// Korean: her North Korean spellings read as the list's. The first
// syllable keeps its initial ㄹ or ㄴ in the North (로동, 래일, 녀성) and
// loses it in the South (노동, 내일, 여성): fold.Initial makes them one. The
// North writes no 사이시옷 (바다가, 수자) where the South does (바닷가, 숫자):
// a ㅅ ending a syllable before the last is dropped (no list word has one,
// TestWordlistProperties). Chinese: Traditional characters read as
// Simplified. The list is built so that no two of its words fold alike.
func foldWord(l lang, w string) string {
	switch l {
	case "ko":
		rs := []rune(w)
		for i, r := range rs {
			if i == 0 {
				r = fold.Initial(r)
			}
			if i < len(rs)-1 && r >= 0xAC00 && r <= 0xD7A3 && (r-0xAC00)%28 == 19 {
				r -= 19 // the syllable without its final ㅅ
			}
			rs[i] = r
		}
		return string(rs)
	case "zh":
		return hanzi.String(w)
	}
	return w
}

// receipt is a receipt as shown: its words in one language and its digits.
type receipt struct {
	Words  string
	Digits string
	value  string // canonical: the number in receiptDigits decimal digits
	offer  string // on the first receipt: the second, sealed for its offer form
}

// List is the receipt's words one by one, for the page that shows them
// numbered, one a line.
func (r receipt) List() []string { return strings.Fields(r.Words) }

// newReceipt draws a receipt for a survivor writing in l.
func newReceipt(l lang) receipt {
	wl := wordlists[l]
	v, err := rand.Int(rand.Reader, wl.space)
	if err != nil {
		panic(err)
	}
	return receiptFromValue(l, v)
}

func receiptFromValue(l lang, v *big.Int) receipt {
	wl := wordlists[l]
	n := big.NewInt(int64(len(wl.words)))
	words := make([]string, receiptWords)
	rest, idx := new(big.Int).Set(v), new(big.Int)
	for i := receiptWords - 1; i >= 0; i-- {
		rest.DivMod(rest, n, idx)
		words[i] = wl.words[idx.Int64()]
	}
	value := fmt.Sprintf("%0*s", receiptDigits, v.String())
	var digits strings.Builder
	for i, c := range value {
		if i > 0 && i%4 == 0 {
			digits.WriteByte(' ')
		}
		digits.WriteRune(c)
	}
	return receipt{Words: strings.Join(words, " "), Digits: digits.String(), value: value}
}

// normalizeTyped is what she typed in the form the parser reads: NFKC (so
// full-width digits and letters, the ideographic space and decomposed
// Hangul become their plain forms), lower case, and every separator she may
// use (commas, dots, dashes, middle dots, slashes) a space.
func normalizeTyped(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-.·ㆍ‧•,、，。．_/\\|;；:：~", r) || unicode.Is(unicode.Pd, r) {
			return ' '
		}
		return r
	}, s)
}

// parseReceipt reads a receipt as she may type it back: the words of any
// of the three lists, typed with any spacing or none, or the twenty
// digits, plain, dashed or spaced. It returns the receipt's canonical
// value in each reading it finds: one, or two when her typing allows two
// (never more, so a return visit costs at most maxReadings KDF runs).
func parseReceipt(s string) ([]string, error) {
	if len(s) > 400 {
		return nil, errBadReceipt
	}
	joined := strings.Join(strings.Fields(normalizeTyped(s)), "")
	if joined == "" {
		return nil, errBadReceipt
	}
	if strings.Trim(joined, "0123456789") == "" {
		if len(joined) != receiptDigits {
			return nil, errBadReceipt
		}
		return []string{joined}, nil
	}
	var readings []string
	for _, l := range languages {
		for _, idx := range wordlists[l].split(joined, maxReadings+1) {
			v := wordlists[l].value(idx)
			if !slices.Contains(readings, v) {
				readings = append(readings, v)
			}
		}
	}
	if len(readings) == 0 || len(readings) > maxReadings {
		return nil, errBadReceipt
	}
	return readings, nil
}

// split returns up to limit ways of reading s (spaces removed) as
// receiptWords words of the list, each as the words' numbers. The lists
// are prefix-free once folded (TestWordlistProperties), so there is at most
// one; the search does not rely on it.
func (wl *wordlist) split(s string, limit int) [][]int {
	rs := []rune(s)
	var out [][]int
	var walk func(at int, got []int)
	walk = func(at int, got []int) {
		if len(out) >= limit {
			return
		}
		if len(got) == receiptWords {
			if at == len(rs) {
				out = append(out, slices.Clone(got))
			}
			return
		}
		if len(rs)-at > (receiptWords-len(got))*wl.maxLen {
			return // too much left for the words still to come
		}
		for n := 1; n <= wl.maxLen && at+n <= len(rs); n++ {
			if i, ok := wl.index[foldWord(wl.lang, string(rs[at:at+n]))]; ok {
				walk(at+n, append(got, i))
			}
		}
	}
	walk(0, nil)
	return out
}

// value is the canonical value of a receipt given as its words' numbers.
func (wl *wordlist) value(idx []int) string {
	v, n := new(big.Int), big.NewInt(int64(len(wl.words)))
	for _, i := range idx {
		v.Mul(v, n).Add(v, big.NewInt(int64(i)))
	}
	return fmt.Sprintf("%0*s", receiptDigits, v.String())
}

// wrongWord says which of the six words (1 to 6) she typed differs from
// the receipt value in l, or 0 when it cannot tell (digits, or not six
// words). Only the check page may use it: there the server already holds
// her sealed receipt, while on the return page it would tell a guesser
// which word to change.
func wrongWord(typed string, l lang, value string) int {
	v, ok := new(big.Int).SetString(value, 10)
	if !ok {
		return 0
	}
	want := receiptFromValue(l, v).List()
	fields := strings.Fields(normalizeTyped(typed))
	if got := wordlists[l].split(strings.Join(fields, ""), 1); len(got) == 1 {
		fields = fields[:0]
		for _, i := range got[0] {
			fields = append(fields, wordlists[l].words[i])
		}
	}
	if len(fields) != receiptWords {
		return 0
	}
	for i, f := range fields {
		if foldWord(l, f) != foldWord(l, want[i]) {
			return i + 1
		}
	}
	return 0
}
