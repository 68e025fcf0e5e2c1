package intake

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"testimony/internal/failpoint"
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
	errEmpty         = &formError{http.StatusUnprocessableEntity, "errEmpty"}
	errTooLarge      = &formError{http.StatusRequestEntityTooLarge, "errTooLarge"}
	errTooMany       = &formError{http.StatusRequestEntityTooLarge, "errTooMany"}
	errTooManyFields = &formError{http.StatusRequestEntityTooLarge, "errTooManyFields"}
	errMalformed     = &formError{http.StatusBadRequest, "errMalformed"}
	errEncoding      = &formError{http.StatusBadRequest, "errEncoding"}
	errVisitOver     = &formError{http.StatusForbidden, "errVisitOver"}
	errExpired       = &formError{http.StatusConflict, "errExpired"}
	errFileName      = &formError{http.StatusBadRequest, "errFileName"}
	errFull          = &formError{http.StatusInsufficientStorage, "errFull"}
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

// fail renders err as her error page: a formError with its own message,
// anything else as "not stored". token, if not empty, lets her go back to
// her visit.
func (s *Server) failWith(w http.ResponseWriter, l lang, err error, token string) {
	fe := s.storeError(err)
	d := pageData{Lang: l, Error: fe.key, Token: token}
	if token != "" {
		d.Form = s.forms.issue(tokenVisit) // for the way back to her visit
	}
	s.render(w, fe.status, "error", d)
}

// storeError is what she is told of err: a formError is its own message,
// the quota its page (and the operator is told once), and anything else
// is logged and "not stored".
func (s *Server) storeError(err error) *formError {
	var fe *formError
	switch {
	case errors.Is(err, vault.ErrQuota):
		s.quotaReached()
		return errFull
	case errors.As(err, &fe):
		return fe
	}
	s.cfg.Log.Printf("not stored: %v", err)
	return &formError{http.StatusInternalServerError, "errStore"}
}

// quotaReached tells the operator, once, that the quota turns testimony
// away: without it, the only sign was survivors leaving.
func (s *Server) quotaReached() {
	if s.quotaLogged.CompareAndSwap(false, true) {
		s.cfg.Log.Printf("quota reached: the store holds %d MiB of ciphertext (-quota %d); new submissions and additions are refused until the quota is raised", s.cfg.Store.Counted()>>20, s.cfg.MaxStoreBytes>>20)
	}
}

// submit streams a new submission into the store: each part goes from the
// request body through the age encryptor straight into the store. The body
// is never parsed with ParseMultipartForm, which would spill plaintext to
// temp files. The receipt is rendered only after Commit has returned.
//
// A refusal gives her text back in a fresh form (kept in memory for the
// length of the request only, see textCopy): the form page is not kept by
// the browser for Back, so this is the one place her text can come from.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	l, _ := parseLang(chi.URLParam(r, "lang"))
	keep := &textCopy{budget: &s.giveBack, readAnyway: func(err error) bool { return errors.Is(err, errStale) }}
	defer keep.release()
	var formToken string
	refuse := func(status int, key string) {
		d := pageData{Lang: l, Error: key, Form: s.forms.issue(tokenWrite)}
		// Her text goes back once per form: the same refused page sent
		// again from the tab's history shows it no more.
		if keep.has() && s.forms.spendOnce(formToken) {
			d.Text, d.GiveBack = keep.String(), "giveBack"
		} else if keep.lost {
			d.GiveBack = "giveBackLost"
		}
		s.render(w, status, "form", d)
	}
	// At the quota the body is still read: her text comes back on the
	// refusal, and nothing of it is stored (the store refuses every chunk).
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody())
	sub := s.cfg.Store.Begin(s.cfg.Recipients)
	defer sub.Abort()
	var sending *sentForm
	var spent [16]byte
	var rc *receipt
	begin := func(_, form string) (*vault.Submission, error) {
		formToken = form
		id, st := s.forms.spend(form, tokenWrite)
		if st == tokenSpent {
			// Sent before: wait for that sending, and tell her its outcome.
			again, committed, known := s.sent.again(r.Context(), id)
			switch {
			case committed:
				return nil, &sentBefore{again}
			case known:
				return nil, errExpired
			}
			// Its first sending stored nothing and was released: this one
			// may go ahead, or it was committed and forgotten.
			if id, st = s.forms.spend(form, tokenWrite); st == tokenSpent {
				return nil, &sentBefore{}
			}
		}
		if st == tokenStale {
			return nil, errStale
		}
		spent, sending = id, s.sent.start(id)
		if s.sending != nil {
			s.sending()
		}
		return sub, nil
	}
	// If nothing is stored, her form may be sent again.
	defer func() {
		if sending != nil {
			if rc == nil {
				s.forms.release(spent)
			}
			s.sent.finish(spent, sending, rc)
		}
	}()
	form, err := s.readForm(r, begin, true, keep)
	bodyRead(w, err)
	var before *sentBefore
	switch {
	case errors.As(err, &before) && before.receipt != nil:
		// The same form again, within minutes: the receipt she may never
		// have seen, this once.
		check := s.forms.issue(tokenCheck)
		s.render(w, http.StatusOK, "receipt", pageData{Lang: l, Receipt: before.receipt, Sealed: s.sealReceipt(before.receipt.value, l, check), Form: check, HelpLines: s.helpLines(l), Second: before.receipt.offer, SecondForm: s.forms.issue(tokenSecond)})
		return
	case before != nil:
		// Not her text: this is what a Back then Resend long after she
		// left sends, and it must show nothing of hers.
		keep.release()
		refuse(http.StatusConflict, "errArrived")
		return
	case errors.Is(err, errStale):
		refuse(http.StatusConflict, "errStale")
		return
	case err == nil && s.cfg.Store.Full():
		// Before the derivation: a flood at the quota costs no KDF.
		err = vault.ErrQuota
	}
	if err != nil {
		fe := s.storeError(err)
		refuse(fe.status, fe.key)
		return
	}
	value := newReceipt(l)
	keys, err := s.pool.derive(r.Context(), value.value)
	if err != nil {
		refuse(http.StatusServiceUnavailable, "errBusy")
		return
	}
	// The second receipt is drawn now, and its tag committed with the
	// first, whether or not she ever asks for it (safe.go).
	safe := newReceipt(l)
	safeKeys, err := s.pool.derive(r.Context(), safe.value)
	if err != nil {
		refuse(http.StatusServiceUnavailable, "errBusy")
		return
	}
	tags, err := s.receiptTags(keys.tag, safeKeys.tag, "")
	if err == nil {
		err = writeFormParts(sub, form, keys.reply.Recipient().String())
	}
	if err != nil {
		fe := s.storeError(err)
		refuse(fe.status, fe.key)
		return
	}
	if _, err := sub.CommitReceipts(tags...); err != nil {
		fe := s.storeError(err)
		refuse(fe.status, fe.key)
		return
	}
	value.offer = s.sealSecond(secondOffer{sub.ID(), safe.value, keys.tag, safeKeys.tag})
	rc = &value
	failpoint.Inject(failpoint.IntakeCommitted)
	check, checkID := s.forms.issueID(tokenCheck)
	s.sent.checked(spent, sending, checkID)
	s.render(w, http.StatusOK, "receipt", pageData{Lang: l, Receipt: rc, Sealed: s.sealReceipt(rc.value, l, check), Form: check, HelpLines: s.helpLines(l), Second: rc.offer, SecondForm: s.forms.issue(tokenSecond)})
}

// sentBefore is the answer to a form that was sent and stored before:
// with her receipt if it may still be shown.
type sentBefore struct{ receipt *receipt }

func (*sentBefore) Error() string { return "sent before" }

// errStale is a form whose token this process did not issue (it was
// issued before a restart or a new token generation) or that expired.
var errStale = &formError{http.StatusConflict, "errStale"}

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

func (s *Server) maxBody() int64 {
	return s.cfg.MaxTextBytes + s.cfg.MaxUploadBytes + maxFormOverhead
}

// writeFormParts adds the guided answers, her consent and her reply key as
// sections of the part her account is in, or of a part of their own if she
// wrote nothing: one age file for all she typed, however many files she
// sent.
func writeFormParts(sub *vault.Submission, form *formResult, replyKey string) error {
	pw := form.textPart
	section := func(k vault.Kind, content []byte) error {
		var err error
		if pw == nil {
			pw, err = sub.CreatePart(vault.PartHeader{Kind: k})
		} else {
			err = pw.Section(vault.PartHeader{Kind: k})
		}
		if err != nil {
			return err
		}
		_, err = pw.Write(content)
		return err
	}
	if !form.answers.empty() {
		form.answers.a.Version = 1
		b, err := vault.MarshalForm(form.answers.a)
		if err != nil {
			return err
		}
		if err := section(vault.KindAnswers, b); err != nil {
			return err
		}
	}
	consent := vault.Consent{Version: 1, Given: form.answers.consent}
	if consent.Given == nil {
		consent.Given = []vault.Use{}
	}
	b, err := vault.MarshalForm(consent)
	if err != nil {
		return err
	}
	if err := section(vault.KindConsent, b); err != nil {
		return err
	}
	if err := section(vault.KindReplyKey, []byte(replyKey)); err != nil {
		return err
	}
	return pw.Close()
}

func writePart(sub *vault.Submission, k vault.Kind, v any) error {
	b, err := vault.MarshalForm(v)
	if err != nil {
		return err
	}
	pw, err := sub.CreatePart(vault.PartHeader{Kind: k})
	if err != nil {
		return err
	}
	if _, err := pw.Write(b); err != nil {
		return err
	}
	return pw.Close()
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
	if errors.Is(err, vault.ErrQuota) {
		return err // the store, not the body: storeError says so
	}
	// Go's multipart reader refuses a part header with a control
	// character, and from a browser the one header she controls is a file
	// name (a NUL or an escape in it): tell her which thing to change.
	var pe textproto.ProtocolError
	if errors.As(err, &pe) && strings.Contains(string(pe), "filename=") {
		return errFileName
	}
	return errMalformed
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
