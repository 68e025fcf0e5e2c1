package redact

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Places are found three ways: names the gazetteer knows (with or
// without their suffix: 회령, 회령시, 会宁, Hoeryong), unknown names by
// their administrative suffix (유선동, 송학리, 光明村, Songhak-ri,
// Guangming Village), and street addresses. Places that stand next to
// each other (함경북도 회령시 유선동, 吉林省延吉市依兰镇) are one chain, one
// candidate, so the chain is generalised as a whole: to its province
// (or county) written in the language around it, or removed when the
// gazetteer knows nothing above it.

// placeHit is one place name in the normalised text.
type placeHit struct {
	s, e   int
	place  *gazPlace // nil for a name found by its suffix
	suffix string    // the suffix that made an unknown name a place
	score  float64
}

// placeWords near a name make it a place: 고향, 살았다, 출신.
var placeWords = []string{"고향", "살았", "살던", "출신", "태어", "마을", "동네", "주소", "老家", "住在", "来自", "出生", "家乡", "村里", "born", "lived", "village", "hometown", "from"}

var (
	zhAddressRe = regexp.MustCompile(`\p{Han}{1,6}(?:路|街|大街|大道|巷|胡同)\s?\d{1,5}\s?号(?:\s?\d{1,3}\s?(?:栋|楼|号楼))?(?:\s?\d{1,3}\s?单元)?(?:\s?\d{1,5}\s?(?:室|号))?`)
	koAddressRe = regexp.MustCompile(`[가-힣]{1,8}(?:로|길)\s?\d{1,4}(?:-\d{1,4})?(?:번길\s?\d{1,4})?`)
	koUnitRe    = regexp.MustCompile(`(?:제\s?)?\d{1,3}\s?인민반`)
)

func (s *scan) places() {
	var hits []placeHit
	hits = append(hits, s.koPlaces()...)
	hits = append(hits, s.zhPlaces()...)
	hits = append(hits, s.enPlaces()...)
	n := s.t.Norm
	if strings.Contains(n, "인민반") {
		for _, m := range koUnitRe.FindAllStringIndex(n, -1) {
			hits = append(hits, placeHit{s: m[0], e: m[1], suffix: "인민반", score: placeScoreUnit})
		}
	}
	if strings.Contains(n, "号") {
		for _, m := range zhAddressRe.FindAllStringIndex(n, -1) {
			hits = append(hits, placeHit{s: m[0], e: m[1], suffix: "号", score: placeScoreZhAddress})
		}
	}
	for _, m := range koAddressRe.FindAllStringIndex(n, -1) {
		if m[1] < len(n) && isDigit(n[m[1]]) {
			continue
		}
		hits = append(hits, placeHit{s: m[0], e: m[1], suffix: "로", score: placeScoreKoAddress})
	}
	s.chains(hits)
}

// chains joins places that stand next to each other and adds one
// candidate per chain.
func (s *scan) chains(hits []placeHit) {
	if len(hits) == 0 {
		return
	}
	slices.SortFunc(hits, func(a, b placeHit) int {
		if a.s != b.s {
			return a.s - b.s
		}
		return b.e - a.e
	})
	n := s.t.Norm
	var chain []placeHit
	flush := func() {
		if len(chain) > 0 {
			s.addChain(chain)
		}
		chain = nil
	}
	for _, h := range hits {
		if len(chain) > 0 {
			last := chain[len(chain)-1]
			if h.s < last.e {
				continue // overlapping a hit already taken
			}
			if h.s-last.e <= 4 && gapOnly(n, last.e, h.s, ",，、") {
				chain = append(chain, h)
				continue
			}
		}
		flush()
		chain = []placeHit{h}
	}
	flush()
}

// addChain turns a chain of places into one candidate with its
// generalisations.
func (s *scan) addChain(chain []placeHit) {
	n := s.t.Norm
	s.placeParts = append(s.placeParts, chain...)
	start, end := chain[0].s, chain[len(chain)-1].e
	score := 0.0
	var known *gazPlace
	var knownAt int
	for i, h := range chain {
		sc := h.score
		if i > 0 {
			// A name after another place is a place.
			sc = max(sc, placeScoreAfterPlace)
		}
		score = max(score, sc)
		if h.place != nil && (known == nil || h.place.level >= known.level) {
			known, knownAt = h.place, i
		}
	}
	// Something more precise than the known place follows it in the
	// chain: a village after its county.
	finer := false
	for _, h := range chain[knownAt+1:] {
		finer = finer || h.place == nil
	}
	l := s.t.langAt(start)
	var broader []string
	var expl string
	if known != nil {
		// The ladder: the known place itself if something more precise
		// follows it, then each level up to the province. A level the
		// chain itself names is written as she wrote it.
		p := known
		if !finer {
			p = known.parent
		}
		for ; p != nil; p = p.parent {
			name := p.display(l)
			for _, h := range chain {
				if h.place == p {
					name = n[h.s:h.e]
				}
			}
			broader = append(broader, name)
		}
		expl = fmt.Sprintf("place: %d name(s), the most precise one the gazetteer knows is at %s level", len(chain), levelName(known.level))
		if len(chain) == 1 && known.level == levelProvince {
			// A province alone is what the intake form itself asks:
			// listed, kept by default.
			score = placeScoreProvince
			expl = "a province: the level the intake form asks for, kept by default"
		}
	} else {
		suffix := chain[len(chain)-1].suffix
		expl = fmt.Sprintf("place: a name with the suffix %q; the gazetteer does not know it, so there is nothing to generalise to", suffix)
		if len(chain) > 1 {
			expl = fmt.Sprintf("place: %d names in a row, ending in the suffix %q, none the gazetteer knows", len(chain), suffix)
		}
	}
	s.add(cand{Candidate: Candidate{Type: TypePlace, Start: start, End: end, Score: score, Explanation: expl, Broader: broader}})
}

func levelName(l level) string {
	switch l {
	case levelProvince:
		return "province"
	case levelCounty:
		return "county or city"
	}
	return "district or town"
}
