package main

import (
	"errors"
	"fmt"
	"os"

	"filippo.io/age/plugin"
	"golang.org/x/term"
)

// The terminal is reached through /dev/tty, as age does, so prompts work
// while standard input and output carry data.

// readPassphrase asks for an identity file's passphrase on the terminal.
// Tests replace it.
var readPassphrase = func(file string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errors.New("no terminal to ask on")
	}
	defer tty.Close()
	fmt.Fprintf(tty, "Enter passphrase for identity file %q: ", file)
	pass, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", err
	}
	return string(pass), nil
}

// pluginUI lets plugins (hardware keys) show messages and ask for a PIN
// or a touch on the terminal.
func pluginUI() *plugin.ClientUI {
	say := func(format string, v ...any) { fmt.Fprintf(os.Stderr, "review: "+format+"\n", v...) }
	return plugin.NewTerminalUI(say, func(format string, v ...any) { say("warning: "+format, v...) })
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
