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
    intake serve  -data DIR -recipients FILE [-addr HOST:PORT]
    intake serve  -demo -data DIR [-addr HOST:PORT]
    intake export -data DIR -o BUNDLE [-all]

serve runs the survivor's form on HOST:PORT (default 127.0.0.1:8080), for a
Tor onion service to point at. Every submission is encrypted with age to the
reviewers' public keys in FILE (one age recipient a line) and stored as
ciphertext in DIR. The server never holds a private key.

-demo makes a demo reviewer key in DIR/demo-reviewer.key and uses it. Anyone
with the machine can then read what is sent: never use it for real testimony.

export writes everything that arrived since the last export into BUNDLE, a
file encrypted to the reviewers, for the offline machine ("review import").
It works while serve is running on DIR. -all exports everything again.

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
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
	default:
		c.Unknown(cmd, "serve", "export")
	}
}

func serve(c *cli.CLI, args []string) {
	fs := c.FlagSet("serve")
	data := fs.String("data", "", "data directory")
	recipients := fs.String("recipients", "", "file of reviewer age recipients")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	demo := fs.Bool("demo", false, "use a demo reviewer key (never for real testimony)")
	c.Parse(fs, args, 0)
	if *data == "" {
		c.Misuse("serve needs -data DIR")
	}
	if *demo && *recipients != "" {
		c.Misuse("-demo makes its own key: give -demo or -recipients, not both")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := intake.Run(ctx, intake.RunOptions{DataDir: *data, RecipientsFile: *recipients, Addr: *addr, Demo: *demo})
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
