package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"testimony/tests/clitest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"intake": main})
}

// TestScript runs the scripts in testdata, one behaviour each, against the
// real intake command.
//
// Extra commands: see clitest.Commands.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		Cmds:                clitest.Commands(),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}
