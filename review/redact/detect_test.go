package redact

import (
	"fmt"
	"strings"
	"testing"
)

// found returns "type:text" for every proposed candidate.
func found(t *testing.T, text string, opts *Options) []string {
	t.Helper()
	cands, err := Analyze(text, opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cands {
		if c.Text != text[c.Start:c.End] {
			t.Fatalf("candidate text does not match its span")
		}
		if c.Score >= opts.threshold() {
			out = append(out, fmt.Sprintf("%s:%s", c.Type, c.Text))
		}
	}
	return out
}

func TestDetectors(t *testing.T) {
	for _, c := range []struct {
		text   string
		want   []string // each must be proposed
		absent []string // none of these may be proposed
	}{
		// PRC IDs, with and without the X, spaced, full width; and the
		// guard: no shorter number inside an 18-digit one.
		{"身份证号11010519491231002X。", []string{"prc-id:11010519491231002X"}, []string{"phone:", "qq:"}},
		{"ID 1101 0519 4912 3100 2X", []string{"prc-id:1101 0519 4912 3100 2X"}, nil},
		{"身份证：１１０１０５１９４９１２３１００２Ｘ", []string{"prc-id:１１０１０５１９４９１２３１００２Ｘ"}, nil},
		{"番号 110105194912310021 다음", []string{"prc-id:110105194912310021"}, nil},
		{"ID 110105199003071234 13812345678", []string{"phone:13812345678"}, []string{"phone:110105"}},
		{"老身份证110105491231002", []string{"prc-id-15:110105491231002"}, nil},
		// ROK RRN: a failed check digit is still suggested (unknown).
		{"주민번호 900307-2345679", []string{"rok-rrn:900307-2345679"}, nil},
		{"주민번호 9003072345678", []string{"rok-rrn:9003072345678"}, nil},
		// Phones in every form, and the DPRK.
		{"전화 010-1234-5678", []string{"phone:010-1234-5678"}, nil},
		{"+82 10 1234 5678로", []string{"phone:+82 10 1234 5678"}, nil},
		{"手机138 0013 8000。", []string{"phone:138 0013 8000"}, nil},
		{"0086 13800138000", []string{"phone:0086 13800138000"}, nil},
		{"+850 191 234 5678", []string{"phone:+850 191 234 5678"}, nil},
		{"전화 0433-2512345", []string{"phone:0433-2512345"}, nil},
		// Not phones: years, money, a 7-digit number with no phone word.
		{"2019년에 3000위안을 받았다. 1234567명", nil, []string{"phone:"}},
		// WeChat and QQ only with their words; wxid_ always.
		{"微信：kim_yh88。", []string{"wechat:kim_yh88"}, nil},
		{"위챗 아이디는 sunhui1990입니다", []string{"wechat:sunhui1990"}, nil},
		{"my WeChat account was deleted", nil, []string{"wechat:"}},
		{"wxid_abcdef123456789 보냈다", []string{"wechat:wxid_abcdef123456789"}, nil},
		{"QQ号是123456789", []string{"qq:123456789"}, nil},
		{"she owed 123456789 won", nil, []string{"qq:"}},
		// Online.
		{"메일 kim.yh@gmail.com 로", []string{"email:kim.yh@gmail.com"}, nil},
		{"写信到 12345678@qq.com", []string{"email:12345678@qq.com"}, nil},
		{"kim(at)naver.com", []string{"email:kim(at)naver.com"}, nil},
		{"see https://www.facebook.com/some.one.", []string{"url:https://www.facebook.com/some.one"}, nil},
		{"IP 192.168.10.254 then", []string{"ip:192.168.10.254"}, nil},
		{"addr 2001:db8::8a2e:370:7334", []string{"ip:2001:db8::8a2e:370:7334"}, nil},
		{"version 1.2.3.4.5", nil, []string{"ip:"}},
		// GPS.
		{"좌표 42.453112, 129.998101", []string{"gps:42.453112, 129.998101"}, nil},
		{"북위 42도 27분 동경 129도 59분", []string{"gps:북위 42도 27분 동경 129도 59분"}, nil},
		{"北纬42°27′11″ 东经129°59′53″", []string{"gps:北纬42°27′11″ 东经129°59′53″"}, nil},
		{"42°27′11″N 129°59′53″E", []string{"gps:42°27′11″N 129°59′53″E"}, nil},
		{"날씨가 30도였다", nil, []string{"gps:"}},
		// DPRK citizen card.
		{"공민증 번호는 온성 153421", []string{"dprk-card:온성 153421"}, nil},
		{"我的公民证号是会宁 153421", []string{"dprk-card:会宁 153421"}, nil},
		// Names with context, and their other mentions.
		{"남편 리철수는 나를 때렸다. 철수는 나빴다.", []string{"name:리철수", "name:철수"}, nil},
		{"브로커 김씨가 왔다", []string{"name:김"}, []string{"name:김씨가"}},
		{"저를 산 남자의 이름은 박명호였습니다.", []string{"name:박명호"}, []string{"name:이름은"}},
		{"我老公王建国每天打我。王建国喝酒。", []string{"name:王建国"}, nil},
		{"老王说他不会放我走。", []string{"name:王"}, nil},
		{"My husband, Wang Jianguo, beat me. Mr Kim said nothing.", []string{"name:Wang Jianguo", "name:Kim"}, nil},
		{"I was 22 years old. He said nothing.", nil, []string{"name:"}},
		{"그때 나중에 정말로 힘든 시간이었다. 이야기를 하고 싶다.", nil, []string{"name:"}},
		{"一个月给我两千块钱。我很想念家乡。", nil, []string{"name:", "place:"}},
		// Places: chains generalise; common words with suffixes are not
		// places.
		{"함경북도 회령시 유선동에서 살았다", []string{"place:함경북도 회령시 유선동"}, nil},
		{"吉林省延吉市依兰镇光明村", []string{"place:吉林省延吉市依兰镇光明村"}, nil},
		{"I hid in Songhak-ri, Musan County.", []string{"place:Songhak-ri, Musan County"}, nil},
		{"강제노동을 했다. 당시에는 거리에서 장사를 했다. 인민군이 왔다.", nil, []string{"place:"}},
		{"去市场卖菜。在农村干活。", nil, []string{"place:"}},
		{"제3인민반", []string{"place:제3인민반"}, nil},
		// Dates.
		{"2019년 3월 5일에 건넜다", []string{"date:2019년 3월 5일"}, nil},
		{"주체108년 3월 5일", []string{"date:주체108년 3월 5일"}, nil},
		{"二〇一九年三月五日我过了江", []string{"date:二〇一九年三月五日"}, nil},
		{"On March 5, 2019 I left.", []string{"date:March 5, 2019"}, nil},
		{"2019년에 건넜다. May God help.", nil, []string{"date:"}},
		// Organisations.
		{"무산광산에서 일했다", []string{"org:무산광산"}, nil},
	} {
		got := found(t, c.text, &Options{})
		for _, w := range c.want {
			if !containsPrefix(got, w, true) {
				t.Errorf("%q: want %s, got %q", c.text, w, got)
			}
		}
		for _, a := range c.absent {
			if containsPrefix(got, a, false) {
				t.Errorf("%q: want no %s, got %q", c.text, a, got)
			}
		}
	}
}

// containsPrefix reports whether list has w (exact) or, if !exact, an
// entry starting with w.
func containsPrefix(list []string, w string, exact bool) bool {
	for _, x := range list {
		if exact && x == w || !exact && strings.HasPrefix(x, w) {
			return true
		}
	}
	return false
}

func TestTermsAndPersons(t *testing.T) {
	text := "그 사람은 영숙이라고만 불렀다. Ri Yong Hui도 왔다. 리영희와 이영희, 그리고 영희."
	opts := &Options{Mentioned: []Term{{Text: "리영희", Spellings: []string{"Ri Yong Hui"}}}, Names: []Term{{Text: "영숙", Type: TypeName}}}
	cands, err := Analyze(text, opts)
	if err != nil {
		t.Fatal(err)
	}
	persons := map[string]int{}
	for _, c := range cands {
		if c.Type == TypeName {
			persons[c.Text] = c.Person
		}
	}
	for _, w := range []string{"영숙", "Ri Yong Hui", "리영희", "이영희", "영희"} {
		if persons[w] == 0 {
			t.Errorf("%s not found: %v", w, persons)
		}
	}
	if p := persons["리영희"]; persons["이영희"] != p || persons["Ri Yong Hui"] != p || persons["영희"] != p {
		t.Errorf("spellings of one person are not one person: %v", persons)
	}
	if persons["영숙"] == persons["리영희"] {
		t.Errorf("two people share a person number")
	}
}

func TestTooLarge(t *testing.T) {
	if _, err := Analyze(strings.Repeat("a", MaxTextBytes+1), nil); err != ErrTooLarge {
		t.Errorf("err = %v", err)
	}
}

// FuzzAnalyze checks, for any text, that candidates are in order, do not
// overlap, lie on rune boundaries and quote their span, and that the
// suggested plan applies.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"남편 리철수는 010-1234-5678", "我叫金英姬，吉林省延吉市", "Mr Kim, 42.1234, 129.1234", "１３８\u200b００１３８０００", "\xff리"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cands, err := Analyze(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		end := 0
		for _, c := range cands {
			if c.Start < end || c.End <= c.Start || c.End > len(s) || c.Text != s[c.Start:c.End] {
				t.Fatalf("bad candidate %d-%d after %d", c.Start, c.End, end)
			}
			end = c.End
		}
		p, err := Suggest(s, cands, &Options{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Apply(s, p); err != nil {
			t.Fatalf("the suggested plan does not apply: %v", err)
		}
	})
}

// TestCodes checks that digits inside a code are not taken for a number
// of their own, while document numbers and prefixed numbers are found.
func TestCodes(t *testing.T) {
	for _, c := range []struct {
		text   string
		want   []string
		absent []string
	}{
		{"겪은 일 CANARY3f9284561703ab21cd 입니다.", nil, []string{"number:", "phone:", "rok-rrn:"}},
		{"hash a1b2c313800138000d9e", nil, []string{"phone:"}},
		{"여권 번호 G12345678", []string{"number:G12345678"}, nil},
		{"passport M123A4567 expired", []string{"number:M123A4567"}, nil},
		{"tel13800138000", []string{"phone:13800138000"}, nil},
		{"QQ12345678", []string{"qq:12345678"}, nil},
		{"ID110105194912310021", []string{"prc-id:110105194912310021"}, nil},
	} {
		got := found(t, c.text, &Options{})
		for _, w := range c.want {
			if !containsPrefix(got, w, true) {
				t.Errorf("%q: want %s, got %q", c.text, w, got)
			}
		}
		for _, a := range c.absent {
			if containsPrefix(got, a, false) {
				t.Errorf("%q: want no %s, got %q", c.text, a, got)
			}
		}
	}
}
