package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The documents whose citations are checked: each names the tests that
// show its promises, and the files it relies on.
var citing = []string{
	"../THREAT_MODEL.md",
	"deploy.md",
	"survivor-safety.md",
	"reference.md",
}

var (
	citedTest = regexp.MustCompile("`((?:Test|Fuzz|Benchmark)[A-Z][A-Za-z0-9_]*)`")
	citedPath = regexp.MustCompile("`((?:cmd|intake|vault|review|internal|docs)/[A-Za-z0-9_./-]+)`")
	testFunc  = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)\(`)
)

// TestCitationsExist: every test function THREAT_MODEL.md and these docs
// cite ("shown by `TestEndToEnd`") is defined in the module, and every
// repository path they cite exists, so a renamed or deleted test cannot
// leave a promise that nothing shows.
func TestCitationsExist(t *testing.T) {
	defined := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(b), -1) {
			defined[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range citing {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range citedTest.FindAllStringSubmatch(string(b), -1) {
			if !defined[m[1]] {
				t.Errorf("%s cites %s, which no test file defines", doc, m[1])
			}
		}
		for _, m := range citedPath.FindAllStringSubmatch(string(b), -1) {
			p := strings.TrimSuffix(m[1], "/")
			if strings.ContainsAny(p, "*<>") {
				continue
			}
			if _, err := os.Stat(filepath.Join("..", p)); err != nil {
				t.Errorf("%s cites %s, which does not exist", doc, m[1])
			}
		}
	}
}
