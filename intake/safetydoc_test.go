package intake

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var updateSafetyDoc = flag.Bool("update-safety-doc", false, "rewrite the quotations in docs/survivor-safety.md from the catalog")

const safetyDoc = "../docs/survivor-safety.md"

// safetyKeys are the catalog strings that tell her about her safety, her
// consent, her receipt and what happens to what she sends: each must be
// quoted, with its reason, in docs/survivor-safety.md.
var safetyKeys = []string{
	"exit", "demo",
	"safetyTitle", "safety1", "safety2", "safety3", "safety4", "safety5", "safety6",
	"intro", "filesHint", "consentTitle", "consentIntro",
	"use.review", "use.publish", "use.quote", "use.un", "use.court", "use.recontact",
	"consentRecall", "afterSend",
	"receiptIntro", "receiptKeep", "receiptWarning", "secondIntro", "secondGiven", "closeTab",
	"returnIntro", "withdrawIntro", "withdrawDone", "errVisitOver", "finished",
	"errBusy", "errStore", "helpDefault",
}

var (
	docKey  = regexp.MustCompile("^### `([A-Za-z0-9.]+)`$")
	docText = regexp.MustCompile(`^- (ko|zh|en): (.*)$`)
)

// TestSafetyDocMatchesCatalog keeps docs/survivor-safety.md and the message
// catalog one text: every quotation in the doc is exactly the catalog's
// string for that key and language, every key has all three languages,
// every key in the doc is one a page uses, and every safety key is in the
// doc. With -update-safety-doc it rewrites the quotations from the catalog
// instead (the reasons around them stay as written).
func TestSafetyDocMatchesCatalog(t *testing.T) {
	b, err := os.ReadFile(safetyDoc)
	if err != nil {
		t.Fatal(err)
	}
	used := usedKeys(t)
	lines := strings.Split(string(b), "\n")
	seen := map[string][]lang{}
	key := ""
	for i, line := range lines {
		if m := docKey.FindStringSubmatch(line); m != nil {
			key = m[1]
			if _, dup := seen[key]; dup {
				t.Errorf("%s:%d: %s is quoted twice", safetyDoc, i+1, key)
			}
			seen[key] = nil
			if _, ok := catalog["en"][key]; !ok {
				t.Errorf("%s:%d: %s is not in the catalog (intake/messages_en.go)", safetyDoc, i+1, key)
			} else if !used(key) {
				t.Errorf("%s:%d: no page uses %s", safetyDoc, i+1, key)
			}
			continue
		}
		m := docText.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if key == "" {
			t.Errorf("%s:%d: a quotation outside any ### `key` section", safetyDoc, i+1)
			continue
		}
		l := lang(m[1])
		seen[key] = append(seen[key], l)
		want, ok := catalog[l][key]
		if !ok {
			continue
		}
		if *updateSafetyDoc {
			lines[i] = "- " + string(l) + ": " + want
		} else if m[2] != want {
			t.Errorf("%s:%d: %s in %s differs from the catalog:\n doc:     %s\n catalog: %s", safetyDoc, i+1, key, l, m[2], want)
		}
	}
	for k, ls := range seen {
		if !slices.Equal(ls, languages) {
			t.Errorf("%s: %s is quoted in %v, want ko, zh, en in that order", safetyDoc, k, ls)
		}
	}
	for _, k := range safetyKeys {
		if _, ok := seen[k]; !ok {
			t.Errorf("%s: %s (a safety sentence) is not quoted; add a \"### `%s`\" section with its reason", safetyDoc, k, k)
		}
	}
	if *updateSafetyDoc {
		if err := os.WriteFile(safetyDoc, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// usedKeys reports whether a catalog key is used by a page: named in the
// templates, or in the package's Go code. The consent labels ("use." and a
// vault.Use) are looked up by prefix.
func usedKeys(t *testing.T) func(string) bool {
	t.Helper()
	var src strings.Builder
	page, err := templateFS.ReadFile("templates/page.html")
	if err != nil {
		t.Fatal(err)
	}
	src.Write(page)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "messages") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	text := src.String()
	return func(key string) bool {
		if strings.HasPrefix(key, "use.") {
			return strings.Contains(text, `"use."`)
		}
		return strings.Contains(text, `"`+key+`"`)
	}
}
