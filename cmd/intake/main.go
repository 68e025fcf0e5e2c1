// Command intake serves the survivor's form as a Tor onion service's
// backend and exports what it collected as bundles for the offline review
// machine. Run "intake -h" for usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"testimony/intake"
	"testimony/internal/cli"
	"testimony/vault"
)

const usage = `Usage:
    intake serve  -data DIR -recipients FILE [-addr HOST:PORT] [options]
    intake serve  -demo -data DIR [-addr HOST:PORT] [options]
    intake export -data DIR -o BUNDLE [-all]
    intake import-replies -data DIR FILE
    intake backup -data DIR -o FILE

serve runs the survivor's form on HOST:PORT (default 127.0.0.1:8080), or on
a unix socket with -addr unix:PATH, for a Tor onion service to point at. Every submission is encrypted with age to the
reviewers' public keys in FILE (one age recipient a line) and stored as
ciphertext in DIR. The server never holds a private key.

-demo makes a demo reviewer key in DIR/demo-reviewer.key and uses it. Anyone
with the machine can then read what is sent: never use it for real testimony.

serve options:
    -exit-url URL      where the quick-exit link goes (default a common,
                       harmless site)
    -help-dir DIR      the referral page's text: DIR/help.ko.txt,
                       help.zh.txt, help.en.txt (paragraphs separated by
                       blank lines), the organisation's contacts; without
                       -demo serve refuses to start until all three are
                       there, with no [[ ]] placeholder of the templates
                       in docs/deploy/help left
    -max-upload MB     total size of one submission's files (default 100)
    -quota MB          stop taking submissions and additions once the store
                       holds this much ciphertext; the file is larger by
                       bbolt's overhead (default 0: no quota)
    -host NAME         serve only requests for this Host (the .onion name)

export writes everything that arrived since the last export into BUNDLE, a
file encrypted to the reviewers, for the offline machine ("review import").
It works while serve is running on DIR. -all exports everything again.

import-replies stores the reviewers' replies from FILE (written by "review
reply"), for each survivor to read when she comes back with her receipt. It
refuses a file that is altered, made without this server's key, meant for
another server, or imported before, and then stores nothing. It works while
serve is running on DIR. FILE may be - for standard input.

backup writes a consistent copy of the store to FILE, encrypted to the
reviewers' keys, while serve keeps running. Restore it on a machine that
holds a reviewer key: age -d -i KEY FILE > DIR/store.db (docs/deploy.md).

EXIT STATUS
    0 on success, 1 on error, 2 on misuse.
`

func main() {
	c := cli.New("intake", usage)
	if len(os.Args) < 2 {
		c.Usage()
	}
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		serve(c, args)
	case "export":
		export(c, args)
	case "import-replies":
		importReplies(c, args)
	case "backup":
		backup(c, args)
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
	default:
		c.Unknown(cmd, "serve", "export", "import-replies", "backup")
	}
}

func serve(c *cli.CLI, args []string) {
	fs := c.FlagSet("serve")
	data := fs.String("data", "", "data directory")
	recipients := fs.String("recipients", "", "file of reviewer age recipients")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	demo := fs.Bool("demo", false, "use a demo reviewer key (never for real testimony)")
	exitURL := fs.String("exit-url", "", "quick-exit link target")
	helpDir := fs.String("help-dir", "", "directory of help.LANG.txt files")
	maxUpload := fs.Int64("max-upload", 100, "total MB of files per submission")
	quota := fs.Int64("quota", 0, "MB of ciphertext past which submissions are refused")
	host := fs.String("host", "", "the only Host header served")
	c.Parse(fs, args, 0)
	if *data == "" {
		c.Misuse("serve needs -data DIR")
	}
	if *demo && *recipients != "" {
		c.Misuse("-demo makes its own key: give -demo or -recipients, not both")
	}
	if *maxUpload < 1 {
		c.Misuse("-max-upload must be at least 1 (MB)")
	}
	help, err := intake.LoadHelp(*helpDir)
	if err != nil {
		c.Fatal(err, "")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = intake.Run(ctx, intake.RunOptions{
		DataDir: *data, RecipientsFile: *recipients, Addr: *addr, Demo: *demo, RequireHelp: true,
		Server: intake.Config{ExitURL: *exitURL, Help: help, MaxUploadBytes: *maxUpload << 20, MaxStoreBytes: *quota << 20, Host: *host},
	})
	if err != nil {
		c.Fatal(err, "")
	}
}

func export(c *cli.CLI, args []string) {
	fs := c.FlagSet("export")
	data := fs.String("data", "", "data directory")
	out := fs.String("o", "", "bundle file to write (must not exist)")
	fs.StringVar(out, "output", "", "same as -o")
	all := fs.Bool("all", false, "export everything again, not only what is new")
	c.Parse(fs, args, 0)
	if *data == "" || *out == "" {
		c.Misuse("export needs -data DIR and -o BUNDLE")
	}
	if *out == "-" {
		c.Misuse("a bundle is written to a file, not standard output: give -o FILE")
	}
	info, err := intake.Export(context.Background(), *data, *out, *all)
	switch {
	case errors.Is(err, vault.ErrNothingNew) && *all:
		c.Fatal(errors.New("nothing to export: no submission has arrived yet"), "")
	case errors.Is(err, vault.ErrNothingNew):
		c.Fatal(err, "nothing arrived since the last export; use -all to export everything again")
	case err != nil:
		c.Fatal(err, "")
	}
	fmt.Fprintf(os.Stderr, "intake: wrote %s: %d submission record(s), custody entries %d to %d\n", *out, info.Items, info.From, info.To)
}

func importReplies(c *cli.CLI, args []string) {
	fs := c.FlagSet("import-replies")
	data := fs.String("data", "", "data directory")
	c.Parse(fs, args, 1)
	if *data == "" {
		c.Misuse("import-replies needs -data DIR")
	}
	n, err := intake.ImportReplies(*data, fs.Arg(0))
	switch {
	case errors.Is(err, vault.ErrForged):
		c.Fatal(err, "the file was altered, or written for another intake server: do not use it; ask the reviewers for a new one")
	case errors.Is(err, vault.ErrReplayedReplies):
		c.Fatal(err, "nothing to do: these replies are already stored")
	case err != nil:
		c.Fatal(err, "")
	}
	fmt.Fprintf(os.Stderr, "intake: stored %d repl%s\n", n, map[bool]string{true: "y", false: "ies"}[n == 1])
}

func backup(c *cli.CLI, args []string) {
	fs := c.FlagSet("backup")
	data := fs.String("data", "", "data directory")
	out := fs.String("o", "", "backup file to write (must not exist)")
	fs.StringVar(out, "output", "", "same as -o")
	c.Parse(fs, args, 0)
	if *data == "" || *out == "" || *out == "-" {
		c.Misuse("backup needs -data DIR and -o FILE")
	}
	if err := intake.Backup(*data, *out); err != nil {
		c.Fatal(err, "")
	}
	fmt.Fprintf(os.Stderr, "intake: wrote %s, encrypted to the reviewers' keys\n", *out)
}
