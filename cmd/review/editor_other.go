//go:build !linux

package main

// inMemory cannot tell a memory-backed file system here, so it says no:
// the note must be piped in.
func inMemory(dir string) bool { return false }

// removeEditorLeftovers has nothing to do: no editor file is ever made
// here.
func removeEditorLeftovers() {}
