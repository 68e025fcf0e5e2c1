// Command review is the reviewers' offline tool: it imports bundles from the
// intake server into a local workspace, verifies them, and decrypts
// testimony with identities that never touch the server. It never uses the
// network. Run "review -h" for usage.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"testimony/internal/cli"
	"testimony/review"
)

const usage = `Usage:
    review import -w WORKSPACE -i IDENTITY BUNDLE
    review list   -w WORKSPACE -i IDENTITY
    review show   -w WORKSPACE -i IDENTITY ID

import verifies BUNDLE (written by "intake export") and adds what is new in
it to WORKSPACE, creating the workspace if needed. It refuses a bundle that
is damaged, encrypted to other keys, from another server, out of order or
already imported, and then changes nothing.

list prints one submission a line: ID, day, attachments, the start of the
text. show prints submission ID's testimony on standard output.

-i IDENTITY is an age identity file; it may be given more than once.

EXIT STATUS
    0 on success, 1 on error, 2 on misuse.
`

type identityFlags []string

func (f *identityFlags) String() string     { return strings.Join(*f, ",") }
func (f *identityFlags) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	c := cli.New("review", usage)
	if len(os.Args) < 2 {
		c.Usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	switch cmd {
	case "import", "list", "show":
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		c.Unknown(cmd, "import", "list", "show")
	}
	fs := c.FlagSet(cmd)
	ws := fs.String("w", "", "workspace directory")
	fs.StringVar(ws, "workspace", "", "same as -w")
	var idFiles identityFlags
	fs.Var(&idFiles, "i", "age identity file")
	fs.Var(&idFiles, "identity", "same as -i")
	c.Parse(fs, args, map[string]int{"import": 1, "list": 0, "show": 1}[cmd])
	if *ws == "" || len(idFiles) == 0 {
		c.Misuse("%s needs -w WORKSPACE and -i IDENTITY", cmd)
	}
	ids, err := review.LoadIdentities(idFiles)
	if err != nil {
		c.Fatal(err, "")
	}
	_, statErr := os.Stat(*ws)
	created := cmd == "import" && os.IsNotExist(statErr)
	w, err := review.Open(*ws, cmd == "import")
	if errors.Is(err, review.ErrNoWorkspace) {
		c.Fatal(err, "import a bundle first: review import -w "+*ws+" -i IDENTITY BUNDLE")
	}
	if err != nil {
		c.Fatal(err, "")
	}
	defer w.Close()
	switch cmd {
	case "import":
		err = importBundle(w, ids, fs.Arg(0))
	case "list":
		err = list(w, ids)
	case "show":
		err = show(w, ids, fs.Arg(0))
	}
	if err != nil {
		w.Close()
		if created {
			os.RemoveAll(*ws) // a refused first import leaves nothing behind
		}
		c.Fatal(err, hint(err))
	}
}
