// Package deploytest checks the deployment files in docs/deploy against the
// programs they configure: tor parses the torrc and makes an onion address
// with it, offline; intake serves on the socket the torrc points at; the
// socket's permissions let tor's user in and no one else; systemd accepts
// the units and rates their hardening; the export script behaves as the
// timer needs. docs/deploy.md explains the files.
//
// The package has only tests. Tests that need tor, systemd-analyze,
// apparmor_parser or root skip with a message saying what is missing; .ci/run
// installs tor so that the onion test runs in CI.
package deploytest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"testimony/tests/harness"
)

func TestMain(m *testing.M) {
	// The socket test runs this binary again as another user, to knock on
	// the socket as tor would.
	if sock := os.Getenv("DEPLOYTEST_PROBE"); sock != "" {
		os.Exit(probe(sock))
	}
	harness.Main(m)
}

// probe GETs /en/ over the unix socket sock and prints the status code, or
// the error.
func probe(sock string) int {
	c := unixClient(sock)
	resp, err := c.Get("http://" + os.Getenv("DEPLOYTEST_HOST") + "/en/")
	if err != nil {
		fmt.Println(err)
		return 1
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	return 0
}

// unixClient is an HTTP client whose every connection goes to sock.
func unixClient(sock string) *http.Client {
	return &http.Client{
		Timeout: 20 * time.Second,
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}},
	}
}

// shipped returns the content of docs/deploy/name.
func shipped(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// directive is one "Key value" line of a torrc or "Key=value" line of a
// unit file, comments and blank lines left out.
type directive struct{ key, value string }

func torrcDirectives(text string) []directive {
	var ds []directive
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, " ")
		ds = append(ds, directive{k, strings.TrimSpace(v)})
	}
	return ds
}

func unitDirectives(text string) []directive {
	var ds []directive
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		ds = append(ds, directive{k, v})
	}
	return ds
}

// lookup returns the values of key, in order.
func lookup(ds []directive, key string) []string {
	var vs []string
	for _, d := range ds {
		if strings.EqualFold(d.key, key) {
			vs = append(vs, d.value)
		}
	}
	return vs
}

// one returns the single value of key, failing the test if there is not
// exactly one.
func one(t *testing.T, ds []directive, key string) string {
	t.Helper()
	vs := lookup(ds, key)
	if len(vs) != 1 {
		t.Fatalf("want one %s, have %q", key, vs)
	}
	return vs[0]
}

// flagValue returns the argument after flag in a command line.
func flagValue(t *testing.T, cmdline, flag string) string {
	t.Helper()
	f := strings.Fields(cmdline)
	for i := range len(f) - 1 {
		if f[i] == flag {
			return f[i+1]
		}
	}
	t.Fatalf("no %s in %q", flag, cmdline)
	return ""
}

// torSocket returns the unix socket the shipped torrc sends visitors to.
func torSocket(t *testing.T, torrc []directive) (virtPort, sock string) {
	t.Helper()
	port := one(t, torrc, "HiddenServicePort")
	virt, target, _ := strings.Cut(port, " ")
	sock, ok := strings.CutPrefix(target, "unix:")
	if !ok {
		t.Fatalf("HiddenServicePort %q does not point at a unix socket", port)
	}
	return virt, sock
}

// TestDeployFilesAgree holds the files in docs/deploy to one another: the
// socket tor connects to is the one intake listens on, in the directory
// tmpfiles makes for intake's user with tor's group, which the unit may
// write and AppArmor lets tor reach; the export job reads the same data
// directory the server writes.
func TestDeployFilesAgree(t *testing.T) {
	torrc := torrcDirectives(shipped(t, "torrc"))
	serve := unitDirectives(shipped(t, "intake.service"))
	export := unitDirectives(shipped(t, "intake-export.service"))
	_, sock := torSocket(t, torrc)

	execStart := one(t, serve, "ExecStart")
	if got := flagValue(t, execStart, "-addr"); got != "unix:"+sock {
		t.Errorf("intake.service listens on %s, torrc connects to unix:%s", got, sock)
	}
	if got := one(t, serve, "ReadWritePaths"); got != filepath.Dir(sock) {
		t.Errorf("intake.service may write %s, the socket is in %s", got, filepath.Dir(sock))
	}
	data := flagValue(t, execStart, "-data")
	if want := "/var/lib/" + one(t, serve, "StateDirectory"); data != want {
		t.Errorf("intake serve -data %s, but the unit's state directory is %s", data, want)
	}
	if got := one(t, serve, "StateDirectoryMode"); got != "0700" {
		t.Errorf("StateDirectoryMode=%s, want 0700 (the data directory's mode)", got)
	}

	tmp := strings.Fields(tmpfilesLine(t))
	if len(tmp) != 6 || tmp[0] != "d" {
		t.Fatalf("intake.tmpfiles: want one line \"d PATH MODE USER GROUP -\", have %q", tmp)
	}
	if tmp[1] != filepath.Dir(sock) || tmp[2] != "2750" || tmp[3] != one(t, serve, "User") || tmp[4] != "debian-tor" {
		t.Errorf("intake.tmpfiles makes %q; want %s 2750 owned by %s, group debian-tor", tmp, filepath.Dir(sock), one(t, serve, "User"))
	}

	aa := torrcDirectives(shipped(t, "apparmor-system_tor"))
	if len(aa) != 1 || aa[0].key != sock || aa[0].value != "rw," {
		t.Errorf("apparmor-system_tor: want %q, have %q", sock+" rw,", aa)
	}

	exportStart := strings.Fields(one(t, export, "ExecStart"))
	if len(exportStart) != 3 || filepath.Base(exportStart[0]) != "intake-export" || exportStart[1] != data {
		t.Errorf("intake-export.service runs %q; want intake-export %s OUTBOX", exportStart, data)
	}
	if !strings.Contains(one(t, export, "StateDirectory"), filepath.Base(data)) ||
		!strings.Contains(one(t, export, "StateDirectory"), filepath.Base(exportStart[2])) {
		t.Errorf("intake-export.service cannot write %s and %s", data, exportStart[2])
	}
	if one(t, export, "User") != one(t, serve, "User") {
		t.Errorf("the export job must run as intake's user, to reach its admin socket")
	}
}

// tmpfilesLine returns the one configuration line of intake.tmpfiles.
func tmpfilesLine(t *testing.T) string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(shipped(t, "intake.tmpfiles"), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("intake.tmpfiles: want one line, have %q", lines)
	}
	return lines[0]
}

// intakeBinary returns the intake binary, built once, in a directory
// every user may read.
func intakeBinary(t *testing.T) string {
	t.Helper()
	return harness.Intake.Path(t)
}

// intakeUsage returns what "intake -h" prints.
func intakeUsage(t *testing.T) string {
	t.Helper()
	out, err := exec.Command(intakeBinary(t), "-h").Output()
	if err != nil {
		t.Fatalf("intake -h: %v", err)
	}
	return string(out)
}

// TestUnitFlagsExist: every flag the units give intake is one intake
// documents, so a renamed flag cannot leave a unit that no longer starts.
func TestUnitFlagsExist(t *testing.T) {
	usage := intakeUsage(t)
	execStart := one(t, unitDirectives(shipped(t, "intake.service")), "ExecStart")
	f := strings.Fields(execStart)
	if len(f) < 2 || f[1] != "serve" {
		t.Fatalf("intake.service does not run intake serve: %q", execStart)
	}
	for _, arg := range f[2:] {
		if !strings.HasPrefix(arg, "-") {
			continue
		}
		if !regexp.MustCompile(`(?m)(^|\s|\[)` + regexp.QuoteMeta(arg) + `(\s|\]|$)`).MatchString(usage) {
			t.Errorf("intake.service passes %s, which \"intake -h\" does not list", arg)
		}
	}
	if !strings.Contains(usage, "intake export -data DIR -o BUNDLE") {
		t.Errorf("intake-export relies on \"intake export -data DIR -o BUNDLE\", which \"intake -h\" no longer lists")
	}
}

// lines returns the lines of a file, for error messages.
func lines(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var ls []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		ls = append(ls, s.Text())
	}
	return ls
}
