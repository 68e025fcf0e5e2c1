package redact

import (
	"strings"
	"sync"
	"unicode/utf8"

	"testimony/internal/hanzi"
)

// level is how broad a place is.
type level int

const (
	levelProvince level = 1 // 도, 省, and the cities ranked with them
	levelCounty   level = 2 // 시, 군, 市, 县: the level to keep when not the province
	levelTown     level = 3 // 구역, 동, 리, 읍, 镇, 乡, 村 and below
)

// gazPlace is one gazetteer entry.
type gazPlace struct {
	key    string
	level  level
	parent *gazPlace
	names  [3][]string // by lang: en, ko, zh; the first is the display name
}

// display returns the place's name in language l.
func (p *gazPlace) display(l lang) string {
	if ns := p.names[l]; len(ns) > 0 {
		return ns[0]
	}
	return p.names[langEn][0]
}

// gazetteer indexes the entries by the match key of each name.
type gazetteer struct {
	byKey    map[string]*gazPlace // key of a name → place
	prefixes map[string]bool      // every prefix of every key
	maxLen   int                  // longest key, in runes
	places   []*gazPlace
}

var (
	gazOnce sync.Once
	gaz     *gazetteer
)

// theGazetteer parses gazetteerData once.
func theGazetteer() *gazetteer {
	gazOnce.Do(func() {
		g := &gazetteer{byKey: map[string]*gazPlace{}, prefixes: map[string]bool{}}
		byName := map[string]*gazPlace{}
		parents := map[*gazPlace]string{}
		for _, line := range strings.Split(strings.TrimSpace(gazetteerData), "\n") {
			f := strings.Split(line, "|")
			if len(f) != 6 {
				panic("redact: malformed gazetteer line: " + line)
			}
			p := &gazPlace{key: f[0], level: level(f[1][0] - '0')}
			for i, col := range []int{5, 3, 4} {
				if f[col] != "" {
					p.names[i] = strings.Split(f[col], ",")
				}
			}
			parents[p] = f[2]
			byName[p.key] = p
			g.places = append(g.places, p)
			for _, ns := range p.names {
				for _, n := range ns {
					k := matchKey(n)
					// The first entry wins: provinces come first, so
					// 吉林 is the province, not the city.
					if _, dup := g.byKey[k]; !dup {
						g.byKey[k] = p
					}
					for i := range k {
						g.prefixes[k[:i]] = true
					}
					g.maxLen = max(g.maxLen, len([]rune(k)))
				}
			}
		}
		// Hangul readings of the Chinese names (Unihan kHangul): the
		// Korean Chinese write Chinese places as they read the
		// characters (图们 도문, 鸡西 계서, 开山屯 개산둔). A reading that is
		// an everyday Korean word is left out, as the curated column
		// leaves out 통화 and 집안.
		for _, p := range g.places {
			for _, zh := range p.names[langZh] {
				for _, rd := range hangulOf(hanzi.String(zh), 2) {
					k := matchKey(rd)
					if _, dup := g.byKey[k]; dup || utf8.RuneCountInString(rd) < 2 || koEveryday(rd) || koCommon[rd] {
						continue
					}
					if p.level == levelProvince && !strings.HasSuffix(zh, "省") {
						// 河北 하북 is a province only with 성.
						continue
					}
					p.names[langKo] = append(p.names[langKo], rd)
					g.byKey[k] = p
					for i := range k {
						g.prefixes[k[:i]] = true
					}
					g.maxLen = max(g.maxLen, utf8.RuneCountInString(k))
				}
			}
		}
		for p, k := range parents {
			if k != "" {
				p.parent = byName[k]
				if p.parent == nil {
					panic("redact: gazetteer parent missing: " + k)
				}
			}
		}
		gaz = g
	})
	return gaz
}

// lookup returns the place a name stands for, matching in any spelling.
func (g *gazetteer) lookup(name string) *gazPlace {
	return g.byKey[matchKey(name)]
}

// longestPrefix returns the byte length of the longest gazetteer name at
// the start of s (a normalised Hangul or Han run), or 0.
func (g *gazetteer) longestPrefix(s string) int {
	var buf [96]byte
	key := buf[:0]
	best, runes := 0, 0
	for i, r := range s {
		if runes >= g.maxLen || skipped(r) {
			break
		}
		key = utf8.AppendRune(key, keyRune(r))
		runes++
		if _, ok := g.byKey[string(key)]; ok && runes >= 2 {
			best = i + utf8.RuneLen(r)
		}
		if !g.prefixes[string(key)] {
			break
		}
	}
	return best
}
