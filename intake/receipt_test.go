package intake

import (
	"errors"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"testimony/internal/fold"
	"testimony/internal/hanzi"
)

// TestWordlistProperties holds the rules of the v2 lists (issue 17,
// LANGUAGE-REVIEW.md section 3.4) for every list, whoever edits it next.
func TestWordlistProperties(t *testing.T) {
	minWords := int(math.Ceil(math.Pow(2, 64.0/receiptWords))) // 1,626
	for _, l := range languages {
		t.Run(string(l), func(t *testing.T) {
			wl := wordlists[l]
			n := len(wl.words)
			// Entropy: at least 64 bits in six words, and the number still
			// fits the 20 digits.
			if n < minWords || n > 2048 {
				t.Errorf("%d words: want %d to 2048 (64 bits in %d words, and %d digits)", n, minWords, receiptWords, receiptDigits)
			}
			if bits := receiptWords * math.Log2(float64(n)); bits < 64 {
				t.Errorf("%d words give %.2f bits", n, bits)
			}
			if wl.space.Cmp(new(big.Int).Exp(big.NewInt(10), big.NewInt(receiptDigits), nil)) >= 0 {
				t.Errorf("receipts do not fit in %d digits", receiptDigits)
			}
			block := readBlocklist(t, "testdata/wordlists/"+string(l)+"-block.txt")
			if l == "zh" {
				for w := range readBlocklist(t, "testdata/wordlists/zh-words-block.txt") {
					block[w] = true
				}
			}
			// No collisions after folding, and no word that begins another
			// once folded: a receipt typed without spaces splits one way.
			keys := make([]string, n)
			for i, w := range wl.words {
				keys[i] = foldWord(l, w)
				if !norm.NFC.IsNormalString(w) {
					t.Errorf("%q is not NFC", w)
				}
				if blocked(l, block, w) || l == "zh" && block[w] {
					t.Errorf("%q is on the blocklist", w)
				}
			}
			sorted := slices.Sorted(slices.Values(keys))
			for i := 1; i < len(sorted); i++ {
				if sorted[i] == sorted[i-1] {
					t.Errorf("two words fold to %q", sorted[i])
				} else if strings.HasPrefix(sorted[i], sorted[i-1]) {
					t.Errorf("%q begins %q: words typed together could split two ways", sorted[i-1], sorted[i])
				}
			}
			switch l {
			case "ko":
				checkKorean(t, wl.words)
			case "zh":
				checkChinese(t, wl.words)
			case "en":
				for _, w := range wl.words {
					if strings.TrimFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' }) != "" {
						t.Errorf("%q is not lower-case ASCII letters", w)
					}
				}
			}
		})
	}
}

func checkKorean(t *testing.T, words []string) {
	for i, w := range words {
		s, ok := syllables(w)
		if !ok || len(s) < 2 || len(s) > 3 {
			t.Errorf("%q is not two or three Hangul syllables", w)
			continue
		}
		if hasSaisiot(w) {
			t.Errorf("%q has a ㅅ before its last syllable (사이시옷): the North writes it otherwise", w)
		}
		// Her North Korean spelling of the first syllable folds to the
		// list's: 로동 and 노동 are one word, and no other.
		if r := []rune(w)[0]; fold.Initial(r) != r {
			t.Errorf("%q begins with a syllable the South does not write", w)
		}
		for _, x := range words[i+1:] {
			if soundAlike(w, x) {
				t.Errorf("%q and %q differ in one jamo that sounds alike", w, x)
			}
		}
	}
	// The words the review named by name are gone.
	for _, w := range []string{"강남", "서울", "구속", "몰래", "나침반", "목사", "기독교", "현금", "경찰", "북한", "남편", "비밀", "컴퓨터", "택시"} {
		if slices.Contains(words, w) {
			t.Errorf("the list holds %q", w)
		}
	}
}

func checkChinese(t *testing.T, words []string) {
	pinyin := map[string]string{}
	b, err := os.ReadFile("wordlists/source/zh-pinyin.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		w, p, _ := strings.Cut(line, "\t")
		pinyin[w] = p
	}
	seen := map[string]string{}
	for _, w := range words {
		rs := []rune(w)
		if len(rs) != 2 || !unicode.Is(unicode.Han, rs[0]) || !unicode.Is(unicode.Han, rs[1]) {
			t.Errorf("%q is not two Chinese characters", w)
		}
		if hanzi.String(w) != w {
			t.Errorf("%q is not in Simplified characters", w)
		}
		p, ok := pinyin[w]
		if !ok {
			t.Errorf("%q has no pinyin in wordlists/source/zh-pinyin.txt", w)
			continue
		}
		// On her phone she types the pinyin without tones and picks the
		// word: no two words may share it.
		if other, dup := seen[p]; dup {
			t.Errorf("%q and %q are both %q without tones", other, w, p)
		}
		seen[p] = w
	}
	for _, c := range []string{"察", "牢", "跑", "渡", "朝", "俄", "丈", "婆", "警", "死", "逃"} {
		for _, w := range words {
			if strings.Contains(w, c) {
				t.Errorf("%q holds %s", w, c)
			}
		}
	}
}

func TestEnglishAvoidsAlarmingWords(t *testing.T) {
	for _, w := range []string{"police", "prison", "escape", "husband", "passport", "secret", "religion", "church", "god", "china", "korea", "city", "border", "spy"} {
		if slices.Contains(wordlists["en"].words, w) {
			t.Errorf("the English list holds %q", w)
		}
	}
}

// herWays are the ways she may type receipt r back: every one must read as
// r and as nothing else.
func herWays(l lang, r receipt) map[string]string {
	words := r.List()
	fullWidth := strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return c - '0' + '０'
		}
		return c
	}, r.Digits)
	ways := map[string]string{
		"exact words":          r.Words,
		"words typed together": strings.Join(words, ""),
		"any spacing":          "  " + strings.Join(words[:2], "") + "   " + words[2] + "\t" + strings.Join(words[3:], "") + "\n",
		"ideographic spaces":   strings.Join(words, "\u3000"),
		"commas":               strings.Join(words, ", "),
		"Chinese commas":       strings.Join(words, "，"),
		"dashes":               strings.Join(words, "-"),
		"digits as shown":      r.Digits,
		"digits plain":         strings.ReplaceAll(r.Digits, " ", ""),
		"digits dashed":        strings.ReplaceAll(r.Digits, " ", "-"),
		"digits full-width":    fullWidth, // as a CJK keyboard types them
	}
	switch l {
	case "ko":
		ways["NFD Hangul"] = norm.NFD.String(r.Words)
		ways["사이시옷 spelling"] = strings.Join(append([]string{withSaisiot(words[0])}, words[1:]...), " ")
		if i, nk := northSpelling(words); i >= 0 {
			alt := slices.Clone(words)
			alt[i] = nk
			ways["North Korean initial ㄹ/ㄴ"] = strings.Join(alt, " ")
			ways["North Korean initial ㄹ/ㄴ, typed together"] = strings.Join(alt, "")
		}
	case "zh":
		s := strings.Join(words, "")
		rs := []rune(s)
		ways["spaced in threes"] = string(rs[:3]) + " " + string(rs[3:6]) + " " + string(rs[6:9]) + " " + string(rs[9:])
		ways["spaced one by one"] = strings.Join(strings.Split(s, ""), " ")
		ways["Traditional characters"] = traditional(r.Words)
	case "en":
		ways["capitals"] = strings.ToUpper(r.Words)
	}
	return ways
}

// withSaisiot writes w as the South might with a 사이시옷: a ㅅ under its
// first syllable, if that has no final consonant.
func withSaisiot(w string) string {
	rs := []rune(w)
	if (rs[0]-0xAC00)%28 == 0 {
		rs[0] += 19
	}
	return string(rs)
}

// northSpelling finds a word of the receipt that the North writes with an
// initial ㄹ (노동 → 로동, 여성 → 려성) and returns its index and that
// spelling, or -1.
func northSpelling(words []string) (int, string) {
	for i, w := range words {
		rs := []rune(w)
		s := int(rs[0] - 0xAC00)
		initial, medial := s/(21*28), s/28%21
		switch {
		case initial == 2: // ㄴ → ㄹ
			rs[0] += (5 - 2) * 21 * 28
		case initial == 11 && slices.Contains([]int{20, 2, 6, 12, 17, 7}, medial): // ㅇ before ㅣㅑㅕㅛㅠㅖ → ㄹ
			rs[0] += (5 - 11) * 21 * 28
		default:
			continue
		}
		return i, string(rs)
	}
	return -1, ""
}

// traditional writes s with the Traditional form of every character the
// hanzi table knows.
func traditional(s string) string {
	return strings.Map(func(r rune) rune {
		if alts := hanzi.Alternatives(r); len(alts) > 1 {
			return alts[1]
		}
		return r
	}, s)
}

func TestReceiptTypedBack(t *testing.T) {
	for _, l := range languages {
		for range 20 {
			r := newReceipt(l)
			if len(r.List()) != receiptWords {
				t.Fatalf("%s receipt %q does not have %d words", l, r.Words, receiptWords)
			}
			for way, typed := range herWays(l, r) {
				got, err := parseReceipt(typed)
				if err != nil || !slices.Equal(got, []string{r.value}) {
					t.Errorf("%s, %s: parseReceipt(%q) = %q, %v; want [%s]", l, way, typed, got, err, r.value)
				}
			}
		}
	}
	r := newReceipt("en")
	for _, bad := range []string{"", "1234", strings.ReplaceAll(r.Digits, " ", "") + "1", "apple apple apple", r.Words + " " + r.List()[0], "가격 apple 的 가격 가격 가격", strings.Repeat("가", 401)} {
		if got, err := parseReceipt(bad); !errors.Is(err, errBadReceipt) {
			t.Errorf("parseReceipt(%q) = %q, want it refused", bad, got)
		}
	}
}

// TestWrongWord: the check page names the first word she typed wrong.
func TestWrongWord(t *testing.T) {
	for _, l := range languages {
		r := newReceipt(l)
		words := r.List()
		other := wordlists[l].words[0]
		if other == words[2] {
			other = wordlists[l].words[1]
		}
		typo := slices.Clone(words)
		typo[2] = other
		if got := wrongWord(strings.Join(typo, " "), l, r.value); got != 3 {
			t.Errorf("%s: third word wrong, spaced: wrongWord = %d, want 3", l, got)
		}
		if got := wrongWord(strings.Join(typo, ""), l, r.value); got != 3 {
			t.Errorf("%s: third word wrong, typed together: wrongWord = %d, want 3", l, got)
		}
		if got := wrongWord(r.Digits, l, r.value); got != 0 {
			t.Errorf("%s: digits: wrongWord = %d, want 0", l, got)
		}
	}
}

// TestReturnAcceptsHerWays types her receipt back through the real return
// page in every way she may, and counts the KDF runs each costs: at most
// maxReadings, and one for digits.
func TestReturnAcceptsHerWays(t *testing.T) {
	srv, _, ts := newTestServer(t, Config{})
	for _, l := range languages {
		// Submit until a Korean receipt holds a word she would spell with
		// an initial ㄹ (about half do), so that way is typed too.
		var r receipt
		for range 100 {
			ct, body := multipartBody(formPart{name: "n", value: token(ts, tokenWrite)}, formPart{name: "testimony", value: "겪은 일"})
			status, page := post(t, ts.URL+"/"+string(l)+"/submit", ct, body)
			if status != http.StatusOK {
				t.Fatalf("%s: submit: %d", l, status)
			}
			words, digits := shownWords(t, page), find(t, digitsRE, page)
			v, _ := new(big.Int).SetString(strings.ReplaceAll(digits, " ", ""), 10)
			if r = receiptFromValue(l, v); r.Words != words {
				t.Fatalf("%s: the page shows %q and %q, which are not one receipt", l, words, digits)
			}
			if i, _ := northSpelling(r.List()); l != "ko" || i >= 0 {
				break
			}
		}
		for way, typed := range herWays(l, r) {
			before := srv.pool.runs.Load()
			status, page := postForm(t, ts.URL+"/"+string(l)+"/return", url.Values{"n": {token(ts, tokenReturn)}, "receipt": {typed}})
			runs := srv.pool.runs.Load() - before
			if status != http.StatusOK || !strings.Contains(page, `id="arrived"`) {
				t.Errorf("%s, %s: %q: status %d, not her page", l, way, typed, status)
			}
			if runs > maxReadings || strings.HasPrefix(way, "digits") && runs != 1 {
				t.Errorf("%s, %s: %d KDF runs", l, way, runs)
			}
		}
	}
	// A wrong receipt is refused with the same words whichever word is
	// wrong: the return page says nothing of which.
	r := newReceipt("ko")
	status, page := postForm(t, ts.URL+"/ko/return", url.Values{"n": {token(ts, tokenReturn)}, "receipt": {r.Words}})
	if status != http.StatusNotFound || !strings.Contains(page, catalog["ko"]["errWrongReceipt"]) || strings.Contains(page, `id="wrongword"`) {
		t.Errorf("an unknown receipt: status %d, or the page says which word", status)
	}
}

func FuzzParseReceipt(f *testing.F) {
	f.Add("1234 5678 9012 3456 7890")
	f.Add("１２３４-5678")
	for _, l := range languages {
		r := newReceipt(l)
		for _, typed := range herWays(l, r) {
			f.Add(typed)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		readings, err := parseReceipt(s)
		if err != nil {
			return
		}
		if len(readings) == 0 || len(readings) > maxReadings {
			t.Fatalf("parseReceipt(%q) gave %d readings", s, len(readings))
		}
		for _, v := range readings {
			if len(v) != receiptDigits || strings.Trim(v, "0123456789") != "" {
				t.Fatalf("parseReceipt(%q) = %q", s, v)
			}
			if again, _ := parseReceipt(v); !slices.Equal(again, []string{v}) {
				t.Fatal("not idempotent")
			}
		}
	})
}

// TestReceiptVectors pins word list v2: the same numbers must always be the
// same words (testdata/receipt-vectors-v2.txt, language, value, words).
// If it fails, a list was edited in place, and every receipt given with it
// would read as another number: add a new version instead.
func TestReceiptVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/receipt-vectors-" + wordlistVersion + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		l, value, words := lang(f[0]), f[1], f[2]
		v, _ := new(big.Int).SetString(value, 10)
		if got := receiptFromValue(l, v); got.Words != words || got.value != value {
			t.Errorf("%s %s: words %q, want %q", l, value, got.Words, words)
		}
		if got, err := parseReceipt(words); err != nil || !slices.Equal(got, []string{value}) {
			t.Errorf("%s %q reads as %q, %v; want %s", l, words, got, err, value)
		}
	}
}

// TestCheckPageSaysWhichWord: through the real check page, a receipt typed
// with its third word wrong is named as such; its digits wrong name none.
func TestCheckPageSaysWhichWord(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	ct, body := multipartBody(formPart{name: "n", value: token(ts, tokenWrite)}, formPart{name: "testimony", value: "겪은 일"})
	_, page := post(t, ts.URL+"/ko/submit", ct, body)
	words := strings.Fields(shownWords(t, page))
	other := wordlists["ko"].words[0]
	if other == words[2] {
		other = wordlists["ko"].words[1]
	}
	words[2] = other
	_, page = postForm(t, ts.URL+"/ko/check", url.Values{"n": {find(t, nRE, page)}, "sealed": {find(t, sealedRE, page)}, "typed": {strings.Join(words, "")}})
	if want := catalog["ko"]["checkWrong"]; !strings.Contains(page, want) || !strings.Contains(page, `id="wrongword">3번째 낱말이 다릅니다.<`) {
		t.Errorf("a wrong third word: the check page does not say so")
	}
	_, page = postForm(t, ts.URL+"/ko/check", url.Values{"n": {find(t, nRE, page)}, "sealed": {find(t, sealedRE, page)}, "typed": {"1234 5678 9012 3456 7890"}})
	if !strings.Contains(page, catalog["ko"]["checkWrong"]) || strings.Contains(page, `id="wrongword"`) {
		t.Errorf("wrong digits: the check page names a word")
	}
}
