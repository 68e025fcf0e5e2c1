package review

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"filippo.io/age"

	"testimony/vault"
)

// Summary is one line of a listing.
type Summary struct {
	ID          vault.ID
	Day         string // day she first sent it
	Additions   int    // times she came back and added something
	Attachments int
	Excerpt     string // the start of her account, on one line
}

// excerptRunes is how much of an account a listing shows.
const excerptRunes = 60

// List decrypts every submission far enough to summarise it.
func (w *Workspace) List(identities []age.Identity) ([]Summary, error) {
	items, err := w.Items()
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, it := range items {
		if it.N > 0 && len(out) > 0 && out[len(out)-1].ID == it.ID {
			out[len(out)-1].Additions++
		} else {
			out = append(out, Summary{ID: it.ID, Day: it.Day})
		}
		s := &out[len(out)-1]
		err := w.eachPart(it, identities, func(h vault.PartHeader, content io.Reader) error {
			switch h.Kind {
			case vault.KindAttachment:
				s.Attachments++
			case vault.KindText:
				if s.Excerpt == "" {
					s.Excerpt = excerpt(content)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func excerpt(r io.Reader) string {
	br := bufio.NewReader(io.LimitReader(r, excerptRunes*4))
	var b strings.Builder
	n := 0
	space := false
	for n < excerptRunes {
		c, _, err := br.ReadRune()
		if err != nil {
			break
		}
		if unicode.IsSpace(c) || !unicode.IsPrint(c) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(c)
		n++
	}
	return b.String()
}

// Show writes the decrypted account of submission id to out: her text, and
// a line for each attachment (attachments themselves are written out only
// on request).
func (w *Workspace) Show(id vault.ID, identities []age.Identity, out io.Writer) error {
	items, err := w.submission(id)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.N > 0 {
			fmt.Fprintf(out, "\n--- added on %s ---\n", it.Day)
		}
		err := w.eachPart(it, identities, func(h vault.PartHeader, content io.Reader) error {
			switch h.Kind {
			case vault.KindText:
				_, err := io.Copy(out, content)
				return err
			case vault.KindAttachment:
				_, err := fmt.Fprintf(out, "\n[attachment: %q, %s]\n", h.Name, h.Type)
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// eachPart decrypts the parts of an item in turn; fn gets the content as a
// stream and need not read it all. The ciphertexts were checked against
// their hashes at import.
func (w *Workspace) eachPart(it vault.Item, identities []age.Identity, fn func(vault.PartHeader, io.Reader) error) error {
	for i, p := range it.Parts {
		f, err := w.openObject(p)
		if err != nil {
			return err
		}
		h, content, err := vault.OpenPart(f, identities...)
		if err == nil {
			err = fn(h, content)
		}
		f.Close()
		if err != nil {
			return fmt.Errorf("review: submission %s, part %d: %w", it.ID, i+1, err)
		}
	}
	return nil
}
