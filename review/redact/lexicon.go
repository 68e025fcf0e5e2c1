package redact

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"testimony/internal/fold"
)

// Two data files ship with the detectors, so that a plan never depends on
// what the reviewer's machine has installed (see lexicon/README.md for
// their sources and licences; lexicon/gen.go rebuilds them):
//
//   - a Korean word list (hunspell-ko's 99,000 words): a Hangul word in it
//     is an everyday word, which needs a context word to be a name
//     (보람, 하늘, 소식, 며느리), and a word not in it followed by the
//     familiar suffix -이 and a particle (은비는, 별이는) is a name;
//   - the Korean readings of Han characters (Unihan kHangul), for the
//     Hangul spelling of a Chinese place or name (白金村 → 백금촌, 三合 →
//     삼합), which testimonies in Korean write.

//go:embed lexicon/ko-words.txt.gz
var koWordsGz []byte

//go:embed lexicon/hangul.txt
var hangulReadings string

var koWords = sync.OnceValue(loadKoWords)

// loadKoWords reads the embedded word list, once per process, on first
// use. The keys are pieces of one string, so building the set allocates
// little beyond the map itself.
func loadKoWords() map[string]bool {
	zr, err := gzip.NewReader(bytes.NewReader(koWordsGz))
	if err != nil {
		panic("redact: the embedded Korean word list is damaged: " + err.Error())
	}
	var b strings.Builder
	b.Grow(1 << 20)
	if _, err := io.Copy(&b, zr); err != nil {
		panic("redact: the embedded Korean word list is damaged: " + err.Error())
	}
	data := b.String()
	m := make(map[string]bool, 115000)
	for len(data) > 0 {
		w, rest, _ := strings.Cut(data, "\n")
		data = rest
		if w == "" {
			continue
		}
		m[w] = true
		if stem, ok := strings.CutSuffix(w, "다"); ok && stem != "" {
			// 기다리다: the stem 기다리 is what a word starts with.
			m[stem] = true
		}
	}
	return m
}

// koEveryday reports whether a Hangul word is in the Korean word list, in
// its South Korean initial sound too (량심 is 양심, 로동 is 노동).
func koEveryday(w string) bool {
	if w == "" {
		return false
	}
	m := koWords()
	if m[w] {
		return true
	}
	if b, ok := strings.CutSuffix(w, "들"); ok && b != "" && m[b] {
		// 손님들: a plural.
		return true
	}
	r, k := utf8.DecodeRuneInString(w)
	if s := fold.Initial(r); s != r {
		var buf [64]byte
		b := append(utf8.AppendRune(buf[:0], s), w[k:]...)
		return m[string(b)] // the conversion in a map index does not allocate
	}
	return false
}

// koVerb reports whether w is the stem of a verb or adjective in the
// Korean word list: 기다리 (기다리다).
func koVerb(w string) bool {
	if w == "" {
		return false
	}
	var buf [64]byte
	return koWords()[string(append(append(buf[:0], w...), "다"...))]
}

var hanReadings = sync.OnceValue(func() map[rune][]string {
	m := make(map[rune][]string, 10000)
	for line := range strings.Lines(hangulReadings) {
		c, rs, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		r, n := utf8.DecodeRuneInString(c)
		if !ok || n != len(c) {
			continue
		}
		m[r] = strings.Fields(rs)
	}
	return m
})

// hangulOf returns Hangul readings of a Han string, at most limit
// of them (the combinations of each character's readings, the first
// reading first), or nil if a character has none.
func hangulOf(s string, limit int) []string {
	rd := hanReadings()
	out := []string{""}
	for _, r := range s {
		rs := rd[r]
		if len(rs) == 0 {
			return nil
		}
		var next []string
		for _, p := range out {
			for _, x := range rs {
				if len(next) < limit {
					next = append(next, p+x)
				}
			}
		}
		out = next
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}
