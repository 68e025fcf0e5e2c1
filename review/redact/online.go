package redact

import (
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Online identifiers: e-mail, web addresses, IP addresses and WeChat IDs.
// The patterns run on the lower-cased normalised text, so full-width
// "ｗｘｉｄ＿" and "Ｅｍａｉｌ＠ＱＱ．ＣＯＭ" are found as well. Each match is
// then checked with the standard library (net/mail, net/url, net/netip).

var (
	// emailRe also takes the "(at)" and "[at]" spellings people use to
	// keep addresses away from spam robots.
	emailRe = regexp.MustCompile(`[a-z0-9._%+\-]{1,64}\s?(?:@|\(at\)|\[at\])\s?[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63})*\.[a-z]{2,24}`)
	urlRe   = regexp.MustCompile(`(?:(?:https?|ftp)://|www\.)[^\s<>"'()（）「」『』，。、；！？]+`)
	// domainRe finds bare domains with a path, such as profile links
	// (facebook.com/some.name); a bare domain alone names a site, not a
	// person, and is listed as a low-score candidate.
	domainRe = regexp.MustCompile(`\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|net|org|cn|kr|kp|jp|ru|io|me|info|biz|onion|co|tv|cc|top|xyz|app|site|link)\b(?:/[^\s<>"'()（）「」，。、；！？]*)?`)
	ipv4Re   = regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
	ipv6Re   = regexp.MustCompile(`[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[0-9a-z]+)?`)
	wxidRe   = regexp.MustCompile(`wxid_[a-z0-9]{12,}`)
	// handleRe is a WeChat ID shape: a letter, then 5 to 19 letters,
	// digits, dashes or underscores.
	handleRe = regexp.MustCompile(`[a-z][-_a-z0-9]{5,19}`)
	// dottedHandleRe is a free-form account name with dots, as other
	// platforms and labels allow: minji.cn_0308, hye_jin.0522.
	dottedHandleRe = regexp.MustCompile(`[a-z][-_a-z0-9]*(?:\.[-_a-z0-9]+)+`)
)

var wechatWords = []string{"微信", "微信号", "weixin", "wechat", "we chat", "wx", "vx", "v信", "威信", "위챗", "웨이신", "微訊"}

// trimURL drops punctuation a sentence put after an address.
func trimURL(s string) string {
	return strings.TrimRight(s, ".,;:!?'\")]}>")
}

func (s *scan) online() {
	low := s.t.lower
	if at := emailTriggers(low); len(at) > 0 {
		for _, m := range findInWindows(emailRe, low, at, 80, 90) {
			addr := low[m[0]:m[1]]
			v := Unknown
			clean := strings.NewReplacer("(at)", "@", "[at]", "@", " ", "").Replace(addr)
			if _, err := mail.ParseAddress(clean); err == nil && strings.Count(clean, "@") == 1 {
				v = Valid
			}
			expl := "e-mail address"
			if strings.HasSuffix(clean, "@qq.com") {
				expl = "QQ e-mail address (the part before @ is usually the QQ number)"
			}
			if v == Valid {
				expl += ", well-formed"
			}
			s.add(cand{Candidate: Candidate{Type: TypeEmail, Start: m[0], End: m[1], Score: 0.95, Validation: v, Explanation: expl}})
		}
	}
	if strings.Contains(low, "://") || strings.Contains(low, "www.") {
		for _, m := range urlRe.FindAllStringIndex(low, -1) {
			u := trimURL(low[m[0]:m[1]])
			v := Unknown
			if p, err := url.Parse(u); err == nil && (p.Host != "" || strings.HasPrefix(u, "www.")) {
				v = Valid
			}
			s.add(cand{Candidate: Candidate{Type: TypeURL, Start: m[0], End: m[0] + len(u), Score: 0.9, Validation: v, Explanation: "web address"}})
		}
	}
	if dots := dotLetter(low); len(dots) > 0 {
		for _, m := range findInWindows(domainRe, low, dots, 80, 200) {
			// Not the domain of an e-mail address: that is found whole.
			if m[0] > 0 && low[m[0]-1] == '@' {
				continue
			}
			u := trimURL(low[m[0]:m[1]])
			score, expl := 0.35, "a domain name (names a site, not a person)"
			if strings.Contains(u, "/") && !strings.HasSuffix(u, "/") {
				score, expl = 0.8, "a web address with a path (profile and post links name a person)"
			}
			if strings.HasSuffix(u, ".onion") {
				score, expl = 0.8, "an onion address"
			}
			s.add(cand{Candidate: Candidate{Type: TypeURL, Start: m[0], End: m[0] + len(u), Score: score, Explanation: expl}})
		}
	}
	if ds := digitSepDigit(low); len(ds) > 0 {
		for _, m := range findInWindows(ipv4Re, low, ds, 16, 16) {
			// Guard: not part of a longer dotted run (a version number
			// or a date with more parts).
			if m[0] > 0 && (low[m[0]-1] == '.' || isDigit(low[m[0]-1])) || m[1] < len(low) && low[m[1]] == '.' && m[1]+1 < len(low) && isDigit(low[m[1]+1]) {
				continue
			}
			if a, err := netip.ParseAddr(low[m[0]:m[1]]); err == nil && a.Is4() {
				s.add(cand{Candidate: Candidate{Type: TypeIP, Start: m[0], End: m[1], Score: 0.9, Validation: Valid, Explanation: "IPv4 address"}})
			}
		}
	}
	if strings.Contains(low, "::") || strings.Count(low, ":") >= 4 {
		for _, m := range ipv6Re.FindAllStringIndex(low, -1) {
			a, err := netip.ParseAddr(low[m[0]:m[1]])
			if err != nil || !a.Is6() || strings.Count(low[m[0]:m[1]], ":") < 2 {
				continue
			}
			if m[0] > 0 && isASCIIAlnum(low[m[0]-1]) {
				continue
			}
			s.add(cand{Candidate: Candidate{Type: TypeIP, Start: m[0], End: m[1], Score: 0.9, Validation: Valid, Explanation: "IPv6 address"}})
		}
	}
	s.wechat()
	s.documents()
}

// docRe is the shape of PRC, ROK and DPRK passport and travel document
// numbers: one or two capital letters and seven or eight digits (G12345678,
// E12345678, M12345678), or the ROK form since 2021 (M123A4567).
var docRe = regexp.MustCompile(`\b(?:[A-Z]{1,2}\d{7,8}|[A-Z]\d{3}[A-Z]\d{4})\b`)

var docWords = []string{"여권", "护照", "護照", "passport", "통행증", "通行证", "여행증", "travel document", "证件"}

// lastDigitsRe is a card or account named by its last digits: "a card
// ending in 4471", "끝자리 4471", "尾号4471". The four digits narrow the
// account to one among few, as a bank or the police can look up.
var lastDigitsRe = regexp.MustCompile(`(?:ending in|ends in|ending with|last (?:four|4) digits(?: are| were)?|끝자리(?:가|는)?|끝번호(?:가|는)?|뒷자리(?:가|는)?|尾号(?:是)?|尾数(?:是)?|后四位(?:是)?)\s?:?\s?(\d{4})\b`)

// documents finds passport-shaped numbers; a passport word near makes them
// certain.
func (s *scan) documents() {
	n := s.t.Norm
	if strings.Contains(s.t.lower, "end") || strings.Contains(s.t.lower, "last") || strings.ContainsAny(n, "끝뒷尾后") {
		for _, m := range lastDigitsRe.FindAllStringSubmatchIndex(s.t.lower, -1) {
			s.add(cand{Candidate: Candidate{Type: TypeNumber, Start: m[2], End: m[3], Score: 0.7,
				Explanation: "the last four digits of a card or account"}})
		}
	}
	for _, m := range docRe.FindAllStringIndex(n, -1) {
		ctx, _ := s.context(m[0], m[1], docWords)
		score := 0.6
		if ctx != "" {
			score = 0.9
		}
		s.add(cand{Candidate: Candidate{Type: TypeNumber, Start: m[0], End: m[1], Score: score, Context: ctx,
			Explanation: "the shape of a passport or travel document number" + withContext(ctx)}})
	}
}

// wechat finds wxid_ IDs anywhere, and ID-shaped handles next to a
// WeChat word.
func (s *scan) wechat() {
	low := s.t.lower
	if strings.Contains(low, "wxid_") {
		for _, m := range wxidRe.FindAllStringIndex(low, -1) {
			s.add(cand{Candidate: Candidate{Type: TypeWeChat, Start: m[0], End: m[1], Score: 0.95, Validation: Valid, Explanation: "WeChat internal ID (wxid_)"}})
		}
	}
	for _, pw := range platformWords {
		w := pw.word
		for off := 0; ; {
			i := strings.Index(low[off:], w)
			if i < 0 {
				break
			}
			i += off
			off = i + len(w)
			if isASCIIWord(w) && (i > 0 && isASCIIAlnum(low[i-1]) || off < len(low) && isASCIIAlnum(low[off]) && w != "wx") {
				continue
			}
			if pw.typ == "" {
				pw.typ = s.accountType(i)
			}
			s.handleAfter(pw, off)
			s.handleBefore(pw, i)
		}
	}
}

// A platformWord is a word for a messaging platform, after or before
// which an account name is written: 微信, 위챗 아이디, KakaoTalk, QQ.
type platformWord struct {
	word string
	typ  Type
	// strict: the word is also an everyday one (라인 "line"), so only
	// an ID with a digit, dash or underscore counts.
	strict bool
	// account: a word for an account on no platform in particular
	// (아이디, ID): the ID must follow closely.
	account bool
}

var platformWords = func() []platformWord {
	var out []platformWord
	for _, w := range wechatWords {
		out = append(out, platformWord{word: w, typ: TypeWeChat})
	}
	for _, w := range []string{"카톡", "카카오톡", "카카오", "kakaotalk", "kakao", "katalk", "telegram", "텔레그램", "电报", "qq", "큐큐", "扣扣", "whatsapp", "왓츠앱", "instagram", "인스타", "facebook", "페이스북", "脸书", "抖音", "douyin", "tiktok", "틱톡", "skype", "스카이프"} {
		out = append(out, platformWord{word: w, typ: TypeHandle})
	}
	for _, w := range []string{"라인", "line"} {
		out = append(out, platformWord{word: w, typ: TypeHandle, strict: true})
	}
	// Account words without a platform: the platform is the one named
	// in the sentence before, if any (위챗으로만 연락했어요. 제 아이디는 …).
	for _, w := range []string{"아이디", "账号", "帐号", "用户名", "username", "user name", "id", "account", "handle", "계정"} {
		out = append(out, platformWord{word: w, typ: "", strict: true, account: true})
	}
	return out
}()

// accountType returns the type of an account named by a word that says
// no platform, from the platform words in the 100 runes before it.
func (s *scan) accountType(i int) Type {
	win := s.t.before(i, 100)
	if findWord(win, wechatWords) != "" {
		return TypeWeChat
	}
	return TypeHandle
}

// handleToken reports whether [a, b) of the lower-case text is a whole
// ID-shaped token, not a piece of a longer one.
func (s *scan) handleToken(a, b int) bool {
	low := s.t.lower
	if a > 0 && (isASCIIAlnum(low[a-1]) || low[a-1] == '_' || low[a-1] == '-' || low[a-1] == '.' || low[a-1] == '@') {
		return false
	}
	if b < len(low) && (isASCIIAlnum(low[b]) || low[b] == '_' || low[b] == '-' || low[b] == '@' || low[b] == '.' && b+1 < len(low) && isASCIIAlnum(low[b+1])) {
		return false
	}
	h := low[a:b]
	for _, pw := range platformWords {
		if h == pw.word {
			return false
		}
	}
	return h != "weixin" && !strings.HasPrefix(h, "wxid_")
}

// handleBefore looks for an account name just before a platform word
// that starts at byte i: "lyh_hoeryong88 라는 위챗 아이디", "kimyh88 (WeChat)",
// "zdm1975是我的微信". Only an ID with a digit, dash or underscore counts
// here: a plain word before "WeChat" is English.
func (s *scan) handleBefore(pw platformWord, i int) {
	start := runeStart(s.t.lower, i, 28)
	win := s.t.lower[start:i]
	ms := handleRe.FindAllStringIndex(win, -1)
	for k := len(ms) - 1; k >= 0 && k >= len(ms)-2; k-- {
		a, b := start+ms[k][0], start+ms[k][1]
		// The regular expression stops at 20 characters: widen to the
		// whole token first, so a long one is seen whole or not at all.
		if !s.handleToken(a, b) {
			continue
		}
		h := s.t.lower[a:b]
		if !strings.ContainsAny(h, "0123456789_-") {
			continue
		}
		gap := strings.TrimSpace(s.t.lower[b:i])
		if !shortGapBefore(gap) {
			continue
		}
		s.add(cand{Candidate: Candidate{Type: pw.typ, Start: a, End: b, Score: 0.9, Context: pw.word,
			Explanation: "account name shape just before a platform word" + withContext(pw.word)}})
		return
	}
}

// shortGapBefore reports whether the text between an account name and
// the platform word after it is only a naming word or punctuation.
func shortGapBefore(gap string) bool {
	switch strings.TrimSpace(strings.Trim(gap, ",:;，：（(")) {
	case "", "라는", "이라는", "라고 하는", "이라고 하는", "는 제", "은 제", "가 제", "이 제", "는 내", "가 내", "는 저의", "는 나의", "로 된", "으로 된",
		"是我的", "是我", "是她的", "是他的", "是", "的", "是我们的", "这个", "这个是",
		"is my", "is her", "is his", "was my", "was her", "was his", "on", "is on", "was on", "my", "her", "his", "as my", "as her":
		return true
	}
	return false
}

// handleAfter looks for an account name in the words after a platform
// word that ends at byte i.
func (s *scan) handleAfter(pw platformWord, i int) {
	word := pw.word
	win := s.t.after(i, 30)
	ms := handleRe.FindAllStringIndex(win, 3)
	if strings.Contains(win, ".") {
		ms = append(dottedHandleRe.FindAllStringIndex(win, 2), ms...)
	}
	for _, m := range ms {
		a, b := i+m[0], i+m[1]
		// Whole tokens only: not the tail of a longer word.
		if !s.handleToken(a, b) {
			continue
		}
		h := s.t.lower[a:b]
		if pw.strict && !strings.ContainsAny(h, "0123456789_-") || len(h) < 6 || len(h) > 32 {
			continue
		}
		if strings.Contains(h, ".") && (dotLetterDomain(h) || !strings.ContainsAny(h, "0123456789_")) {
			// A domain or a sentence's full stop, not an ID.
			continue
		}
		gap := strings.TrimSpace(s.t.lower[i:a])
		if pw.account && utf8.RuneCountInString(gap) > 8 {
			continue
		}
		// An ID with a digit, dash or underscore is clearly one. A
		// word of letters only counts when nothing but a colon, "is"
		// or "号" stands between it and the WeChat word: "my WeChat
		// account" is not an ID, "微信：kimyh" is.
		plain := !strings.ContainsAny(h, "0123456789_-")
		if plain && (!shortGap(gap) || gap == "" && isASCIIWord(word)) {
			// "my WeChat account": an English word after the word
			// WeChat is not an ID; "微信kimyh" and "WeChat: kimyh"
			// are.
			continue
		}
		score := 0.9
		if plain {
			score = 0.75
		}
		expl := "WeChat ID shape next to a WeChat word"
		if pw.typ != TypeWeChat {
			expl = "account name shape next to a platform word"
		}
		s.add(cand{Candidate: Candidate{Type: pw.typ, Start: a, End: b, Score: score, Context: word,
			Explanation: expl + withContext(word)}})
	}
}

// dotLetterDomain reports whether h ends like a domain name: naver.com.
func dotLetterDomain(h string) bool {
	k := strings.LastIndexByte(h, '.')
	switch h[k+1:] {
	case "com", "net", "org", "cn", "kr", "kp", "jp", "ru", "io", "me", "info", "biz", "onion", "co", "tv", "cc", "top", "xyz", "app", "site", "link":
		return true
	}
	return false
}

// shortGap reports whether the text between a WeChat word and a handle is
// only punctuation and a copula.
func shortGap(gap string) bool {
	for _, g := range []string{"", ":", "：", "号", "號", "号:", "号：", "是", "号是", "为", "id", "id:", "id：", "is", "id is", ":", "-", "은", "는", "아이디", "아이디는", "번호", "번호는", "(", "（"} {
		if gap == g {
			return true
		}
	}
	return false
}

// emailTriggers returns where an e-mail address can be: an @ or an
// "(at)" / "[at]".
func emailTriggers(low string) []int {
	out := indexesOf(low, "@")
	out = append(out, indexesOf(low, "(at)")...)
	return append(out, indexesOf(low, "[at]")...)
}

// dotLetter returns where a dot stands between an ASCII letter or digit
// and an ASCII letter: where domain names can be.
func dotLetter(low string) []int {
	var out []int
	for i := 1; i+1 < len(low); i++ {
		if low[i] == '.' && isASCIIAlnum(low[i-1]) && 'a' <= low[i+1] && low[i+1] <= 'z' {
			out = append(out, i)
		}
	}
	return out
}
