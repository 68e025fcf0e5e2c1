package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"testimony/internal/clitest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"review": main})
}

// TestScript runs the scripts in testdata, one behaviour each. They run the
// real review command, and the real intake command built once for them, so
// bundles come from "intake export" exactly as reviewers receive them.
//
// Extra commands: see clitest.Commands.
func TestScript(t *testing.T) {
	bin := buildIntake(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(e *testscript.Env) error {
			e.Setenv("PATH", bin+string(filepath.ListSeparator)+e.Getenv("PATH"))
			return nil
		},
		Cmds:                clitest.Commands(),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// buildIntake builds cmd/intake into a temporary directory and returns it.
func buildIntake(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
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
