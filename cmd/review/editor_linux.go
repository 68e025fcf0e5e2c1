package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// tmpfsMagic is the statfs type of tmpfs (linux/magic.h), and ramfsMagic
// of ramfs.
const (
	tmpfsMagic = 0x01021994
	ramfsMagic = 0x858458f6
)

func inMemory(dir string) bool {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return false
	}
	return st.Type == tmpfsMagic || st.Type == ramfsMagic
}

// removeEditorLeftovers removes the editor directories of review
// processes that are gone: a review killed while the editor was open
// (SIGKILL, power loss cannot leave one in memory-backed storage, but a
// SIGKILL can).
func removeEditorLeftovers() {
	for _, d := range memoryDirs() {
		matches, _ := filepath.Glob(filepath.Join(d, editorDirPrefix+"*"))
		for _, m := range matches {
			pid, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(m), editorDirPrefix), "-")
			n, err := strconv.Atoi(pid)
			if !ok || err != nil || n <= 0 {
				continue
			}
			if st, err := os.Lstat(m); err != nil || !st.IsDir() || !ownedByMe(st) {
				continue
			}
			if syscall.Kill(n, 0) == syscall.ESRCH {
				os.RemoveAll(m)
			}
		}
	}
}

func ownedByMe(st os.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == os.Getuid()
}
