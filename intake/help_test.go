package intake

import (
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"testimony/internal/guided"
)

// TestCheckHelp: a real server needs the organisation's three help texts,
// with nothing of the templates' placeholders left; the templates shipped
// in docs/deploy/help are themselves refused until filled.
func TestCheckHelp(t *testing.T) {
	filled := map[string]string{"ko": "연락처: 000", "zh": "联系方式：000", "en": "Contact: 000"}
	if err := CheckHelp(filled); err != nil {
		t.Errorf("filled texts refused: %v", err)
	}
	for name, help := range map[string]map[string]string{
		"none":        {},
		"no Chinese":  {"ko": filled["ko"], "en": filled["en"]},
		"blank":       {"ko": filled["ko"], "zh": " \n", "en": filled["en"]},
		"placeholder": {"ko": filled["ko"], "zh": filled["zh"], "en": "[[Name of the organisation]]: 000"},
	} {
		if err := CheckHelp(help); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	templates, err := LoadHelp(filepath.Join("..", "docs", "deploy", "help"))
	if err != nil {
		t.Fatal(err)
	}
	if len(templates) != len(languages) {
		t.Fatalf("docs/deploy/help has %d templates, want one per language", len(templates))
	}
	if err := CheckHelp(templates); err == nil || !strings.Contains(err.Error(), "placeholders") {
		t.Errorf("the shipped templates: %v, want them refused for their placeholders", err)
	}
	// A template's sentences outside the placeholders are hers to read.
	for l, text := range templates {
		for _, bad := range []string{"당신", "북한", "경찰", "일꾼", "取回口令"} {
			if strings.Contains(stripPlaceholders(text), bad) {
				t.Errorf("help.%s.txt says %s", l, bad)
			}
		}
	}
}

func stripPlaceholders(s string) string {
	for {
		i := strings.Index(s, "[[")
		j := strings.Index(s, "]]")
		if i < 0 || j < i {
			return s
		}
		s = s[:i] + s[j+2:]
	}
}

// TestHelpPageDemo: a demonstration server without help texts says so on
// the help page, above the general text; with the organisation's texts it
// shows them alone.
func TestHelpPageDemo(t *testing.T) {
	_, _, demo := newTestServer(t, Config{Demo: true})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "help.ko.txt"), []byte("우리 단체: 000\n\n둘째 문단"), 0o644)
	help, err := LoadHelp(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, _, real := newTestServer(t, Config{Help: help})
	get := func(url string) string {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get(demo.URL + "/ko/help")
	if !strings.Contains(page, "<p>"+catalog["ko"]["helpDemo"]+"</p>") || !strings.Contains(page, html.EscapeString(catalog["ko"]["helpDefault"])) {
		t.Errorf("demo help page lacks the demonstration mark or the general text")
	}
	page = get(real.URL + "/ko/help")
	if !strings.Contains(page, "<p>우리 단체: 000</p>") || !strings.Contains(page, "<p>둘째 문단</p>") || strings.Contains(page, catalog["ko"]["helpDemo"]) || strings.Contains(page, html.EscapeString(catalog["ko"]["helpDefault"])) {
		t.Errorf("the organisation's help page is not its text alone")
	}
}

// TestProvinceGroups: the place question shows North Korea's provinces and
// China's in two groups, named in her language, and every choice once.
func TestProvinceGroups(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	resp, err := http.Get(ts.URL + "/ko/write")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	nk, cn := strings.Index(page, `<optgroup label="조선(북한)">`), strings.Index(page, `<optgroup label="중국">`)
	if nk < 0 || cn < nk || !strings.Contains(page[nk:cn], `value="KP-09"`) || !strings.Contains(page[cn:], `value="CN-JL"`) || strings.Contains(page[cn:], `value="KP-`) {
		t.Errorf("the provinces are not grouped by country")
	}
	for _, c := range guided.Province.Choices {
		if n := strings.Count(page, `value="`+c.Code+`"`); n != 1 {
			t.Errorf("%s shown %d times", c.Code, n)
		}
	}
}
