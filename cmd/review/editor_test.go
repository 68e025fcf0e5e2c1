package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditNote runs a fake $EDITOR and checks the note comes back and its
// file, kept in memory-backed storage, is gone afterwards.
func TestEditNote(t *testing.T) {
	if _, err := memoryDir(); err != nil {
		t.Skip("no memory-backed directory here")
	}
	dir := t.TempDir()
	seen := filepath.Join(dir, "seen")
	editor := filepath.Join(dir, "editor")
	script := "#!/bin/sh\necho \"$1\" > " + seen + "\nprintf 'a note\\nline two\\n' > \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", editor)
	note, err := editNote()
	if err != nil {
		t.Fatal(err)
	}
	if note != "a note\nline two\n" {
		t.Fatalf("note %q", note)
	}
	path, _ := os.ReadFile(seen)
	p := strings.TrimSpace(string(path))
	if !inMemory(filepath.Dir(filepath.Dir(p))) {
		t.Errorf("the editor's file %s is not in memory-backed storage", p)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("the editor's file %s is still there", p)
	}

	t.Setenv("EDITOR", "")
	if _, err := editNote(); err == nil || !strings.Contains(err.Error(), "$EDITOR is not set") {
		t.Fatalf("no editor: %v", err)
	}
}
