package intake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// helpPlaceholder opens a placeholder in the help templates of
// docs/deploy/help: text the organisation must replace with its own.
const helpPlaceholder = "[["

// CheckHelp reports whether help, as LoadHelp read it, holds a text for
// every language of the form and none still holds a template placeholder.
// Without its own texts the page would show her a general one, with no
// contact to reach: a real server must not start so (issue 17).
func CheckHelp(help map[string]string) error {
	for _, l := range languages {
		text, ok := help[string(l)]
		file := "help." + string(l) + ".txt"
		switch {
		case !ok || strings.TrimSpace(text) == "":
			return fmt.Errorf("no %s in -help-dir: write the organisation's contacts in help.ko.txt, help.zh.txt and help.en.txt, starting from the templates in docs/deploy/help (only -demo starts without them)", file)
		case strings.Contains(text, helpPlaceholder) || strings.Contains(text, "]]"):
			return fmt.Errorf("%s still holds the template's [[ ]] placeholders: write the organisation's own contacts in their place", file)
		}
	}
	return nil
}

// LoadHelp reads the referral page's texts from dir: help.ko.txt,
// help.zh.txt and help.en.txt, each optional. An empty dir means none.
func LoadHelp(dir string) (map[string]string, error) {
	help := map[string]string{}
	if dir == "" {
		return help, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	for _, l := range languages {
		b, err := os.ReadFile(filepath.Join(dir, "help."+string(l)+".txt"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(b) > 64<<10 || !utf8.Valid(b) {
			return nil, fmt.Errorf("%s: a help text is UTF-8 and at most 64 KiB", filepath.Join(dir, "help."+string(l)+".txt"))
		}
		help[string(l)] = string(b)
	}
	return help, nil
}

func (s *Server) helpLines(l lang) []string {
	text, ok := s.cfg.Help[string(l)]
	var lines []string
	if !ok {
		// Only a demonstration server (or a test) gets here: intake serve
		// refuses to start without the organisation's texts (CheckHelp).
		text = l.text("helpDefault")
		if s.cfg.Demo {
			lines = append(lines, l.text("helpDemo"))
		}
	}
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			lines = append(lines, p)
		}
	}
	return lines
}
