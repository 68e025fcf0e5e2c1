package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"testimony/review"
)

// editNote lets the reviewer write a note in $VISUAL or $EDITOR.
func editNote() (string, error) {
	b, err := editText(nil, "note")
	if err != nil {
		return "", err
	}
	return review.ReadNote(bytes.NewReader(b))
}

// editText opens initial in $VISUAL or $EDITOR and returns what the
// reviewer saved. The file lives in memory-backed storage (/dev/shm, or
// $XDG_RUNTIME_DIR), never on disk, and is removed as soon as it is read.
// Editors may keep their own swap or backup files next to it; those too
// are in memory.
func editText(initial []byte, what string) ([]byte, error) {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		return nil, errors.New("standard input is a terminal and $EDITOR is not set: pipe the " + what + " in, e.g. review … < " + what + ".txt")
	}
	dir, err := memoryDir()
	if err != nil {
		return nil, err
	}
	suffix := make([]byte, 8)
	rand.Read(suffix)
	sub, err := os.MkdirTemp(dir, "review-"+what+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(sub)
	path := filepath.Join(sub, what+"-"+hex.EncodeToString(suffix)+".txt")
	if err := os.WriteFile(path, initial, 0o600); err != nil {
		return nil, err
	}
	fields := strings.Fields(editor)
	cmd := exec.Command(fields[0], append(fields[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, errors.New("the editor failed; nothing was recorded")
	}
	return os.ReadFile(path)
}

// memoryDir returns a directory on a memory-backed file system, or an
// error rather than a directory on disk.
func memoryDir() (string, error) {
	for _, d := range []string{os.Getenv("XDG_RUNTIME_DIR"), "/dev/shm"} {
		if d != "" && inMemory(d) {
			return d, nil
		}
	}
	return "", errors.New("no memory-backed directory (/dev/shm) for the editor's file: pipe the note in instead, e.g. review note … < note.txt")
}
