//go:build !linux

package safefile

import "os"

func openAnonymous(string) (*os.File, error) { return nil, errNoAnonymous }

func linkAnonymous(*os.File, string) error { return errNoAnonymous }

func renameNoReplace(old, new string) error { return renameChecked(old, new) }
