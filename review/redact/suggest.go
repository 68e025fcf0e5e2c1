package redact

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// NewPlan analyses text and suggests a plan for it: [Analyze], then
// [Suggest].
func NewPlan(text string, opts *Options) (*Plan, error) {
	cands, err := Analyze(text, opts)
	if err != nil {
		return nil, err
	}
	return Suggest(text, cands, opts)
}

// Suggest turns candidates (from [Analyze], perhaps filtered) into a plan
// for text: names get consistent pseudonyms, places and dates are
// generalised to the level opts asks for (or removed when nothing broader
// is known), identifiers are replaced by a placeholder naming what was
// there, and candidates below the threshold are listed as keep, for the
// editor to see. The seed for pseudonyms is opts.Seed, or random when
// zero.
func Suggest(text string, cands []Candidate, opts *Options) (*Plan, error) {
	if len(text) > MaxTextBytes {
		return nil, ErrTooLarge
	}
	if opts == nil {
		opts = &Options{}
	}
	p := &Plan{Source: SourceHash(text), Seed: opts.Seed}
	if p.Seed == 0 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		p.Seed = binary.LittleEndian.Uint64(b[:])
	}
	th := opts.threshold()
	// Every real name part in the statement is off limits for
	// pseudonyms, whatever the editor later keeps.
	avoid := map[string]bool{}
	for _, c := range cands {
		if c.Type != TypeName {
			continue
		}
		t := Normalize(c.Text).Norm
		avoid[matchKey(t)] = true
		sn, given := splitOrWhole(t)
		if sn != "" {
			avoid[matchKey(sn)] = true
		}
		if given != "" && utf8.RuneCountInString(given) >= 2 {
			avoid[matchKey(given)] = true
		}
		for _, g := range givenNames(t) {
			avoid[matchKey(g)] = true
		}
		if f := fieldsOf(t); len(f) > 1 {
			avoid[matchKey(f[0])] = true
			avoid[matchKey(f[len(f)-1])] = true
		}
	}
	var named []Candidate
	for _, c := range cands {
		if c.Type == TypeName && c.Score >= th {
			named = append(named, c)
		}
	}
	pseudonyms := assignPseudonyms(named, p.Seed, avoid, text)
	for _, c := range cands {
		if c.Start < 0 || c.End > len(text) || c.Start >= c.End || text[c.Start:c.End] != c.Text {
			return nil, fmt.Errorf("redact: a candidate does not match the text at %d-%d", c.Start, c.End)
		}
		d := Decision{Type: c.Type, Start: c.Start, End: c.End, Original: c.Text, Explanation: explain(c)}
		l := langAround(text, c.Start)
		switch {
		case c.Score < th:
			d.Op = OpKeep
		case c.Type == TypeName:
			d.Op = OpPseudonym
			d.Replacement = pseudonyms[c.Person].render(c.Text, c.Part)
			if ps, ok := pseudonyms[c.Person]; !ok || ps.surname.ko == "" {
				d.Op, d.Replacement = OpRemove, placeholder(TypeName, l)
			}
		case len(c.Broader) > 0:
			d.Op = OpGeneralise
			d.Replacement = c.Broader[len(c.Broader)-1]
			if c.Type == TypePlace && opts.PlaceLevel == PlaceCounty || c.Type == TypeDate && opts.DateLevel == DateMonth {
				d.Replacement = c.Broader[0]
			}
		case c.Type == TypeDate:
			d.Op = OpKeep // a year: nothing finer to remove
		default:
			d.Op = OpRemove
			d.Replacement = placeholder(c.Type, l)
		}
		p.Decisions = append(p.Decisions, d)
	}
	// A generalisation may carry a term redacted elsewhere (the
	// province 吉林省 when 吉林 was also taken for a name): such a
	// replacement becomes a placeholder, so the suggested plan always
	// passes Check. A pseudonym never does: they avoid every real name.
	for range len(p.Decisions) {
		i, _, ok := p.carrier()
		if !ok {
			break
		}
		d := &p.Decisions[i]
		ph := placeholder(d.Type, langAround(text, d.Start))
		if d.Replacement == ph {
			// A placeholder that itself carries a term: drop it.
			ph = ""
		}
		d.Op, d.Replacement = OpRemove, ph
		d.Explanation += "; the generalisation would repeat a redacted term, so it is removed instead"
	}
	return p, nil
}

func fieldsOf(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if r == ' ' || r == '-' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// explain is the plan line's comment: the person, the detector's
// explanation, the score and the validation.
func explain(c Candidate) string {
	s := c.Explanation
	if c.Person > 0 {
		s = fmt.Sprintf("person %d: %s", c.Person, s)
	}
	s += fmt.Sprintf(" (score %.2f", c.Score)
	if c.Validation != Unknown {
		s += ", " + c.Validation.String()
	}
	return s + ")"
}

// placeholders say what was removed, in the language around it.
var placeholders = map[Type][3]string{ // en, ko, zh
	TypePRCID:       {"[ID number]", "[신분증 번호]", "[身份证号]"},
	TypePRCOldID:    {"[ID number]", "[신분증 번호]", "[身份证号]"},
	TypeRRN:         {"[ID number]", "[주민등록번호]", "[身份证号]"},
	TypePhone:       {"[phone number]", "[전화번호]", "[电话号码]"},
	TypeWeChat:      {"[WeChat ID]", "[위챗 아이디]", "[微信号]"},
	TypeHandle:      {"[account name]", "[계정 이름]", "[账号]"},
	TypeQQ:          {"[QQ number]", "[QQ 번호]", "[QQ号]"},
	TypeEmail:       {"[e-mail]", "[전자우편]", "[邮箱]"},
	TypeURL:         {"[web address]", "[인터넷 주소]", "[网址]"},
	TypeIP:          {"[IP address]", "[IP 주소]", "[IP地址]"},
	TypeGPS:         {"[location]", "[위치]", "[位置]"},
	TypeCitizenCard: {"[citizen card number]", "[공민증 번호]", "[公民证号]"},
	TypeNumber:      {"[number]", "[번호]", "[号码]"},
	TypeName:        {"[name]", "[이름]", "[姓名]"},
	TypePlace:       {"[place]", "[장소]", "[地点]"},
	TypeOrg:         {"[organisation]", "[단체]", "[单位]"},
	TypeDate:        {"[date]", "[날짜]", "[日期]"},
	TypeTerm:        {"[removed]", "[삭제]", "[删除]"},
}

func placeholder(t Type, l lang) string {
	if p, ok := placeholders[t]; ok {
		return p[l]
	}
	return placeholders[TypeTerm][l]
}
