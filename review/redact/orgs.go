package redact

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Named workplaces, churches, schools and hospitals point at a person as
// surely as a village: in North Korea a workplace is assigned for life,
// and in China the church that hid her is known to the police. They are
// found by their suffix and replaced by what kind of place they are
// ([교회], [工厂], [mine]).

// koOrgSuffixes are Korean organisation suffixes, longest first.
var koOrgSuffixes = sortedByLength(strings.Fields(`교회 성당 기업소 연합기업소 탄광 광산 농장 협동농장 공장 학교 중학교 고등중학교 인민학교
	소학교 대학 대학교 병원 회사 식당 상점 제강소 제련소 발전소 무역회사 직장 작업반 분조 선교회 수용소 교화소 관리소 집결소 단련대
	구류소 구류장 노래방 안마방 다방 미용실 민박`))

// koOrgHeads are words before an org suffix that do not name one.
var koOrgHeads = setOf(`우리 그 이 저 한 큰 작은 어느 다른 같은 옆 근처 동네 마을 시골 지하 개인 국영 국가 인민 중국 한국 조선 북한
	남한 외국 어떤 여러 모든 새 옛 지방 도시 시내 읍내 군 도 시 동 리 중국인 조선족 한족 가정 작은집 큰집 봉제 식품 신발 옷 의류
	가발 수산 나무 벽돌 건설 종합 노동 로동 정치범 정치범수용 농촌`)

// zhOrgSuffixes are Chinese organisation suffixes, longest first.
var zhOrgSuffixes = sortedByLength(strings.Fields(`教会 教堂 公司 有限公司 工厂 厂 煤矿 矿 农场 学校 中学 小学 大学 医院 饭店 餐厅 酒店 宾馆 歌厅 网吧 工地 服装厂 集团
	收容所 看守所 拘留所 监狱 劳教所 边防站 饺子馆 面馆 水产 食品厂 夜总会 歌舞厅 洗浴中心 浴池 按摩院 按摩店 足疗店 美容院 发廊 会所 酒吧 饭馆 餐馆 超市 商店 旅馆 招待所 火锅店 烧烤店 服装店 养殖场`))

// latinOrgWords after a Han or Hangul name make it a business: 金色年华KTV,
// 은하 KTV. Lower case.
var latinOrgWords = setOf(`ktv kfc bar club pc hotel motel spa`)

// enOrgWords are English organisation words after a capitalised name.
var enOrgWords = setOf(`church company mine farm factory school hospital restaurant hotel co. ltd corporation enterprise complex`)

var orgKinds = map[string][3]string{ // by lang: en, ko, zh
	"church": {"[church]", "[교회]", "[教会]"}, "work": {"[workplace]", "[직장]", "[单位]"},
	"school": {"[school]", "[학교]", "[学校]"}, "hospital": {"[hospital]", "[병원]", "[医院]"},
	"detention": {"[detention centre]", "[구금시설]", "[拘留所]"},
}

func orgKind(suffix string) string {
	switch suffix {
	case "교회", "성당", "선교회", "教会", "教堂", "church":
		return "church"
	case "학교", "중학교", "고등중학교", "인민학교", "소학교", "대학", "대학교", "学校", "中学", "小学", "大学", "school":
		return "school"
	case "병원", "医院", "hospital":
		return "hospital"
	case "수용소", "교화소", "관리소", "집결소", "단련대":
		return "detention"
	}
	return "work"
}

func (s *scan) orgs() {
	n := s.t.Norm
	toks := s.tokens()
	emit := func(a, b int, suffix string, score float64) {
		k := orgKinds[orgKind(suffix)]
		l := s.t.langAt(a)
		s.add(cand{Candidate: Candidate{Type: TypeOrg, Start: a, End: b, Score: score, Broader: []string{k[l]},
			Explanation: fmt.Sprintf("a named %s (suffix %q)", orgKind(suffix), suffix)}})
	}
	g := theGazetteer()
	for i, tk := range toks {
		switch tk.script {
		case scriptHangul:
			word := tk.text(n)
			done := false
			for _, st := range stems(word) {
				for _, sf := range koOrgSuffixes {
					if !strings.HasSuffix(st, sf) {
						continue
					}
					head := st[:len(st)-len(sf)]
					if utf8.RuneCountInString(head) < 2 || koOrgHeads[head] || koCommon[head] {
						continue
					}
					score := 0.5
					if g.lookup(head) != nil {
						score = 0.85 // 무산광산, 회령교화소
					}
					emit(tk.s, tk.s+len(st), sf, score)
					done = true
					break
				}
				if done {
					break
				}
			}
		case scriptHan:
			if i+1 < len(toks) && toks[i+1].script == scriptLatin && gapOnly(n, tk.e, toks[i+1].s, "") && latinOrgWords[strings.ToLower(toks[i+1].text(n))] {
				// A business named in Han or Hangul before KTV: the
				// whole run, up to four characters, is its name.
				run := tk.text(n)
				hs := len(run)
				for c := 0; hs > 0 && c < 4; c++ {
					r, k := utf8.DecodeLastRuneInString(run[:hs])
					if zhStop[r] {
						break
					}
					hs -= k
				}
				if hs < len(run) {
					emit(tk.s+hs, toks[i+1].e, "ktv", 0.8)
				}
			}
			run := tk.text(n)
			for _, sf := range zhOrgSuffixes {
				for off := 0; ; {
					j := strings.Index(run[off:], sf)
					if j < 0 {
						break
					}
					j += off
					off = j + len(sf)
					hs, count := j, 0
					for hs > 0 && count < 6 {
						r, k := utf8.DecodeLastRuneInString(run[:hs])
						if zhStop[r] {
							break
						}
						hs -= k
						count++
					}
					if count < 2 || zhHeadsCommon[run[hs:j]] {
						continue
					}
					emit(tk.s+hs, tk.s+j+len(sf), sf, 0.5)
				}
			}
		case scriptLatin:
			if i+1 < len(toks) && isUpper(n[tk.s]) && !enStop[strings.ToLower(tk.text(n))] && gapOnly(n, tk.e, toks[i+1].s, "") {
				w := strings.ToLower(toks[i+1].text(n))
				if enOrgWords[w] && isUpper(n[toks[i+1].s]) {
					emit(tk.s, toks[i+1].e, w, 0.7)
				}
			}
		}
	}
}
