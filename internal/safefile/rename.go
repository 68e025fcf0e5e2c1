package safefile

import (
	"fmt"
	"os"
)

// renameChecked renames old to new after checking new does not exist: the
// last resort, on a file system with neither hard links nor a rename that
// refuses to replace. Another process could create new in between; the
// callers' outputs are in a directory the editor chose for them.
func renameChecked(old, new string) error {
	if _, err := os.Lstat(new); err == nil {
		return fmt.Errorf("%s: %w", new, os.ErrExist)
	}
	return os.Rename(old, new)
}
