package redact

import (
	"slices"
	"strings"
)

// enPlaceWords are English words after a place name.
var enPlaceWords = setOf(`village town township county city district prefecture province`)

// romPlaceSuffixes are romanised Korean and Chinese suffixes written with
// a hyphen: Yusong-dong, Songhak-ri, Hoeryong-si.
var romPlaceSuffixes = []string{"rodongjagu", "nodongjagu", "guyok", "kuyok", "guyeok", "dong", "ri", "gun", "si", "up", "eup", "do", "ni", "cun", "zhen", "xiang", "xian", "shi", "qu"}

// enPlaces finds places in Latin text.
func (s *scan) enPlaces() []placeHit {
	g := theGazetteer()
	n := s.t.Norm
	toks := s.tokens()
	var out []placeHit
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.script != scriptLatin {
			continue
		}
		// The longest gazetteer name over up to four words.
		best, bestJ := (*gazPlace)(nil), -1
		for j := i; j < len(toks) && j < i+4; j++ {
			if toks[j].script != scriptLatin || j > i && !gapOnly(n, toks[j-1].e, toks[j].s, "-") {
				break
			}
			if p := g.lookup(n[tk.s:toks[j].e]); p != nil && isUpper(n[tk.s]) {
				best, bestJ = p, j
			}
		}
		if best != nil {
			e := toks[bestJ].e
			if bestJ+1 < len(toks) && gapOnly(n, e, toks[bestJ+1].s, "") && enPlaceWords[strings.ToLower(toks[bestJ+1].text(n))] {
				e = toks[bestJ+1].e
				bestJ++
			}
			out = append(out, placeHit{s: tk.s, e: e, place: best, score: placeScoreKnown})
			i = bestJ
			continue
		}
		word := tk.text(n)
		if !isUpper(word[0]) {
			continue
		}
		// Songhak-ri, Yusong-dong, Hoeryong-si; but not a given name
		// after a surname (Ban Sol-dong).
		afterSurname := i > 0 && toks[i-1].script == scriptLatin && gapOnly(n, toks[i-1].e, tk.s, "") && isUpper(n[toks[i-1].s]) && romSurnames[strings.ToLower(toks[i-1].text(n))]
		if k := strings.LastIndexByte(word, '-'); k > 0 && !afterSurname {
			suffix := strings.ToLower(word[k+1:])
			if slices.Contains(romPlaceSuffixes, suffix) && !enStop[strings.ToLower(word[:k])] {
				h := placeHit{s: tk.s, e: tk.e, suffix: suffix, score: placeScoreRomSuffix}
				if p := g.lookup(word[:k]); p != nil {
					h.place = p
				}
				out = append(out, h)
				continue
			}
		}
		// Guangming Village, Helong County.
		j := i
		for j+1 < len(toks) && toks[j+1].script == scriptLatin && gapOnly(n, toks[j].e, toks[j+1].s, "") && isUpper(n[toks[j+1].s]) && !enPlaceWords[strings.ToLower(toks[j+1].text(n))] && j-i < 2 {
			j++
		}
		// "Changcai village": a romanised name before a lower-case place
		// word, after a comma or a preposition, not at a sentence start.
		lowerOK := j == i && romanisedGiven(word) && !romSurnames[strings.ToLower(word)] && i > 0 && (gapOnly(n, toks[i-1].e, tk.s, ",") && strings.Contains(n[toks[i-1].e:tk.s], ",") ||
			slices.Contains([]string{"in", "at", "to", "from", "near"}, strings.ToLower(toks[i-1].text(n))))
		if j+1 < len(toks) && gapOnly(n, toks[j].e, toks[j+1].s, "") && enPlaceWords[strings.ToLower(toks[j+1].text(n))] && (isUpper(n[toks[j+1].s]) || lowerOK) {
			head := strings.ToLower(n[tk.s:toks[j].e])
			if !enStop[head] && !enStop[strings.ToLower(word)] {
				out = append(out, placeHit{s: tk.s, e: toks[j+1].e, suffix: strings.ToLower(toks[j+1].text(n)), score: placeScoreEnWord})
				i = j + 1
			}
		}
	}
	return out
}
