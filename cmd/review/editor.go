package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"testimony/internal/interrupt"
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

// editorGrace is how long an interrupted editor has to end on the signal
// review passed on before it gets SIGTERM, and then SIGKILL.
const editorGrace = 2 * time.Second

// editorDirPrefix starts the name of every directory editText makes; the
// process ID follows, so a later run can tell one whose review is gone.
const editorDirPrefix = "review-edit-"

// editText opens initial in $VISUAL or $EDITOR and returns what the
// reviewer saved. The file lives in memory-backed storage (/dev/shm, or
// $XDG_RUNTIME_DIR), never on disk, in a directory of its own that is
// removed as soon as the file is read. Editors may keep their own swap or
// backup files next to it; those too are in memory, and removed with it.
//
// If review is interrupted meanwhile (SIGINT, SIGTERM, SIGHUP), the
// signal is passed on to the editor, review waits for it to end, removes
// the directory and exits, recording nothing. If review is killed, the
// next run removes the directory (removeEditorLeftovers).
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
	sub, err := os.MkdirTemp(dir, editorDirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(sub)
	path := filepath.Join(sub, what+"-"+hex.EncodeToString(suffix)+".txt")
	fields := strings.Fields(editor)
	cmd := exec.Command(fields[0], append(fields[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stderr, os.Stderr
	done := make(chan struct{})
	// A signal can come while the editor is being started (an editor that
	// stops review at once does this): the handler must then either see
	// it started, and stop it, or keep it from starting. startMu makes
	// the two exclusive.
	var (
		startMu           sync.Mutex
		started, stopping bool
	)
	remove := interrupt.OnInterrupt(func(sig os.Signal) {
		startMu.Lock()
		stopping = true
		running := started
		startMu.Unlock()
		if running {
			// The editor may have had a Ctrl-C of its own from the
			// terminal; a kill it has not. Either way it ends first, so
			// it writes nothing after the directory is gone. An editor
			// may ignore the signal (one started with SIGINT ignored
			// keeps it ignored), so SIGTERM follows, then SIGKILL.
			cmd.Process.Signal(sig)
			stop := time.AfterFunc(editorGrace, func() {
				cmd.Process.Signal(syscall.SIGTERM)
				time.AfterFunc(editorGrace, func() { cmd.Process.Kill() })
			})
			<-done
			stop.Stop()
		}
		os.RemoveAll(sub)
	})
	defer remove()
	if err := os.WriteFile(path, initial, 0o600); err != nil {
		return nil, err
	}
	startMu.Lock()
	if stopping {
		startMu.Unlock()
		select {} // the handler ends review with the signal's status
	}
	err = cmd.Start()
	started = err == nil
	startMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("the editor %q did not start (%v); nothing was recorded", fields[0], err)
	}
	err = cmd.Wait()
	close(done)
	if interrupt.Caught() {
		// The editor ended because review passed it the signal: the
		// handler removes its file and ends review with the signal's
		// status.
		select {}
	}
	if err != nil {
		return nil, fmt.Errorf("the editor %q failed (%v); nothing was recorded", fields[0], err)
	}
	return os.ReadFile(path)
}

// memoryDir returns a directory on a memory-backed file system, or an
// error rather than a directory on disk.
func memoryDir() (string, error) {
	for _, d := range memoryDirs() {
		return d, nil
	}
	return "", errors.New("no memory-backed directory (/dev/shm) for the editor's file: pipe the note in instead, e.g. review note … < note.txt")
}

func memoryDirs() []string {
	var out []string
	for _, d := range []string{os.Getenv("XDG_RUNTIME_DIR"), "/dev/shm"} {
		if d != "" && inMemory(d) {
			out = append(out, d)
		}
	}
	return out
}
