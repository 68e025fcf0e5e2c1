package fold

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestInitial(t *testing.T) {
	for _, c := range []struct{ in, want rune }{
		{'리', '이'}, {'림', '임'}, {'류', '유'}, {'로', '노'}, {'녀', '여'},
		{'량', '양'}, {'례', '예'}, {'력', '역'}, {'료', '요'}, {'라', '나'},
		{'루', '누'}, {'뢰', '뇌'}, {'니', '이'}, {'뉴', '유'}, {'녕', '영'},
		// Not folded: other initials, ㄴ before plain vowels, non-Hangul.
		{'노', '노'}, {'나', '나'}, {'이', '이'}, {'김', '김'}, {'a', 'a'}, {'里', '里'},
		{'ㄹ', 'ㄹ'}, {0xAC00, 0xAC00}, {0xD7A3, 0xD7A3},
	} {
		if got := Initial(c.in); got != c.want {
			t.Errorf("Initial(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"리", "이"},
		{"림", "임"},
		{"류", "유"},
		{"로동", "노동"},
		{"녀자", "여자"},
		{"량강도", "양강도"},
		{"리영희 로동자", "이영희 노동자"},
		{"(로동)", "(노동)"},
		// Only the first syllable of a word folds.
		{"근로", "근로"},
		{"남녀", "남녀"},
		// NFKC: full-width digits and letters, compatibility jamo.
		{"１２３ＡＢＣ", "123abc"},
		{"ᄅ\u1175", "이"}, // conjoining jamo ㄹ + ㅣ compose to 리
		{"Kim 金", "kim 金"},
		{"", ""},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIndex(t *testing.T) {
	for _, c := range []struct {
		text, query string
		want        string // the matched part of the NFKC text, or "" for none
	}{
		{"조선로동당 당원", "노동당", "로동당"},
		{"조선로동당 당원", "로동", "로동"},
		{"조선노동당", "로동당", "노동당"},
		{"그는 리영희를 만났다", "이영희", "리영희"},
		{"그는 이영희를 만났다", "리영희", "이영희"},
		{"량강도 혜산시", "양강도", "량강도"},
		{"양강도 혜산시", "량강도", "양강도"},
		{"녀자들", "여자", "녀자"},
		{"전화 １３８００１３８０００", "13800138000", "13800138000"},
		{"WeChat ID", "wechat", "WeChat"},
		// Syllables inside a query word must match exactly.
		{"근노", "근로", ""},
		{"노동", "노력", ""},
		{"abc", "", ""},
		{"", "a", ""},
	} {
		text := New(c.text)
		s, e := text.Index(New(c.query), 0)
		got := ""
		if s >= 0 {
			got = text.Norm[s:e]
		}
		if got != c.want {
			t.Errorf("Index(%q, %q) matched %q, want %q", c.text, c.query, got, c.want)
		}
	}
}

func TestIndexFrom(t *testing.T) {
	text := New("로동 그리고 노동")
	q := New("노동")
	s, e := text.Index(q, 0)
	if text.Norm[s:e] != "로동" {
		t.Fatalf("first match %q", text.Norm[s:e])
	}
	s, e = text.Index(q, text.RuneAt(e))
	if s < 0 || text.Norm[s:e] != "노동" || s != strings.LastIndex(text.Norm, "노동") {
		t.Fatalf("second match at %d", s)
	}
	if s, _ := text.Index(q, text.RuneAt(e)); s != -1 {
		t.Fatalf("third match at %d", s)
	}
}

// FuzzFold checks, for any input, that folding is idempotent and keeps the
// rune count of the NFKC form, that any text finds itself at its start, and
// that offsets always fall on rune boundaries of Norm.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"로동", "조선로동당", "리영희", "１２３", "ᄅ\u1175", "a b", "\xff", "녀자 량강도", "139 1234-5678", "Young-hee", "1 - 2", "1.2.3"} {
		f.Add(s, "노동")
	}
	f.Fuzz(func(t *testing.T, s, q string) {
		text := New(s)
		// Separators between digits are left out of the search form.
		if got := utf8.RuneCountInString(text.Norm); got < text.Len() {
			t.Fatalf("rune count %d, Len %d", got, text.Len())
		}
		if utf8.RuneCountInString(foldOnce(s)) != text.Len() {
			t.Fatalf("one pass of folding changed the rune count")
		}
		folded := String(s)
		if String(folded) != folded {
			t.Fatalf("String is not idempotent: %q → %q → %q", s, folded, String(folded))
		}
		if text.Len() > 0 {
			if st, e := text.Index(text, 0); st != 0 || e != len(text.Norm) {
				t.Fatalf("a text does not find itself: %d, %d", st, e)
			}
		}
		st, e := text.Index(New(q), 0)
		if st >= 0 && (st >= e || e > len(text.Norm) || !utf8.RuneStart(text.Norm[st]) || e < len(text.Norm) && !utf8.RuneStart(text.Norm[e])) {
			t.Fatalf("bad offsets %d, %d", st, e)
		}
		if st >= 0 && text.RuneAt(st) >= text.Len() {
			t.Fatalf("RuneAt(%d) past the end", st)
		}
	})
}
