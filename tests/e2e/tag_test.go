package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"testimony/intake"
	"testimony/tests/vaulttest"
)

// A P-256 tag recipient, as age-plugin-yubikey prints for age 1.3 (made
// for these tests; internal/agekey's tests hold the same one).
const tagRecipient = "age1tag1qgws0ejffz5h8mpslpl54yu3mgs3n0qk8z7a5jlm5606nuhre464j35fwes"

// TestTagTeamTakesSubmissions: a team with a hardware key's tag recipient
// beside an X25519 key. age encrypts to a tag recipient itself, with no
// plugin binary, so the server must too: it starts with the file, a
// submission sent through the form is stored and its receipt shown, and
// the X25519 reviewer reads it from the bundle. The age command encrypts
// to the same file, where it is installed: what age can encrypt to here,
// the intake can.
func TestTagTeamTakesSubmissions(t *testing.T) {
	root := t.TempDir()
	id := vaulttest.Identity(t)
	recFile := filepath.Join(root, "recipients.txt")
	team := "# Ji-yeon\n" + id.Recipient().String() + "\n# Mi-ran, a hardware key\n" + tagRecipient + "\n"
	if err := os.WriteFile(recFile, []byte(team), 0o600); err != nil {
		t.Fatal(err)
	}
	age, ageErr := exec.LookPath("age")
	t.Setenv("PATH", t.TempDir()) // no age-plugin-* of any kind

	t.Run("age", func(t *testing.T) {
		if ageErr != nil {
			t.Skip("needs age 1.3's age command: go install filippo.io/age/cmd/...@v1.3.2, as .ci/run does")
		}
		cmd := exec.Command(age, "-R", recFile, "-o", filepath.Join(root, "check.age"))
		cmd.Stdin = strings.NewReader("a check\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("age -R with a tag recipient and no plugin: %v\n%s", err, out)
		}
	})

	data := filepath.Join(root, "data")
	srv := startServer(t, data, recFile)
	submit(t, srv.url, "ko", "하드웨어 열쇠가 있는 팀에게 보냅니다")
	bundle := filepath.Join(root, "bundle.age")
	if _, err := intake.Export(context.Background(), data, bundle, false); err != nil {
		t.Fatal(err)
	}
	srv.stop()
	if texts := readAllTexts(t, bundle, id); len(texts) != 1 || texts[0] != "하드웨어 열쇠가 있는 팀에게 보냅니다" {
		t.Errorf("the bundle's texts: %q", texts)
	}
}
