package deploytest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha3"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/intake"
	"testimony/tests/harness"
)

// debianDefaults is the defaults file Debian's tor.service starts tor with.
const debianDefaults = "/usr/share/tor/tor-service-defaults-torrc"

// needTor skips the test when tor is not installed.
func needTor(t *testing.T) string {
	t.Helper()
	tor, err := exec.LookPath("tor")
	if err != nil {
		t.Skip("tor is not installed (Debian package \"tor\"; .ci/run installs it): the onion service tests cannot run")
	}
	return tor
}

// adaptTorrc returns the shipped torrc with its paths moved into dir: the
// onion service directory to dir/hs, the socket to dir/http.sock, and a
// DataDirectory dir/data. extra lines are appended.
func adaptTorrc(t *testing.T, dir string, extra ...string) (torrc, sock, hsDir string) {
	t.Helper()
	sock, hsDir = filepath.Join(dir, "http.sock"), filepath.Join(dir, "hs")
	var b strings.Builder
	for _, d := range torrcDirectives(shipped(t, "torrc")) {
		switch {
		case strings.EqualFold(d.key, "HiddenServiceDir"):
			d.value = hsDir
		case strings.EqualFold(d.key, "HiddenServicePort"):
			virt, _ := torSocket(t, []directive{d})
			d.value = virt + " unix:" + sock
		case strings.EqualFold(d.key, "DataDirectory"):
			continue
		}
		fmt.Fprintf(&b, "%s %s\n", d.key, d.value)
	}
	fmt.Fprintf(&b, "DataDirectory %s\n", filepath.Join(dir, "data"))
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String(), sock, hsDir
}

// TestTorrcVerifies: tor accepts the shipped torrc, together with Debian's
// service defaults when they and the debian-tor user are there (as root),
// and the effective configuration has no SOCKS port and has the onion
// service's defences on.
func TestTorrcVerifies(t *testing.T) {
	tor := needTor(t)
	dir := t.TempDir()
	args := []string{}
	withDefaults := false
	if _, err := os.Stat(debianDefaults); err == nil && os.Geteuid() == 0 {
		if u, err := user.Lookup("debian-tor"); err == nil {
			// Debian's defaults say "User debian-tor": tor checks that user
			// can own the data directory.
			withDefaults = true
			uid, _ := strconv.Atoi(u.Uid)
			gid, _ := strconv.Atoi(u.Gid)
			openPath(t, dir)
			data := filepath.Join(dir, "data")
			if err := os.Mkdir(data, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(data, uid, gid); err != nil {
				t.Fatal(err)
			}
			args = append(args, "--defaults-torrc", debianDefaults)
		}
	}
	if !withDefaults {
		t.Logf("checking the torrc alone: Debian's %s with the debian-tor user needs root and Debian's tor package", debianDefaults)
	}
	conf, _, _ := adaptTorrc(t, dir)
	path := filepath.Join(dir, "torrc")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, "-f", path)

	out, err := exec.Command(tor, append(args, "--verify-config")...).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("Configuration was valid")) {
		t.Fatalf("tor --verify-config: %v\n%s", err, out)
	}
	out, err = exec.Command(tor, append(args, "--dump-config", "full")...).Output()
	if err != nil {
		t.Fatalf("tor --dump-config: %v", err)
	}
	effective := torrcDirectives(string(out))
	if socks := lookup(effective, "SocksPort"); len(socks) != 1 || socks[0] != "0" {
		t.Errorf("effective SocksPort %q: the server's tor must offer no SOCKS port", socks)
	}
	for key, want := range map[string]string{
		"SafeLogging":                         "1",
		"HiddenServiceVersion":                "3",
		"HiddenServicePoWDefensesEnabled":     "1",
		"HiddenServiceMaxStreamsCloseCircuit": "1",
		"HiddenServiceNonAnonymousMode":       "0",
		"HiddenServiceSingleHopMode":          "0",
	} {
		if got := lookup(effective, key); len(got) != 1 || got[0] != want {
			t.Errorf("effective %s %q, want %s", key, got, want)
		}
	}
	if withDefaults {
		if got := lookup(effective, "User"); len(got) != 1 || got[0] != "debian-tor" {
			t.Errorf("effective User %q, want debian-tor (intake.tmpfiles relies on it)", got)
		}
	}
}

// openPath lets other users through dir and its parent (t.TempDir makes
// both 0700).
func openPath(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o711); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOnionServiceOffline runs a real tor with the shipped torrc (paths moved
// into a temporary directory, the network disabled) in front of a real
// intake server on the socket the torrc names. Tor must make a valid v3
// onion address, run with the proof-of-work defence and stream limits on,
// and intake must answer on the socket for that address, and refuse other
// Host names. Offline, tor cannot publish the descriptor or carry a
// visitor's stream: docs/deploy.md says how to check those by hand.
func TestOnionServiceOffline(t *testing.T) {
	tor := needTor(t)
	dir := t.TempDir()
	// tor makes a control socket only in a directory no one else can enter.
	ctl := filepath.Join(dir, "control")
	if err := os.Mkdir(ctl, 0o700); err != nil {
		t.Fatal(err)
	}
	conf, sock, hsDir := adaptTorrc(t, dir,
		"DisableNetwork 1",
		"Log notice file "+filepath.Join(dir, "tor.log"),
		"Log notice stdout", // for the test to wait on
		"ControlSocket "+filepath.Join(ctl, "socket"),
		"CookieAuthentication 1",
		"CookieAuthFile "+filepath.Join(ctl, "cookie"),
	)
	if len(sock) >= 104 {
		t.Skipf("temporary directory too deep for a unix socket path: %s", sock)
	}
	torrc := filepath.Join(dir, "torrc")
	if err := os.WriteFile(torrc, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tor, "--verify-config", "-f", torrc).CombinedOutput(); err != nil {
		t.Fatalf("tor --verify-config: %v\n%s", err, out)
	}

	torProc := harness.Command(t, tor, "-f", torrc).Start()
	// Tor writes the keys and hostname while it reads its configuration,
	// before its main loop starts bootstrapping, network or not; the
	// control socket is open by then too.
	torProc.WaitLine(`Bootstrapped 0% \(starting\)`)
	hostnameFile := filepath.Join(hsDir, "hostname")
	hostname, err := os.ReadFile(hostnameFile)
	if err != nil {
		t.Fatal(err)
	}
	onion := strings.TrimSpace(string(hostname))
	pub, err := os.ReadFile(filepath.Join(hsDir, "hs_ed25519_public_key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOnion(onion, pub); err != nil {
		t.Fatalf("hostname %q: %v", onion, err)
	}
	if info, err := os.Stat(filepath.Join(hsDir, "hs_ed25519_secret_key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the onion service's secret key: %v, mode %v; want 0600", err, info.Mode().Perm())
	}

	// The running tor has the service's options, not only a file that parses.
	opts := torGetconf(t, ctl, "HiddenServiceOptions")
	for _, want := range []string{
		"HiddenServicePort=80 unix:" + sock,
		"HiddenServicePoWDefensesEnabled=1",
		"HiddenServiceMaxStreams=20",
		"HiddenServiceMaxStreamsCloseCircuit=1",
	} {
		if !strings.Contains(opts, want+"\n") {
			t.Errorf("running tor lacks %s; GETCONF HiddenServiceOptions says:\n%s", want, opts)
		}
	}

	// intake on the socket tor points at, for that onion address only.
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	recipients := filepath.Join(dir, "recipients.txt")
	if err := os.WriteFile(recipients, []byte(id.Recipient().String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done, ready := make(chan error, 1), make(chan string, 1)
	go func() {
		done <- intake.Run(ctx, intake.RunOptions{
			DataDir: filepath.Join(dir, "intake"), RecipientsFile: recipients, Addr: "unix:" + sock,
			Server: intake.Config{Host: onion},
			Ready:  func(a string) { ready <- a }, Log: log.New(io.Discard, "", 0),
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("intake: %v", err)
		}
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("intake: %v", err)
	}
	c := unixClient(sock)
	resp, err := c.Get("http://" + onion + "/ko/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`class="exit"`)) {
		t.Errorf("GET http://%s/ko/ over %s: %d\n%.300s", onion, sock, resp.StatusCode, body)
	}
	resp, err = c.Get("http://someone-else.onion/ko/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("another Host: status %d, want 421", resp.StatusCode)
	}

	// Tor is still up, and said nothing wrong about the service.
	select {
	case <-torProc.Done():
		t.Fatalf("tor exited: %v", torProc.Wait())
	default:
	}
	for _, l := range lines(filepath.Join(dir, "tor.log")) {
		switch {
		case strings.Contains(l, "[err]"),
			strings.Contains(l, "[warn]") && (strings.Contains(l, "HiddenService") || strings.Contains(l, "onion") || strings.Contains(l, "PoW")):
			t.Errorf("tor: %s", l)
		case strings.Contains(l, "[warn]"):
			t.Logf("tor: %s", l)
		}
	}
}

// checkOnion checks a v3 onion address (rend-spec-v3: base32 of the public
// key, a two-byte checksum and the version byte 3) against the public key
// file tor wrote next to it.
func checkOnion(onion string, pubFile []byte) error {
	label, ok := strings.CutSuffix(onion, ".onion")
	if !ok || len(label) != 56 || strings.ToLower(label) != label {
		return errors.New("not 56 lowercase characters and .onion")
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(label))
	if err != nil || len(raw) != 35 {
		return fmt.Errorf("not base32 of 35 bytes: %v", err)
	}
	key, checksum, version := raw[:32], raw[32:34], raw[34]
	if version != 3 {
		return fmt.Errorf("version %d, want 3", version)
	}
	sum := sha3.Sum256(append(append([]byte(".onion checksum"), key...), 3))
	if !bytes.Equal(sum[:2], checksum) {
		return errors.New("checksum does not match")
	}
	const header = "== ed25519v1-public: type0 =="
	if len(pubFile) != 64 || !bytes.HasPrefix(pubFile, []byte(header)) || !bytes.Equal(pubFile[32:], key) {
		return errors.New("is not the key in hs_ed25519_public_key")
	}
	return nil
}

// torGetconf asks the tor whose control socket and cookie are in dir for
// key, and returns its "Key=value" lines.
func torGetconf(t *testing.T, dir, key string) string {
	t.Helper()
	cookie, err := os.ReadFile(filepath.Join(dir, "cookie"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("unix", filepath.Join(dir, "socket"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	r := bufio.NewReader(conn)
	reply := func(cmd string) string {
		fmt.Fprintf(conn, "%s\r\n", cmd)
		var out strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("tor control %s: %v", strings.Fields(cmd)[0], err)
			}
			line = strings.TrimRight(line, "\r\n")
			if !strings.HasPrefix(line, "250") {
				t.Fatalf("tor control %s: %s", strings.Fields(cmd)[0], line)
			}
			out.WriteString(line[4:] + "\n")
			if strings.HasPrefix(line, "250 ") {
				return out.String()
			}
		}
	}
	reply("AUTHENTICATE " + hex.EncodeToString(cookie))
	return reply("GETCONF " + key)
}
