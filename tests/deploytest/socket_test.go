package deploytest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"

	"testimony/tests/harness"
)

// Made-up IDs for intake's user and for a stranger on the machine.
const (
	intakeID   = 64321
	strangerID = 64322
)

// TestOnlyTorReachesTheSocket sets up the socket directory exactly as the
// shipped intake.tmpfiles says (through systemd-tmpfiles itself), starts the
// intake binary as its own user with the unit's UMask, and then knocks on
// the socket twice: as tor does after it drops root (user debian-tor, its
// primary group only, no supplementary groups), which must get the page;
// and as a stranger, who must be refused by the kernel.
func TestOnlyTorReachesTheSocket(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run intake and tor's stand-in as their own users")
	}
	torUser, err := user.Lookup("debian-tor")
	if err != nil {
		t.Skip("no debian-tor user (Debian's tor package makes it; .ci/run installs tor)")
	}
	tmpfiles, err := exec.LookPath("systemd-tmpfiles")
	if err != nil {
		t.Skip("systemd-tmpfiles is not installed (Debian package systemd)")
	}
	torUID, _ := strconv.Atoi(torUser.Uid)
	torGID, _ := strconv.Atoi(torUser.Gid)
	bin := intakeBinary(t)

	unit := unitDirectives(shipped(t, "intake.service"))
	umask := one(t, unit, "UMask")
	fields := strings.Fields(tmpfilesLine(t))
	sockDir, owner := fields[1], fields[3]
	_, sockPath := torSocket(t, torrcDirectives(shipped(t, "torrc")))

	dir := t.TempDir()
	openPath(t, dir)

	// A root directory for systemd-tmpfiles whose passwd names intake's user
	// and tor's group, so the shipped line is applied as written.
	root := filepath.Join(dir, "root")
	for _, d := range []string{"etc", strings.TrimPrefix(filepath.Dir(sockDir), "/")} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(root, "etc", "passwd"), 0o644, fmt.Sprintf(
		"root:x:0:0:root:/root:/bin/sh\n%s:x:%d:%d::/nonexistent:/usr/sbin/nologin\ndebian-tor:x:%d:%d::/var/lib/tor:/bin/false\n",
		owner, intakeID, intakeID, torUID, torGID))
	write(t, filepath.Join(root, "etc", "group"), 0o644, fmt.Sprintf(
		"root:x:0:\n%s:x:%d:\ndebian-tor:x:%d:\n", owner, intakeID, torGID))
	conf := filepath.Join(dir, "intake.conf")
	write(t, conf, 0o644, shipped(t, "intake.tmpfiles"))
	if out, err := exec.Command(tmpfiles, "--create", "--root="+root, conf).CombinedOutput(); err != nil {
		t.Fatalf("systemd-tmpfiles: %v\n%s", err, out)
	}
	made := filepath.Join(root, sockDir)
	info, err := os.Stat(made)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if info.Mode()&(os.ModePerm|os.ModeSetgid) != 0o750|os.ModeSetgid || st.Uid != intakeID || int(st.Gid) != torGID {
		t.Errorf("%s: mode %v, owner %d:%d; want setgid 0750, %d:%d", sockDir, info.Mode(), st.Uid, st.Gid, intakeID, torGID)
	}

	// intake's own files.
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(data, intakeID, intakeID); err != nil {
		t.Fatal(err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	recipients := filepath.Join(dir, "recipients.txt")
	write(t, recipients, 0o644, id.Recipient().String()+"\n")

	sock := filepath.Join(made, filepath.Base(sockPath))
	if len(sock) >= 104 {
		t.Skipf("temporary directory too deep for a unix socket path: %s", sock)
	}
	help := filepath.Join(dir, "help")
	if err := os.Mkdir(help, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"ko", "zh", "en"} {
		write(t, filepath.Join(help, "help."+l+".txt"), 0o644, "test organisation: 000\n")
	}
	serve := harness.Command(t, "/bin/sh", "-c", `umask "$1" && exec "$2" serve -data "$3" -recipients "$4" -addr "unix:$5" -help-dir "$6"`,
		"sh", umask, bin, data, recipients, sock, help)
	serve.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: intakeID, Gid: intakeID, Groups: []uint32{}}}
	p := serve.Start()
	defer func() {
		p.Signal(syscall.SIGTERM)
		p.Wait()
	}()
	p.WaitLine("serving on ")
	info, err = os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	st = info.Sys().(*syscall.Stat_t)
	if info.Mode().Perm() != 0o660 || st.Uid != intakeID || int(st.Gid) != torGID {
		t.Errorf("socket: mode %v, owner %d:%d; want 0660, %d:%d (group inherited from the directory)", info.Mode().Perm(), st.Uid, st.Gid, intakeID, torGID)
	}

	// The prober is this test binary, copied where every user may run it.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	prober := filepath.Join(dir, "probe")
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	write(t, prober, 0o755, string(b))
	knock := func(uid, gid int) string {
		cmd := exec.Command(prober)
		cmd.Env = append(os.Environ(), "DEPLOYTEST_PROBE="+sock, "DEPLOYTEST_HOST=localhost")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, io.Discard
		cmd.Run()
		return strings.TrimSpace(out.String())
	}
	if got := knock(torUID, torGID); got != "200" {
		t.Errorf("tor's user (no supplementary groups) GET /en/ over the socket: %q, want 200", got)
	}
	if got := knock(strangerID, strangerID); !strings.Contains(got, "permission denied") {
		t.Errorf("a stranger on the machine GET /en/ over the socket: %q, want permission denied", got)
	}
}

func write(t *testing.T, path string, mode os.FileMode, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
