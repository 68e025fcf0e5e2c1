package review

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/internal/visible"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// hostile is what someone who submits can put in an account to act on the
// reviewer's terminal: set the title, recolour, clear the screen, hide
// text, overwrite a line, reorder it, and the 8-bit CSI.
const hostile = "보안원 \x1b]0;PWNED-TITLE\x07 \x1b[31mRED \x1b[2J \x1b[8mHIDDEN\x1b[0m 앞\r뒤 evil\u202egpj.exe \u2066iso\u2069 \u009b31m \x7f end"

// raw reports which of what visible escapes is in s as it is.
func raw(s string, multiline bool) []string {
	var found []string
	for _, r := range s {
		if visible.Escape(r) && !(multiline && (r == '\n' || r == '\t')) {
			found = append(found, visible.Rune(r))
		}
	}
	return found
}

// TestHostileTextIsShownEscaped: show, list and search print her text, her
// attachments' names, her answers and the team's notes with every control
// made visible, so nothing in them acts on the terminal; the escapes are
// there for the reader to see.
func TestHostileTextIsShownEscaped(t *testing.T) {
	e := newEditorial(t)
	id := e.put(t, vaulttest.Text(hostile+"\nsecond line"),
		vaulttest.Form(vault.Answers{Version: 1, Elsewhere: "no"}),
		vaulttest.Consent(vault.UseReview, vault.UsePublish, vault.UseQuote),
		vaulttest.Attachment("my\u202egpj.exe", "image/jpeg", []byte("x")))
	e.sync(t)
	me := []age.Identity{e.editor}
	if err := unlock(t, e.w, me).Note(id, "a pasted \x1b[2J note\n"+hostile); err != nil {
		t.Fatal(err)
	}
	var show bytes.Buffer
	if err := unlock(t, e.w, me).Show(id, &show); err != nil {
		t.Fatal(err)
	}
	if found := raw(show.String(), true); len(found) > 0 {
		t.Errorf("show prints %v raw:\n%s", found, show.String())
	}
	for _, want := range []string{`\x1b]0;PWNED-TITLE\x07`, `\x1b[8mHIDDEN`, `앞\x0d뒤`, `evil\u202egpj.exe`, `\u009b31m`, "second line", `a pasted \x1b[2J note`} {
		if !strings.Contains(show.String(), want) {
			t.Errorf("show does not show %q:\n%s", want, show.String())
		}
	}
	sums, err := unlock(t, e.w, me).List()
	if err != nil || len(sums) != 1 {
		t.Fatal(sums, err)
	}
	if found := raw(sums[0].Excerpt, false); len(found) > 0 || !strings.Contains(sums[0].Excerpt, `\x1b]0;PWNED`) {
		t.Errorf("list excerpt %q", sums[0].Excerpt)
	}
	hits, err := unlock(t, e.w, me).Search("PWNED")
	if err != nil || len(hits) == 0 {
		t.Fatal(hits, err)
	}
	for _, h := range hits {
		if found := raw(h.Snippet+h.Where, false); len(found) > 0 {
			t.Errorf("search prints %v raw: %q", found, h.Snippet)
		}
	}
}

// TestExportsNeutraliseHerText: the Markdown export escapes HTML and
// Markdown and defangs links, so that rendering it runs, loads and links
// nothing; every CSV cell that a spreadsheet would run as a formula is
// made text.
func TestExportsNeutraliseHerText(t *testing.T) {
	e := newEditorial(t)
	text := "=HYPERLINK(\"http://evil.example/x\",\"click\") <script>alert(1)</script> <img src=x onerror=alert(1)> " +
		"![track](https://evil.example/p.png) [site](javascript:alert(1)) www.evil.example mail me@evil.example " + hostile
	id := e.put(t, vaulttest.Text(text), vaulttest.Consent(vault.UseReview, vault.UseQuote))
	plus := e.put(t, vaulttest.Text("+1 2 3 and -4 and @SUM(A1)"), vaulttest.Consent(vault.UseReview, vault.UseQuote))
	e.sync(t)
	e.approveKeep(t, id)
	e.approveKeep(t, plus)
	md, err := e.export(id, ExportOptions{Use: vault.UseQuote, Format: "md"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<img", "](https://", "](javascript:", "http://", "https://", "evil.example", "me@", "\x1b"} {
		if bytes.Contains(md, []byte(bad)) {
			t.Errorf("the Markdown export holds %q:\n%s", bad, md)
		}
	}
	for _, want := range []string{"&lt;script&gt;", `hxxp\[:\]//evil\[.\]example`, `\!\[track\]`, `\x1b\]0;PWNED`} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("the Markdown export lacks %q:\n%s", want, md)
		}
	}
	for _, sub := range []vault.ID{id, plus} {
		out, err := e.export(sub, ExportOptions{Use: vault.UseQuote, Format: "csv"})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("a CSV cell begins with %q: %q", cell[0], cell)
				}
				if strings.HasPrefix(cell, "'") {
					n++
				}
			}
		}
		if n == 0 {
			t.Errorf("no cell of %s was neutralised:\n%s", sub, out)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"}, {"\tx", "'\tx"},
		{"plain", "plain"}, {"", ""}, {"a=b", "a=b"}, {"\x1b[2J", `\x1b[2J`},
	} {
		if got := CSVCell(c.in); got != c.want {
			t.Errorf("CSVCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Nothing else was left in the output directory.
	left, _ := filepath.Glob(filepath.Join(e.out, ".*"))
	if len(left) > 0 {
		t.Errorf("left %v", left)
	}
}
