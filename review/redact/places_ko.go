package redact

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// koPlaceSuffixes are Korean administrative suffixes, with the fewest
// syllables the name before them must have, and the words ending in them
// that are not places (checked on the last two syllables).
var koPlaceSuffixes = []struct {
	suffix  string
	minHead int
	common  map[string]bool
}{
	{"로동자구", 1, nil},
	{"노동자구", 1, nil},
	{"자치주", 1, nil},
	{"구역", 1, setOf(`관리구역 통제구역 보호구역 경비구역 금지구역 위험구역 출입구역 특별구역 군사구역 국경구역 경계구역 작업구역 담당구역 관할구역`)},
	{"마을", 2, setOf(`우리마을 이웃마을 작은마을 시골마을 산골마을 어느마을 다른마을 같은마을 고향마을 건너마을 외딴마을 조선족마을 한족마을 농촌마을 바닷가마을 강가마을 산속마을 국경마을 두메마을 아랫마을 윗마을`)},
	{"읍", 1, nil},
	// A named market: 수남시장, 채하시장. The generic ones are in the
	// Korean word list (도매시장, 암시장).
	{"시장", 1, setOf(`장마당시장 농민시장 노천시장 재래시장 수산시장 도매시장 중앙시장 지방시장 국제시장 세계시장 국내시장 해외시장 외국시장`)},
	{"군", 2, setOf(`인민군 국군 해군 공군 아군 적군 장군 미군 반군 대군 행군 원군 육군 의군 홍군 여군 남군 북군 관군 비군 경군 본군 청군 중군 병군 민군`)},
	{"시", 2, setOf(`당시 동시 역시 다시 감시 무시 즉시 잠시 일시 항시 수시 임시 표시 지시 전시 제시 개시 중시 경시 적시 도시 교시 정시 상시 평시 혹시 멸시 응시 실시 공시 명시 암시 묵시 필시 근시 원시 순시 생시 하시 보시 마시 가시 드시 오시 주시 계시 모시 고시 부시 이시 으시 리시 르시 기시 되시 나시 치시 아시 시시 셨시 무시`)},
	{"동", 2, setOf(`노동 로동 활동 운동 행동 이동 강제노동 강제로동 중노동 육체노동 집단행동 경제활동 사회활동 종교활동 신앙활동 선교활동 장사활동 공동 협동 아동 자동 감동 소동 폭동 난동 충동 변동 출동 반동 가동 작동 발동 연동 율동 진동 파동`)},
	{"리", 2, setOf(`자리 따리 고리 아리 나리 토리 무리 우리 거리 소리 머리 다리 허리 꼬리 오리 유리 관리 처리 요리 진리 원리 논리 심리 물리 총리 경리 수리 대리 의리 조리 승리 권리 편리 지리 도리 이리 저리 그리 멀리 빨리 몰리 달리 미리 모리 마리 부리 뿌리 쿠리 사리 가리 까리 두리 서리 구리 누리 추리 주리 투리 버리 려리 러리 드리 르리 울리 들리 올리 걸리 널리 갈리 실리 떨리 팔리 밀리 풀리 불리 살리 알리 열리 말리`)},
	{"촌", 2, setOf(`농촌 어촌 산촌 사촌 삼촌 외촌 귀촌 부촌 빈촌 속촌 수촌 구촌 족촌`)},
	{"향", 2, setOf(`고향 방향 영향 성향 취향 의향 지향 동향 경향 내향 외향 음향 타향 귀향 실향 망향 분향 향향`)},
	{"현", 2, setOf(`표현 실현 출현 구현 재현 발현 체현 시현`)},
	// Chinese towns in Hangul, as the Korean Chinese write them:
	// 개산툰진 (开山屯镇), 삼합진 (三合镇), 숭선진; 툰 is 屯 as it is said.
	{"진", 2, setOf(`사진 지진 전진 행진 승진 추진 매진 선진 후진 탈진 자진 급진 출진 돌진 직진 정진 발진 진진 분진 점진 기진 혼진 초진 재진 검진 진찰 문진 청진 왕진 촉진 기진맥진 의사진 제작진 경영진 의료진 연구진 임원진 수뇌진`)},
	{"툰", 2, setOf(`카툰 웹툰`)},
}

// koNumerals are native Korean numbers, which with 시 tell the hour:
// 다섯시, 열두시.
var koNumerals = setOf(`한 두 세 네 다섯 여섯 일곱 여덟 아홉 열 열한 열두 새벽 오후 오전 밤 아침 저녁 몇`)

// commonTails are frequent words that end longer words in a place
// suffix: 강제노동, 종교활동, 군인들의 일자리. A place name ending in them is
// rare enough to leave to the editor.
var commonTails = setOf(`노동 로동 활동 운동 행동 이동 자리 거리 소리 머리 우리 관리 처리 요리 당시 동시 역시 다시 감시 무시 즉시 잠시 임시 표시 지시 도시 혹시 실시 인민군 국군 장군 고향 방향 영향 표현 실현 농촌 어촌 삼촌 사촌`)

// koPlaceHeads are words that come before a suffix without naming a
// place: 우리 마을 is not a village name.
var koPlaceHeads = setOf(`우리 이웃 작은 시골 산골 어느 다른 같은 고향 건너 외딴 조선족 한족 농촌 바닷가 강가 산속 국경 두메 그 이 저 한 큰 새 옆 윗 아랫 동네 여러 모든 각 매 이번 저번 지난 다음 해당`)

// koLocative are particles that follow a place.
var koLocative = []string{"에서", "에", "으로", "로", "까지", "부터", "의", "에서의", "에서는", "에는", "쪽"}

// koPlaces finds places in Hangul tokens.
func (s *scan) koPlaces() []placeHit {
	g := theGazetteer()
	n := s.t.Norm
	var out []placeHit
	for _, tk := range s.tokens() {
		if tk.script != scriptHangul {
			continue
		}
		word := tk.text(n)
		// Gazetteer names from the start, as many as follow each other
		// (량강도혜산시에서), then a particle or nothing.
		var parts []placeHit
		pos := 0
		for pos < len(word) {
			k := g.longestPrefix(word[pos:])
			if k == 0 {
				break
			}
			parts = append(parts, placeHit{s: tk.s + pos, e: tk.s + pos + k, place: g.lookup(word[pos : pos+k]), score: placeScoreKnown})
			pos += k
		}
		if len(parts) > 0 {
			rest := word[pos:]
			if particleOrEmpty(rest) {
				out = append(out, parts...)
				continue
			}
			// A known place followed by an unknown one by suffix:
			// 회령시유선동.
			if h, ok := s.koSuffixPlace(rest, tk.s+pos); ok {
				h.score = placeScoreAfterPlace
				out = append(out, parts...)
				out = append(out, h)
				continue
			}
			// Otherwise a longer word that starts like a place
			// (무산광산, 회령사람): not a place here.
		}
		if h, ok := s.koSuffixPlace(word, tk.s); ok {
			out = append(out, h)
		}
	}
	return out
}

// koSuffixPlace reads a Hangul word (with any particle) starting at byte
// at as a place named by its suffix.
func (s *scan) koSuffixPlace(word string, at int) (placeHit, bool) {
	for _, stem := range stems(word) {
		for _, sf := range koPlaceSuffixes {
			if !strings.HasSuffix(stem, sf.suffix) {
				continue
			}
			head := stem[:len(stem)-len(sf.suffix)]
			nh := utf8.RuneCountInString(head)
			if nh < sf.minHead || nh > 5 || koPlaceHeads[head] {
				continue
			}
			// The common words are listed by their last two
			// syllables: 말씀드리면 ends in 드리, a verb, not a 리.
			if sf.common[stem] || sf.common[lastRunes(stem, 2)] || commonTails[lastRunes(stem, 2)] {
				continue
			}
			if koCommon[stem] || koCommon[head] && nh <= 1 || koEveryday(stem) || sf.suffix == "시" && koNumerals[head] {
				// 며느리, 다섯시: everyday words and clock times.
				continue
			}
			h := placeHit{s: at, e: at + len(stem), suffix: sf.suffix, score: placeScoreKoSuffix}
			rest := word[len(stem):]
			if slices.Contains(koLocative, rest) {
				h.score += placeBoostLocative
			}
			if w, _ := s.context(h.s, h.e, placeWords); w != "" {
				h.score += placeBoostPlaceWord
			}
			return h, true
		}
	}
	return placeHit{}, false
}
