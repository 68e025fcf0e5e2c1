package deploytest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxExposure is the highest "systemd-analyze security" exposure level the
// services may have, in tenths (10 is 1.0, the top of "SAFE"). The units
// score 0.5 with systemd 252; a change that removes hardening shows here.
const maxExposure = "15"

// units copies the shipped units into a temporary directory with each
// ExecStart program replaced by a stub, since systemd-analyze verify
// refuses a unit whose program does not exist.
func units(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	stub := filepath.Join(dir, "stub")
	write(t, stub, 0o755, "#!/bin/sh\nexit 0\n")
	for _, name := range []string{"intake.service", "intake-export.service", "intake-export.timer"} {
		var b strings.Builder
		for _, line := range strings.SplitAfter(shipped(t, name), "\n") {
			if rest, ok := strings.CutPrefix(line, "ExecStart="); ok {
				prog, args, _ := strings.Cut(rest, " ")
				if !strings.HasPrefix(prog, "/usr/local/") {
					t.Errorf("%s: ExecStart=%s: install programs under /usr/local, as docs/deploy.md says", name, prog)
				}
				line = "ExecStart=" + stub + " " + args
			}
			b.WriteString(line)
		}
		write(t, filepath.Join(dir, name), 0o644, b.String())
	}
	return dir
}

// TestSystemdUnitsVerify: systemd-analyze verify accepts the units without
// a single complaint (it exits 0 even for unknown keys and bad values, so
// any line about our files fails the test), and rates both services'
// hardening at most maxExposure.
func TestSystemdUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd): the units cannot be checked")
	}
	dir := units(t)
	for _, name := range []string{"intake.service", "intake-export.service", "intake-export.timer"} {
		cmd := exec.Command(analyze, "verify", filepath.Join(dir, name))
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("systemd-analyze verify %s: %v\n%s", name, err, out)
			continue
		}
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "intake") {
				t.Errorf("systemd-analyze verify %s: %s", name, l)
			}
		}
	}

	for _, name := range []string{"intake.service", "intake-export.service"} {
		out, err := exec.Command(analyze, "security", "--offline=true", "--threshold="+maxExposure, filepath.Join(dir, name)).CombinedOutput()
		if bytes.Contains(out, []byte("unrecognized option")) {
			t.Logf("this systemd-analyze has no offline security review (systemd 250 or later has)")
			return
		}
		if err != nil {
			t.Errorf("systemd-analyze security %s: exposure above %s.%s: %v\n%s", name, maxExposure[:1], maxExposure[1:], err, out)
			continue
		}
		if i := bytes.LastIndex(out, []byte("Overall exposure level")); i >= 0 {
			t.Logf("%s", bytes.TrimSpace(out[i:]))
		}
	}
}

// TestAppArmorSnippetParses: the line for /etc/apparmor.d/local/system_tor
// is valid inside Debian's profile for tor. It needs apparmor_parser
// (Debian package apparmor) and tor's profile; the kernel need not have
// AppArmor, since nothing is loaded.
func TestAppArmorSnippetParses(t *testing.T) {
	parser, err := exec.LookPath("apparmor_parser")
	if err != nil {
		t.Skip("apparmor_parser is not installed (Debian package apparmor): the AppArmor snippet cannot be checked")
	}
	profile, err := os.ReadFile("/etc/apparmor.d/system_tor")
	if err != nil {
		t.Skip("Debian's AppArmor profile for tor is not installed (Debian package tor)")
	}
	dir := t.TempDir()
	local := filepath.Join(dir, "local_system_tor")
	write(t, local, 0o644, shipped(t, "apparmor-system_tor"))
	p := strings.Replace(string(profile), "#include <local/system_tor>", `#include "`+local+`"`, 1)
	if p == string(profile) {
		t.Fatal("Debian's tor profile no longer includes <local/system_tor>: update docs/deploy.md")
	}
	path := filepath.Join(dir, "system_tor")
	write(t, path, 0o644, p)
	out, err := exec.Command(parser, "--skip-kernel-load", "--skip-cache", "-I", "/etc/apparmor.d", path).CombinedOutput()
	if err != nil {
		t.Errorf("apparmor_parser: %v\n%s", err, out)
	}
}
