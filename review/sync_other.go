//go:build !linux

package review

import (
	"os"

	"testimony/internal/safefile"
	"testimony/vault"
)

// syncStaged makes the staged files durable, one fsync each.
func syncStaged(dir string, staged map[vault.Hash]string) error {
	for _, path := range staged {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return err
		}
	}
	return safefile.SyncDir(dir)
}
