package intake

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"testimony/vault"
)

const (
	// maxFormOverhead bounds what a form adds to her text and files:
	// multipart boundaries and part headers, and the small fields.
	maxFormOverhead = 256 << 10
	// maxSmallField bounds one answer, consent or token field.
	maxSmallField = 256
	// maxSmallFields bounds how many such fields a form may have: the form
	// has about thirty.
	maxSmallFields = 100
	// maxFileName bounds a file name as kept (encrypted) with its file.
	maxFileName = 200
	// maxMediaType bounds the media type kept with a file.
	maxMediaType = 100
)

// maxSmallForm bounds the URL-encoded forms (check, return, withdraw,
// status, finish): a receipt, a token and a few checkboxes. They are parsed
// in memory; only multipart bodies could spill to temp files, and those are
// never parsed whole.
const maxSmallForm = 8 << 10

// smallForm parses a small URL-encoded form, or reports false.
func smallForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxSmallForm)
	err := r.ParseForm()
	bodyRead(w, err)
	return err == nil
}

// smallPost reads the page's language and a small form, or answers with
// the error page and reports false.
func (s *Server) smallPost(w http.ResponseWriter, r *http.Request) (lang, bool) {
	l, _ := parseLang(chi.URLParam(r, "lang"))
	if !smallForm(w, r) {
		s.failWith(w, l, errMalformed, "")
		return l, false
	}
	return l, true
}

// spendSmallPost reads a small form and spends its single-use token of
// the given purpose; a token already spent or expired gets errExpired.
func (s *Server) spendSmallPost(w http.ResponseWriter, r *http.Request, purpose string) (l lang, formID [16]byte, ok bool) {
	l, ok = s.smallPost(w, r)
	if !ok {
		return l, formID, false
	}
	formID, st := s.forms.spend(r.PostForm.Get("n"), purpose)
	if st != tokenOK {
		s.render(w, http.StatusConflict, "error", pageData{Lang: l, Error: "errExpired"})
		return l, formID, false
	}
	return l, formID, true
}

func (s *Server) maxBody() int64 {
	return s.cfg.MaxTextBytes + s.cfg.MaxUploadBytes + maxFormOverhead
}

// formResult is what readForm found besides the streamed parts.
type formResult struct {
	text     bool              // she wrote something
	textPart *vault.PartWriter // the part her account is in, still open
	files    int
	answers  answerFields
	token    string // her visit, on a return visit's forms
	form     string // the form's single-use token
}

// readForm reads a multipart body part by part. Text and files are
// streamed into the submission begin returns, which is called at the first
// part with content, with the visit and form tokens seen so far (the forms
// put them first). withQuestions allows the guided questions and consent
// fields, and leaves the part her account went into open (textPart) for
// writeFormParts; without, that part is closed.
func (s *Server) readForm(r *http.Request, begin func(token, form string) (*vault.Submission, error), withQuestions bool, keep *textCopy) (*formResult, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errMalformed
	}
	res := &formResult{}
	var sub *vault.Submission
	current := func() (*vault.Submission, error) {
		if sub == nil {
			var err error
			if sub, err = begin(res.token, res.form); err != nil {
				sub = nil
				return nil, err
			}
		}
		return sub, nil
	}
	var uploaded int64
	small := 0
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err)
		}
		switch name := p.FormName(); {
		case name == "testimony":
			if res.textPart != nil || res.text {
				return nil, errMalformed
			}
			if res.text, res.textPart, err = s.readText(p, current, keep); err != nil {
				return nil, err
			}
		case name == "files":
			n, err := s.readFile(p, current, s.cfg.MaxUploadBytes-uploaded)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				uploaded += n
				if res.files++; res.files > s.cfg.MaxFiles {
					return nil, errTooMany
				}
			} else if small++; small > maxSmallFields {
				// A file input left empty is a small field: the form
				// sends one or two, a flood of them is refused.
				return nil, errTooManyFields
			}
		default:
			if small++; small > maxSmallFields {
				return nil, errTooManyFields
			}
			v, err := readSmall(p)
			if err != nil {
				return nil, err
			}
			switch {
			case name == "t" && res.token == "" && sub == nil:
				res.token = v
			case name == "n" && res.form == "" && sub == nil:
				res.form = v
			case withQuestions && res.answers.set(name, v):
			default:
				return nil, errMalformed
			}
		}
	}
	if !res.text && res.files == 0 {
		return nil, errEmpty
	}
	if !withQuestions && res.textPart != nil {
		// Nothing more goes with her account.
		if err := res.textPart.Close(); err != nil {
			return nil, err
		}
		res.textPart = nil
	}
	return res, nil
}

func readSmall(p *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, maxSmallField+1))
	if err != nil {
		return "", bodyError(err)
	}
	if len(b) > maxSmallField || !utf8.Valid(b) {
		return "", errMalformed
	}
	return string(b), nil
}

// readText streams her account into a text part, and leaves the part open
// for the sections that go with it. A box left empty stores nothing and
// reports false.
func (s *Server) readText(p *multipart.Part, current func() (*vault.Submission, error), keep *textCopy) (bool, *vault.PartWriter, error) {
	head := make([]byte, 4096)
	n, err := io.ReadFull(p, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, nil, bodyError(err)
	}
	head = head[:n]
	if n < len(head) && utf8.Valid(head) && strings.TrimFunc(string(head), unicode.IsSpace) == "" {
		return false, nil, nil
	}
	var to io.Writer
	var pw *vault.PartWriter
	sub, refused := current()
	switch {
	case refused == nil:
		if pw, err = sub.CreatePart(vault.PartHeader{Kind: vault.KindText}); err != nil {
			return false, nil, err
		}
		to = pw
	case keep != nil && keep.readAnyway != nil && keep.readAnyway(refused):
		// Read only to give it back with the refusal.
		to = io.Discard
	default:
		return false, nil, refused
	}
	v := &textCheck{w: to}
	if keep != nil {
		v.w = io.MultiWriter(to, keep)
	}
	total, err := io.Copy(v, io.LimitReader(io.MultiReader(bytes.NewReader(head), p), s.cfg.MaxTextBytes+1))
	if err != nil {
		return false, nil, bodyError(err)
	}
	if total > s.cfg.MaxTextBytes {
		return false, nil, errTooLarge
	}
	if refused != nil {
		return false, nil, refused
	}
	if err := v.finish(); err != nil && err != errEmpty {
		return false, nil, err
	}
	return v.nonBlank, pw, nil
}

// readFile streams one attachment into its own part, at most limit bytes.
// A file input left empty sends a part with no content: it stores nothing
// and reports 0.
func (s *Server) readFile(p *multipart.Part, current func() (*vault.Submission, error), limit int64) (int64, error) {
	var first [1]byte
	if n, err := io.ReadFull(p, first[:]); n == 0 {
		if err == io.EOF {
			return 0, nil
		}
		return 0, bodyError(err)
	}
	sub, err := current()
	if err != nil {
		return 0, err
	}
	h := vault.PartHeader{Kind: vault.KindAttachment, Name: cleanFileName(p.FileName()), Type: cleanMediaType(p.Header.Get("Content-Type"))}
	pw, err := sub.CreatePart(h)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(pw, io.LimitReader(io.MultiReader(bytes.NewReader(first[:]), p), limit+1))
	if err != nil {
		return 0, bodyError(err)
	}
	if n > limit {
		return 0, errTooLarge
	}
	return n, pw.Close()
}

// cleanFileName keeps the last element of a file name as her device sent
// it, valid UTF-8, without control characters, cut to maxFileName bytes. It
// is stored only encrypted; the editor's export checks it again.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	for len(name) > maxFileName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

func cleanMediaType(t string) string {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil || len(mt) > maxMediaType {
		return "application/octet-stream"
	}
	return mt
}

// textCheck passes text through while checking that it is valid UTF-8
// without NUL bytes, across write boundaries, and whether it is blank.
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
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				end = len(b) - k
			}
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

// maxGiveBack bounds the copy of her text kept to give back on a refusal,
// and giveBackBudget all such copies together: past either, the refusal
// says her text could not be kept, and what to do.
const (
	maxGiveBack    = 512 << 10
	giveBackBudget = 64 << 20
)

// textCopy keeps what she wrote, in memory, while a request is read, so a
// refusal can give it back; release wipes it.
type textCopy struct {
	budget *atomic.Int64
	b      []byte
	lost   bool
	// readAnyway reports whether her text is to be read, only to give
	// it back, when the form is refused before it is stored.
	readAnyway func(error) bool
}

func (c *textCopy) Write(p []byte) (int, error) {
	if c == nil || c.lost {
		return len(p), nil
	}
	if len(c.b)+len(p) > maxGiveBack || c.budget.Add(int64(len(p))) > giveBackBudget {
		if len(c.b)+len(p) <= maxGiveBack {
			c.budget.Add(-int64(len(p)))
		}
		c.lost = true
		c.release()
		return len(p), nil
	}
	c.b = append(c.b, p...)
	return len(p), nil
}

func (c *textCopy) has() bool { return c != nil && !c.lost && len(c.b) > 0 }

func (c *textCopy) String() string { return string(c.b) }

func (c *textCopy) release() {
	if c == nil || c.b == nil {
		return
	}
	c.budget.Add(-int64(len(c.b)))
	clear(c.b[:cap(c.b)])
	c.b = nil
}
