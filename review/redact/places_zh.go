package redact

import (
	"strings"
	"unicode/utf8"
)

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
					out = append(out, placeHit{s: tk.s + i, e: tk.s + e + v, suffix: run[e : e+v], score: placeScoreZhVillage})
					covered = e + v
					continue
				}
				e += zhSuffixAt(run[e:])
				out = append(out, placeHit{s: tk.s + i, e: tk.s + e, place: g.lookup(run[i : i+k]), score: placeScoreKnown})
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
				h := placeHit{s: tk.s + hs, e: tk.s + end, suffix: sf, score: placeScoreZhSuffix}
				if hs == covered && covered > 0 {
					h.score = placeScoreAfterPlace
				}
				if w := findWord(s.t.before(h.s, 4), []string{"在", "到", "住在", "来自", "老家", "卖到", "嫁到", "送到", "回到", "逃到", "叫"}); w != "" {
					h.score += placeBoostZhVerb
				}
				out = append(out, h)
				covered = end
				break
			}
		}
	}
	return out
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
