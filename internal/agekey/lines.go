package agekey

// Recipients files and identity files share one line format: one key a
// line, blank lines and lines starting with "#" ignored. Errors give the
// line number but never the line, which may be a secret.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Lines calls fn with each key line of r, trimmed, and its number. A line
// longer than maxLine bytes, or not valid UTF-8, is an error.
func Lines(r io.Reader, maxLine int, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxLine+1)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return fmt.Errorf("line %d is not valid UTF-8", n)
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("line %d is too long", n+1)
	}
	return sc.Err()
}
