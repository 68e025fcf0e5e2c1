package main

import "syscall"

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
