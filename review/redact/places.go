package redact

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
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

// placeWords near a name make it a place: 고향, 살았다, 출신.
var placeWords = []string{"고향", "살았", "살던", "출신", "태어", "마을", "동네", "주소", "老家", "住在", "来自", "出生", "家乡", "村里", "born", "lived", "village", "hometown", "from"}

// zhPlaceSuffixes are Chinese administrative suffixes. 道 is left out:
// it is also "road" and "to say"; the gazetteer knows the NK provinces.
var zhPlaceSuffixes = sortedByLength([]string{"大桥", "口岸", "省", "市", "州", "县", "区", "旗", "乡", "镇", "村", "屯", "街道", "郡", "庄", "自治州", "自治县", "区域"})

// zhStop are characters that never belong to a place name and mark where
// the name before a suffix begins.
var zhStop = runeSet(`在到从去来往的了是我他她们与跟被把给叫住回个这那有离向过进出经搬逃卖嫁于自说也都就还又才附近边
	省市县区镇乡村郡屯街道、，。；：！？“”‘’（）《》个些每整全本外邻隔壁该某`)

// zhHeadsCommon are heads that make an ordinary word with the suffix.
var zhHeadsCommon = setOf(`农 城 超 门 都 夜 上 家 老 故 同 他 异 重 地 社 小 山 郊 灾 景 校 分 禁 市 下 城乡 中国 朝鲜 北朝鲜 韩国 东北 南方 北方
	西部 东部 当地 一些 所有 很多 民族 自治 行政 直辖 地级 县级 省级 新农 城中 开发 工业 经济 高新 保税 特 一个 这个 那个
	农村 山区 城里 乡下 家乡 老家 朝鲜族 汉族 隔壁 邻近 附近 同一 少数 偏远 贫困 落后 沿海 内地 边境 边远`)

// zhPlaceWords are ordinary words that end in a place suffix: 家乡
// "hometown", 农村 "countryside", 超市 "supermarket".
var zhPlaceWords = setOf(`家乡 故乡 老乡 他乡 异乡 同乡 城乡 下乡 农村 乡村 山村 渔村 城市 超市 都市 夜市 门市 城镇 乡镇 重镇 地区
	社区 小区 山区 郊区 市区 灾区 景区 校区 禁区 本省 外省 全省 各省 全市 本市 各县 全县 本村 全村 邻村 外村 同村 各村 新村 开发区 特区
	工业区 市区 城区 军区 牧区 林区 矿区 园区 街区 辖区 片区 政区`)

// zhAfterCommon are suffix + next character pairs that are words, not
// places: 市场 "market", 区别 "difference", 省钱 "save money".
var zhAfterCommon = setOf(`村口 村里 村子 村民 村头 村外 村委 村干部 镇上 镇里 屯子 市场 市民 区别 省钱 省得 省心 省事 省略 旗帜 旗子 旗袍 镇定 镇静 镇压 乡亲 州长 县长 市长 省长 区长 村长 乡长 镇长 庄稼 庄严 区分`)

// enPlaceWords are English words after a place name.
var enPlaceWords = setOf(`village town township county city district prefecture province`)

// romPlaceSuffixes are romanised Korean and Chinese suffixes written with
// a hyphen: Yusong-dong, Songhak-ri, Hoeryong-si.
var romPlaceSuffixes = []string{"rodongjagu", "nodongjagu", "guyok", "kuyok", "guyeok", "dong", "ri", "gun", "si", "up", "eup", "do", "ni", "cun", "zhen", "xiang", "xian", "shi", "qu"}

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
			hits = append(hits, placeHit{s: m[0], e: m[1], suffix: "인민반", score: 0.9})
		}
	}
	if strings.Contains(n, "号") {
		for _, m := range zhAddressRe.FindAllStringIndex(n, -1) {
			hits = append(hits, placeHit{s: m[0], e: m[1], suffix: "号", score: 0.85})
		}
	}
	for _, m := range koAddressRe.FindAllStringIndex(n, -1) {
		if m[1] < len(n) && isDigit(n[m[1]]) {
			continue
		}
		hits = append(hits, placeHit{s: m[0], e: m[1], suffix: "로", score: 0.6})
	}
	s.chains(hits)
}

// particlesByLast indexes koParticles by their last rune, longest first,
// so splitting a word tries only the particles it can end in.
var particlesByLast, particleSet = func() (map[rune][]string, map[string]bool) {
	by := map[rune][]string{}
	set := map[string]bool{}
	for _, p := range koParticles {
		r, _ := utf8.DecodeLastRuneInString(p)
		by[r] = append(by[r], p)
		set[p] = true
	}
	return by, set
}()

// stems returns the ways a Hangul token splits into a stem and a particle
// (or nothing), longest stem first.
func stems(tok string) []string {
	out := []string{tok}
	last, _ := utf8.DecodeLastRuneInString(tok)
	for _, p := range particlesByLast[last] {
		if strings.HasSuffix(tok, p) && len(tok) > len(p) {
			out = append(out, tok[:len(tok)-len(p)])
		}
	}
	return out
}

// particleOrEmpty reports whether rest is nothing or one particle.
func particleOrEmpty(rest string) bool {
	return rest == "" || particleSet[rest]
}

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
			parts = append(parts, placeHit{s: tk.s + pos, e: tk.s + pos + k, place: g.lookup(word[pos : pos+k]), score: 0.9})
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
				h.score = 0.85
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
			h := placeHit{s: at, e: at + len(stem), suffix: sf.suffix, score: 0.55}
			rest := word[len(stem):]
			if slices.Contains(koLocative, rest) {
				h.score += 0.15
			}
			if w, _ := s.context(h.s, h.e, placeWords); w != "" {
				h.score += 0.1
			}
			return h, true
		}
	}
	return placeHit{}, false
}

func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, k := utf8.DecodeLastRuneInString(s[:i])
		i -= k
	}
	return s[i:]
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

// zhPlaces finds places in Han runs.
func (s *scan) zhPlaces() []placeHit {
	g := theGazetteer()
	n := s.t.Norm
	var out []placeHit
	for _, tk := range s.tokens() {
		if tk.script != scriptHan {
			continue
		}
		run := tk.text(n)
		// Byte offsets of each rune in run.
		var offs []int
		for i := range run {
			offs = append(offs, i)
		}
		offs = append(offs, len(run))
		covered := 0 // bytes of run already in a hit
		for ri := 0; ri < len(offs)-1; ri++ {
			i := offs[ri]
			if i < covered {
				continue
			}
			if k := g.longestPrefix(run[i:]); k > 0 {
				e := i + k
				if v := zhVillageSuffixAt(run[e:]); v > 0 {
					// 河南村, 兴南村: a village named after a bigger
					// place, not that place.
					out = append(out, placeHit{s: tk.s + i, e: tk.s + e + v, suffix: run[e : e+v], score: 0.8})
					covered = e + v
					continue
				}
				e += zhSuffixAt(run[e:])
				out = append(out, placeHit{s: tk.s + i, e: tk.s + e, place: g.lookup(run[i : i+k]), score: 0.9})
				covered = e
				continue
			}
			for _, sf := range zhPlaceSuffixes {
				if !strings.HasPrefix(run[i:], sf) {
					continue
				}
				end := i + len(sf)
				if next, _ := utf8.DecodeRuneInString(run[end:]); end < len(run) && zhAfterCommon[sf+string(next)] && !strings.ContainsAny(firstRunes(run[end:], 4), "乡镇村屯") {
					// 市场, 市长: not a place, unless more of an
					// address follows (松南市长堡乡).
					break
				}
				// 安州市: a suffix right after a suffix belongs to it.
				for _, more := range []string{"市", "县", "区", "郡"} {
					if strings.HasPrefix(run[end:], more) {
						end += len(more)
						break
					}
				}
				// Walk back over the name: at most three characters,
				// stopping at a function character or the end of the
				// previous place.
				hs, count := i, 0
				for hs > covered && count < 3 {
					r, k := utf8.DecodeLastRuneInString(run[:hs])
					if zhStop[r] {
						break
					}
					hs -= k
					count++
				}
				head := run[hs:i]
				chained := hs == covered && covered > 0
				if count < 2 || zhHeadsCommon[head] || !chained && zhPlaceWords[lastRunes(head, 1)+sf] {
					break
				}
				if zhHeadsCommon[firstRunes(head, 2)] && count == 3 {
					// 中国村, 朝鲜村: drop the generic start.
					hs += len(firstRunes(head, 2))
					if utf8.RuneCountInString(run[hs:i]) < 1 {
						break
					}
				}
				h := placeHit{s: tk.s + hs, e: tk.s + end, suffix: sf, score: 0.6}
				if hs == covered && covered > 0 {
					h.score = 0.85
				}
				if w := findWord(s.t.before(h.s, 4), []string{"在", "到", "住在", "来自", "老家", "卖到", "嫁到", "送到", "回到", "逃到", "叫"}); w != "" {
					h.score += 0.1
				}
				out = append(out, h)
				covered = end
				break
			}
		}
	}
	return out
}

func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, k := utf8.DecodeRuneInString(s[i:])
		i += k
	}
	return s[:i]
}

// zhSuffixAt returns the length of an administrative suffix at the start
// of s, after a gazetteer name: 延吉 + 市.
func zhSuffixAt(s string) int {
	for _, sf := range []string{"朝鲜族自治州", "朝鲜族自治县", "自治州", "自治县", "区域", "省", "市", "县", "区", "州", "郡", "道"} {
		if strings.HasPrefix(s, sf) {
			if next, _ := utf8.DecodeRuneInString(s[len(sf):]); zhAfterCommon[sf+string(next)] {
				return 0
			}
			return len(sf)
		}
	}
	return 0
}

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
			out = append(out, placeHit{s: tk.s, e: e, place: best, score: 0.9})
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
				h := placeHit{s: tk.s, e: tk.e, suffix: suffix, score: 0.8}
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
				out = append(out, placeHit{s: tk.s, e: toks[j+1].e, suffix: strings.ToLower(toks[j+1].text(n)), score: 0.75})
				i = j + 1
			}
		}
	}
	return out
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }

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
			sc = max(sc, 0.85)
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
			score = 0.3
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

// tokens returns the text's tokens, computed once.
func (s *scan) tokens() []token {
	if s.toks == nil {
		s.toks = tokenize(s.t.Norm)
	}
	return s.toks
}

// propagatePlaces finds later mentions of places found once: 천신군 …
// 천신에서, 光明村 … 光明村. A Hangul or Latin name is also looked for
// without its suffix, at the start of a word and followed by nothing but
// a particle; a Chinese one only whole, since without its suffix it is
// often a word (光明 "bright").
func (s *scan) propagatePlaces() {
	th := s.o.threshold()
	n := s.t.Norm
	// Scores of the chain candidates each part ended up in. The place
	// candidates found so far, by start, so each part looks only at
	// those that can hold it rather than at every candidate.
	type placedCand struct {
		c   cand
		idx int // in s.cands: the first that holds a part gives its generalisations
	}
	var placed []placedCand
	longest := 0
	for i, c := range s.cands {
		if c.Type == TypePlace {
			placed = append(placed, placedCand{c, i})
			longest = max(longest, c.End-c.Start)
		}
	}
	slices.SortStableFunc(placed, func(a, b placedCand) int { return a.c.Start - b.c.Start })
	holding := func(h placeHit, fn func(p placedCand)) {
		k, _ := slices.BinarySearchFunc(placed, h.s+1, func(p placedCand, at int) int { return p.c.Start - at })
		for k--; k >= 0 && placed[k].c.Start >= h.s-longest; k-- {
			if p := placed[k]; p.c.Start <= h.s && h.e <= p.c.End {
				fn(p)
			}
		}
	}
	chainScore := func(h placeHit) float64 {
		best := 0.0
		holding(h, func(p placedCand) { best = max(best, p.c.Score) })
		return best
	}
	broaderOf := func(h placeHit) []string {
		var out []string
		first := -1
		holding(h, func(p placedCand) {
			if first < 0 || p.idx < first {
				first, out = p.idx, p.c.Broader
			}
		})
		return out
	}
	seen := map[string]bool{}
	kv := s.keyed()
	for _, h := range s.placeParts {
		score := chainScore(h)
		if score < th || h.place != nil && h.place.level == levelProvince {
			continue
		}
		broader := broaderOf(h)
		name := n[h.s:h.e]
		first, _ := utf8.DecodeRuneInString(name)
		names := []string{name}
		if sc := scriptOf(first); sc == scriptHangul || sc == scriptLatin {
			for _, sf := range residualSuffixes {
				if stem, ok := strings.CutSuffix(name, sf); ok && utf8.RuneCountInString(stem) >= 2 {
					names = append(names, stem)
					break
				}
			}
		}
		for _, nm := range names {
			k := matchKey(nm)
			if seen[k] {
				continue
			}
			seen[k] = true
			kv.each(k, func(ns, ne int) bool {
				if !bounded(n, ns, ne) || !s.wordStart(ns) {
					return true
				}
				if scriptOf(first) == scriptHangul {
					// The rest of the word is a particle or a suffix.
					end := ne
					for end < len(n) {
						r, k := utf8.DecodeRuneInString(n[end:])
						if !isHangul(r) {
							break
						}
						end += k
					}
					rest := n[ne:end]
					if !particleOrEmpty(rest) && !slices.Contains(residualSuffixes, rest) {
						return true
					}
				}
				if scriptOf(first) == scriptLatin && !isUpper(n[ns]) {
					return true
				}
				s.add(cand{Candidate: Candidate{Type: TypePlace, Start: ns, End: ne, Score: min(score, 0.8), Broader: broader,
					Explanation: "another mention of a place found elsewhere in this statement"}})
				return true
			})
		}
	}
}

// zhVillageSuffixAt returns the length of a village or town suffix at the
// start of s: 村, 屯, 镇, 乡, 庄, 街道.
func zhVillageSuffixAt(s string) int {
	for _, sf := range []string{"街道", "村", "屯", "镇", "乡", "庄"} {
		if strings.HasPrefix(s, sf) {
			if next, _ := utf8.DecodeRuneInString(s[len(sf):]); zhAfterCommon[sf+string(next)] {
				return 0
			}
			return len(sf)
		}
	}
	return 0
}
