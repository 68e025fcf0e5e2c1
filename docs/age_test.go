package docs

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"testimony/tests/harness"
	"testimony/tests/vaulttest"
)

// TestPostQuantumTeamWithAgeCommands follows reviewer.md's "Post-quantum"
// keys with age 1.3's own commands: keys made with age-keygen -pq, a team
// file of what age-keygen -y prints, which intake serve accepts (and a
// team mixing them with a classic key, which serve refuses at start in
// review init's words); the bundle intake export writes is an age file the
// age command decrypts with a team key, as formats.md says; and review
// imports and reads it with the other one.
func TestPostQuantumTeamWithAgeCommands(t *testing.T) {
	g := newGuideRun(t)
	needAgeKeygen(t)
	if _, err := exec.LookPath("age"); err != nil {
		t.Skip("needs age 1.3's age command, as the guides do: go install filippo.io/age/cmd/...@v1.3.2, as .ci/run does")
	}
	g.sh("age-keygen -pq -o miran.key")
	g.sh("age-keygen -pq -o hyejin.key")
	g.sh("age-keygen -o jiyeon.key")
	g.sh("mkdir -m 700 server mixed && age-keygen -y miran.key > team.txt && age-keygen -y hyejin.key >> team.txt")
	g.sh("cp team.txt server/recipients.txt && cp team.txt mixed.txt && age-keygen -y jiyeon.key >> mixed.txt")
	for _, f := range []string{"miran.key", "team.txt"} {
		if b := mustRead(t, filepath.Join(g.dir, f)); !strings.Contains(b, "AGE-SECRET-KEY-PQ-1") && !strings.Contains(b, "age1pq1") {
			t.Fatalf("age-keygen -pq made no post-quantum key in %s:\n%s", f, b)
		}
	}

	help := g.helpDir()

	// A mixed team: serve refuses to start, in review init's words.
	_, serveErr := g.try("intake serve -data mixed -recipients mixed.txt -help-dir help -addr 127.0.0.1:0")
	_, initErr := g.try("review init -w mixedws -r mixed.txt")
	const words = "these recipients cannot be used together"
	if serveErr == nil || initErr == nil || !strings.Contains(serveErr.Error(), words) || !strings.Contains(initErr.Error(), words) {
		t.Fatalf("a team mixing age-keygen -pq and age-keygen keys: want serve and init refused with %q\nserve: %v\ninit: %v", words, serveErr, initErr)
	}

	c := harness.Intake.Command(t, "serve", "-data", "server", "-recipients", "team.txt", "-help-dir", help, "-addr", "127.0.0.1:0")
	c.Dir = g.dir
	p, _ := harness.Serve(c)
	p.Signal(syscall.SIGTERM)
	p.Wait()
	g.id = g.store("server", vaulttest.Text("kept safe from quantum computers"))
	g.sh("intake export -data server -o bundle.age")

	plain := g.sh("age -d -i miran.key bundle.age")
	if !strings.HasPrefix(plain, "testimony-bundle/") || !strings.Contains(plain, "\nitems 1\n") {
		t.Errorf("age -d of the bundle: want a testimony-bundle with one item, got %.200q", plain)
	}
	if strings.Contains(plain, "kept safe from quantum computers") {
		t.Error("the bundle's plaintext holds her text: each part must stay sealed to the team inside it")
	}

	g.sh("review init -w ws -r team.txt")
	g.sh("review import -w ws -i hyejin.key bundle.age")
	if out := g.sh("review show -w ws -i miran.key " + string(g.id)); !strings.Contains(out, "kept safe from quantum computers") {
		t.Errorf("review show with an age-keygen -pq key:\n%s", out)
	}
}
