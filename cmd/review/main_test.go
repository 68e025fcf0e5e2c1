package main

import (
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"testimony/tests/clitest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"review": func() {
			// Scripts have no terminal: they give an identity file's
			// passphrase in the environment. Only the test binary reads it.
			if p, ok := os.LookupEnv("REVIEW_TEST_PASSPHRASE"); ok {
				readPassphrase = func(string) (string, error) {
					if p == "" {
						return "", errors.New("no terminal to ask on")
					}
					return p, nil
				}
			}
			main()
		},
		"age-plugin-stub": func() { os.Exit(clitest.StubPlugin()) },
	})
}

// TestScript runs the scripts in testdata, one behaviour each. They run the
// real review command, and the real intake command built once for them, so
// bundles come from "intake export" exactly as reviewers receive them.
// age-plugin-stub is a plugin speaking the real protocol (clitest.StubPlugin).
//
// Extra commands: see clitest.Commands and clitest.FormCommands.
func TestScript(t *testing.T) {
	bin := buildIntake(t)
	cmds := clitest.Commands()
	maps.Copy(cmds, clitest.FormCommands())
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(e *testscript.Env) error {
			e.Setenv("PATH", bin+string(filepath.ListSeparator)+e.Getenv("PATH"))
			return nil
		},
		Cmds:                cmds,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// buildIntake builds cmd/intake into a temporary directory and returns it.
func buildIntake(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is not on PATH: %v", err)
	}
	dir := t.TempDir()
	name := "intake"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	out, err := exec.Command(goTool, "build", "-o", filepath.Join(dir, name), "testimony/cmd/intake").CombinedOutput()
	if err != nil {
		t.Fatalf("building intake: %v\n%s", err, out)
	}
	return dir
}
