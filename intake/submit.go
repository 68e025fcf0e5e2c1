package intake

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"testimony/vault"
)

// formError is a failure she can do something about; key names the
// message she sees.
type formError struct {
	status int
	key    string
}

func (e *formError) Error() string { return e.key }

var (
	errEmpty     = &formError{http.StatusUnprocessableEntity, "errEmpty"}
	errTooLarge  = &formError{http.StatusRequestEntityTooLarge, "errTooLarge"}
	errMalformed = &formError{http.StatusBadRequest, "errMalformed"}
	errEncoding  = &formError{http.StatusBadRequest, "errEncoding"}
)

// submit streams the form into the store. Each part goes from the request
// body through the age encryptor straight into the store: the body is never
// parsed with ParseMultipartForm, which would spill plaintext to temp files.
// The receipt is rendered only after Commit has returned.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	l, _ := parseLang(chi.URLParam(r, "lang"))
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxTextBytes+maxFormOverhead)
	sub := s.cfg.Store.Begin(s.cfg.Recipients)
	defer sub.Abort()

	if err := s.readForm(r, sub); err != nil {
		var fe *formError
		if errors.As(err, &fe) {
			s.fail(w, l, fe.status, fe.key)
			return
		}
		s.cfg.Log.Printf("submission not stored: %v", err)
		s.fail(w, l, http.StatusInternalServerError, "errStore")
		return
	}
	receipt := newReceipt()
	norm, _ := normalizeReceipt(receipt)
	keys, err := s.pool.derive(r.Context(), norm)
	if errors.Is(err, errBusy) {
		s.fail(w, l, http.StatusServiceUnavailable, "errBusy")
		return
	}
	if err != nil {
		s.fail(w, l, http.StatusServiceUnavailable, "errBusy")
		return
	}
	if _, err := sub.Commit(keys.tag); err != nil {
		s.cfg.Log.Printf("submission not stored: %v", err)
		s.fail(w, l, http.StatusInternalServerError, "errStore")
		return
	}
	s.render(w, http.StatusOK, "receipt", pageData{Lang: l, Receipt: receipt})
}

// readForm reads the multipart body part by part.
func (s *Server) readForm(r *http.Request, sub *vault.Submission) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return errMalformed
	}
	haveText := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return bodyError(err)
		}
		switch p.FormName() {
		case "testimony":
			if haveText {
				return errMalformed
			}
			haveText = true
			if err := s.readText(p, sub); err != nil {
				return err
			}
		default:
			return errMalformed
		}
	}
	if !haveText {
		return errEmpty
	}
	return nil
}

func (s *Server) readText(p *multipart.Part, sub *vault.Submission) error {
	pw, err := sub.CreatePart(vault.PartHeader{Kind: vault.KindText})
	if err != nil {
		return err
	}
	v := &textCheck{w: pw}
	n, err := io.Copy(v, io.LimitReader(p, s.cfg.MaxTextBytes+1))
	if err != nil {
		return bodyError(err)
	}
	if n > s.cfg.MaxTextBytes {
		return errTooLarge
	}
	if err := v.finish(); err != nil {
		return err
	}
	return pw.Close()
}

// bodyError turns a failure reading the request body into what she sees.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errTooLarge
	}
	var fe *formError
	if errors.As(err, &fe) {
		return fe
	}
	return errMalformed
}

// textCheck passes text through while checking that it is valid UTF-8
// without NUL bytes, across write boundaries, and that it is not blank.
type textCheck struct {
	w        io.Writer
	carry    []byte // an incomplete rune from the end of the last write
	nonBlank bool
}

func (t *textCheck) Write(p []byte) (int, error) {
	b := p
	if len(t.carry) > 0 {
		b = append(t.carry, p...)
		t.carry = nil
	}
	// Hold back an incomplete rune at the end for the next write.
	end := len(b)
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		if c := b[len(b)-k]; c >= utf8.RuneSelf {
			if utf8.RuneStart(c) {
				if !utf8.FullRune(b[len(b)-k:]) {
					end = len(b) - k
				}
				break
			}
		} else {
			break
		}
	}
	whole := b[:end]
	if !utf8.Valid(whole) || bytes.IndexByte(whole, 0) >= 0 {
		return 0, errEncoding
	}
	if !t.nonBlank {
		t.nonBlank = strings.TrimFunc(string(whole), unicode.IsSpace) != ""
	}
	if end < len(b) {
		t.carry = append([]byte(nil), b[end:]...)
	}
	if _, err := t.w.Write(whole); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (t *textCheck) finish() error {
	if len(t.carry) > 0 {
		return errEncoding
	}
	if !t.nonBlank {
		return errEmpty
	}
	return nil
}
