// Package hanzi folds Simplified and Traditional Chinese characters to one
// form, for the characters that matter in redaction: surnames, common
// given-name characters, place names and place suffixes (省 縣 區 鄉 鎮),
// and a few words around identifiers (電話, 號碼).
//
// # Caveats
//
// golang.org/x/text has no Simplified↔Traditional conversion, and a full
// table (OpenCC's has about 4 000 characters plus phrases) is more than
// redaction needs. This table is small on purpose: a name or place written
// in Traditional characters outside it is not folded, so the residual check
// may miss that spelling. Add pairs to [pairs] as they come up; the tests
// check the table stays consistent.
//
// Where one Simplified character stands for several Traditional ones (发 for
// 發 and 髮, 里 for 裏 and 裡), all of them fold to it. A surname that is the
// same in both scripts (沈, 范, 于, 余) keeps its own form as a Traditional
// spelling too, so 沈 matches 沈 and 瀋.
package hanzi

import (
	"strings"

	"testimony/internal/fold"
)

// pairs lists each Simplified character followed by its Traditional forms.
// Characters written the same in both scripts are not listed.
var pairs = []string{
	// Surnames.
	"刘劉", "张張", "陈陳", "杨楊", "黄黃", "赵趙", "吴吳", "孙孫", "郑鄭", "冯馮",
	"邓鄧", "许許", "韩韓", "罗羅", "叶葉", "钟鍾鐘", "卢盧", "蒋蔣", "贾賈", "阎閻",
	"谭譚", "邹鄒", "陆陸", "顾顧", "龙龍", "万萬", "钱錢", "汤湯", "乔喬", "贺賀",
	"赖賴", "龚龔", "马馬", "吕呂", "苏蘇", "严嚴", "车車", "闵閔", "庞龐", "鲁魯",
	"齐齊", "华華", "纪紀", "欧歐", "阳陽", "诸諸", "长長", "东東", "迟遲", "宫宮",
	"鲜鮮", "闻聞", "萧蕭", "卫衛", "蓝藍", "关關", "毕畢", "邝鄺", "饶饒", "项項",
	"邬鄔", "练練", "单單", "劳勞", "温溫", "韦韋", "聂聶", "骆駱", "缪繆", "简簡",
	"钮鈕", "贝貝", "郦酈", "沈瀋", "尧堯", "柳栁",
	// Given-name characters.
	"顺順", "爱愛", "丽麗", "国國", "军軍", "伟偉", "红紅", "凤鳳", "云雲", "刚剛",
	"强強", "风風", "贞貞", "庆慶", "凯凱", "丰豐", "宁寧", "杰傑", "宝寶", "荣榮",
	"义義", "仪儀", "莲蓮", "艳艷豔", "静靜", "锦錦", "银銀", "铁鐵", "钢鋼", "镇鎮",
	"辉輝", "涛濤", "鹏鵬", "飞飛", "学學", "达達", "进進", "胜勝", "发發髮", "财財",
	"贵貴", "书書", "兴興", "乐樂", "欢歡", "泽澤", "洁潔", "纯純", "绍紹", "继繼",
	"维維", "缘緣", "岚嵐", "历歷曆", "丛叢", "龄齡", "铭銘", "钰鈺", "颖穎", "晓曉",
	"娇嬌", "婵嬋", "梦夢", "娅婭", "怀懷", "颜顏", "宽寬", "伦倫", "亿億", "岭嶺",
	"琼瓊", "莹瑩", "韵韻", "贤賢", "铜銅", "圣聖", "忆憶", "庄莊", "献獻", "宪憲",
	"鸣鳴", "鹤鶴", "莺鶯", "纬緯", "绪緒", "绮綺", "绿綠", "樱櫻", "枫楓", "权權",
	"满滿", "禄祿", "寿壽", "渊淵", "涌湧", "润潤", "汉漢", "滨濱", "诚誠", "礼禮",
	"让讓", "谦謙", "诗詩", "语語", "侠俠", "灵靈",
	"晖暉", "炜煒", "烨燁", "俭儉", "顶頂", "须須", "亲親", "兰蘭",
	// Places and place suffixes.
	"县縣", "区區", "乡鄉", "辽遼", "边邊", "图圖", "们們", "珲琿", "临臨", "尔爾",
	"鸡雞", "双雙", "鸭鴨", "绥綏", "棱稜", "岛島", "烟煙", "台臺", "济濟", "潍濰",
	"广廣", "会會", "稳穩", "镜鏡", "两兩", "开開", "坛壇", "湾灣", "门門", "闽閩",
	"赣贛", "粤粵", "陕陝", "抚撫", "营營", "盘盤", "芦蘆", "桦樺", "树樹", "农農",
	"场場", "里裏裡", "队隊", "组組", "厂廠", "矿礦", "号號", "楼樓", "户戶", "岗崗",
	"沟溝", "滩灘", "洼窪", "坝壩", "连連", "庙廟", "桥橋", "铺鋪", "宾賓",
	"馆館", "厅廳", "团團", "党黨", "监監", "狱獄", "动動", "检檢", "医醫", "饭飯",
	"电電", "话話", "码碼", "证證", "护護", "邮郵", "网網", "机機", "线線",
	"际際", "经經", "库庫", "仓倉", "园園", "乌烏", "沪滬", "凉涼", "绵綿",
}

var (
	simple = map[rune]rune{}   // Traditional → Simplified
	trad   = map[rune][]rune{} // Simplified → Traditional forms
)

func init() {
	for _, p := range pairs {
		rs := []rune(p)
		s := rs[0]
		for _, t := range rs[1:] {
			if t == s {
				continue
			}
			simple[t] = s
			if !containsRune(trad[s], t) {
				trad[s] = append(trad[s], t)
			}
		}
	}
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// Simplify returns the Simplified form of r if the table has it, else r.
func Simplify(r rune) rune {
	if s, ok := simple[r]; ok {
		return s
	}
	return r
}

// Alternatives returns r and every other character the table folds
// together with it, r first: 刘 → 刘 劉; 劉 → 劉 刘; 发 → 发 發 髮.
func Alternatives(r rune) []rune {
	s := Simplify(r)
	out := []rune{r}
	if s != r {
		out = append(out, s)
	}
	for _, t := range trad[s] {
		if t != r {
			out = append(out, t)
		}
	}
	return out
}

// Variants returns the spellings of s in any mix of Simplified and
// Traditional characters the table knows, s first, at most limit of them
// (at most 4096); complete is false when the list was cut.
func Variants(s string, limit int) (out []string, complete bool) {
	return fold.Expand(s, limit, Alternatives)
}

// String returns s with every character the table knows in its Simplified
// form.
func String(s string) string {
	return strings.Map(Simplify, s)
}
