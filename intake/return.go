package intake

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"filippo.io/age"
	"github.com/go-chi/chi/v5"

	"testimony/vault"
)

// enter starts a return visit: her receipt, through the KDF, finds her
// submission. There is no budget of failed look-ups: over Tor every visitor
// is the same tor daemon, so any such budget is shared, and a guesser who
// spends it locks every survivor out of her replies (the audit held it
// with one wrong receipt every 0.1 s). A receipt has at least 64 bits, so
// at the KDF pool's whole rate (tens a second) guessing one takes longer
// than the age of the universe; the pool bounds what guesses cost us.
func (s *Server) enter(w http.ResponseWriter, r *http.Request) {
	l, ok := s.smallPost(w, r)
	if !ok {
		return
	}
	// The return form is single-use: sent again from the browser's
	// history, her receipt opens nothing.
	form := r.PostForm.Get("n")
	if _, sent := r.PostForm["n"]; !sent && len(r.PostForm) == 0 {
		// The "come back" button of the first page: the return form,
		// reached by POST so that what she types in it is not kept for Back.
		s.render(w, http.StatusOK, "return", pageData{Lang: l, Form: s.forms.issue(tokenReturn)})
		return
	}
	formID, st := s.forms.spend(form, tokenReturn)
	if st != tokenOK {
		s.render(w, http.StatusConflict, "return", pageData{Lang: l, Error: "errExpired", Form: s.forms.issue(tokenReturn)})
		return
	}
	again := func(status int, key string) {
		s.render(w, status, "return", pageData{Lang: l, Error: key, Form: s.forms.issue(tokenReturn)})
	}
	// The return page never says which word is wrong: that would let a
	// guesser fix one word at a time.
	readings, err := parseReceipt(r.PostForm.Get("receipt"))
	if err != nil {
		again(http.StatusBadRequest, "errWrongReceipt")
		return
	}
	// Each reading costs one KDF run, and there are at most maxReadings.
	for _, value := range readings {
		keys, err := s.pool.derive(r.Context(), value)
		if err != nil {
			s.forms.release(formID)
			s.render(w, http.StatusServiceUnavailable, "error", pageData{Lang: l, Error: "errBusy"})
			return
		}
		id, note, err := s.cfg.Store.LookupReceiptNote(keys.tag)
		if errors.Is(err, vault.ErrNotFound) {
			continue
		}
		if err != nil {
			s.failWith(w, l, err, "")
			return
		}
		// Every visit, with either of her receipts, leaves the same record
		// for the reviewers (safe.go); a failure to write it does not keep
		// her out, and is the same for both.
		if err := s.recordVisit(id, keys.tag, note); err != nil {
			s.cfg.Log.Printf("a visit could not be recorded: %v", err)
		}
		token := s.visits.start(id, keys.reply)
		s.renderStatus(w, l, token, "")
		return
	}
	again(http.StatusNotFound, "errWrongReceipt")
}

// visitFor returns her visit from the form's token, or renders the page
// that asks her to come in again.
func (s *Server) visitFor(w http.ResponseWriter, l lang, token string) *visit {
	v := s.visits.get(token)
	if v == nil {
		s.failWith(w, l, errVisitOver, "")
	}
	return v
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	l, ok := s.smallPost(w, r)
	if !ok {
		return
	}
	// The page of her visit is a single-use form too: sent again from the
	// tab's history, however she left, it opens nothing.
	token := r.PostForm.Get("t")
	if _, st := s.forms.spend(r.PostForm.Get("n"), tokenVisit); st != tokenOK {
		s.failWith(w, l, errVisitOver, "")
		return
	}
	if s.visitFor(w, l, token) != nil {
		s.renderStatus(w, l, token, "")
	}
}

// maxReplyText bounds a reply as shown.
const maxReplyText = 64 << 10

func (s *Server) renderStatus(w http.ResponseWriter, l lang, token, message string) {
	s.renderStatusWith(w, l, token, http.StatusOK, pageData{Message: message})
}

// renderStatusWith renders her visit's page with what d adds: a message,
// or a refusal and her text given back in the add box.
func (s *Server) renderStatusWith(w http.ResponseWriter, l lang, token string, status int, d pageData) {
	v := s.visits.get(token)
	if v == nil {
		s.failWith(w, l, errVisitOver, "")
		return
	}
	st, err := s.cfg.Store.Status(v.id)
	if err != nil {
		s.failWith(w, l, err, "")
		return
	}
	cts, err := s.cfg.Store.Replies(v.id)
	if err != nil {
		s.failWith(w, l, err, "")
		return
	}
	var replies []string
	for _, ct := range cts {
		// With her second receipt the visit's reply key opens no reply:
		// it shows what a real account shows before anyone replied. That
		// is no error, and leaves no line in the log.
		h, r, err := vault.OpenPart(bytes.NewReader(ct), v.reply)
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			continue
		}
		if err != nil || h.Kind != vault.KindReply {
			s.cfg.Log.Printf("a reply could not be opened: %v", err)
			continue
		}
		text, _ := io.ReadAll(io.LimitReader(r, maxReplyText))
		replies = append(replies, strings.ToValidUTF8(string(text), "�"))
	}
	d.Lang, d.Token, d.Status, d.Replies, d.Form = l, token, st, replies, s.forms.issue(tokenVisit)
	s.render(w, status, "status", d)
}

// add stores what she adds on a return visit as the submission's next
// item, streamed like a new submission.
func (s *Server) add(w http.ResponseWriter, r *http.Request) {
	l, _ := parseLang(chi.URLParam(r, "lang"))
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody())
	var sub *vault.Submission
	var token string
	var spent [16]byte
	live := false // her form's token was good: she may go back to her visit
	var formTok string
	begin := func(t, form string) (*vault.Submission, error) {
		token, formTok = t, form
		v := s.visits.get(t)
		if v == nil {
			return nil, errVisitOver
		}
		id, st := s.forms.spend(form, tokenVisit)
		if st != tokenOK {
			return nil, errExpired
		}
		spent, live = id, true
		if s.cfg.Store.Full() {
			// Refused here, where her visit is known, so that the page
			// leads back to it.
			return nil, vault.ErrQuota
		}
		var err error
		sub, err = s.cfg.Store.BeginAddition(v.id, s.cfg.Recipients)
		return sub, err
	}
	// Her addition is given back on a refusal of a good form only: a page
	// sent again from the tab's history must show nothing of hers.
	keep := &textCopy{budget: &s.giveBack, readAnyway: func(error) bool { return live }}
	defer keep.release()
	_, err := s.readForm(r, begin, false, keep)
	bodyRead(w, err)
	if sub != nil {
		defer sub.Abort()
	}
	if err == nil {
		_, err = sub.Commit(nil)
	}
	if err != nil && live {
		s.forms.release(spent)
	}
	if err != nil {
		// Only a request whose form was good may lead back into the
		// visit: a page sent again from the tab's history must not.
		if !live || s.visits.get(token) == nil {
			token = ""
		}
		// Once per form, as for the write form.
		if token != "" && (keep.has() || keep.lost) && s.forms.spendOnce(formTok) {
			fe := s.storeError(err)
			d := pageData{Error: fe.key, Text: keep.String(), GiveBack: "giveBack"}
			if !keep.has() {
				d.Text, d.GiveBack = "", "giveBackLost"
			}
			s.renderStatusWith(w, l, token, fe.status, d)
			return
		}
		s.failWith(w, l, err, token)
		return
	}
	s.render(w, http.StatusOK, "done", pageData{Lang: l, Message: "addDone", Token: token})
}

// withdraw records the uses she takes back, as data for the reviewers: an
// item whose one part says which uses. The server cannot tell it from any
// other addition.
func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) {
	l, ok := s.smallPost(w, r)
	if !ok {
		return
	}
	token := r.PostForm.Get("t")
	v := s.visitFor(w, l, token)
	if v == nil {
		return
	}
	if _, st := s.forms.spend(r.PostForm.Get("n"), tokenVisit); st != tokenOK {
		s.failWith(w, l, errExpired, "")
		return
	}
	var uses []vault.Use
	for _, u := range r.PostForm["withdraw"] {
		switch {
		case u == "all":
			uses = slices.Clone(vault.Uses)
		case vault.Use(u).Valid():
			if !slices.Contains(uses, vault.Use(u)) {
				uses = append(uses, vault.Use(u))
			}
		default:
			s.failWith(w, l, errMalformed, token)
			return
		}
	}
	if len(uses) == 0 {
		s.renderStatus(w, l, token, "withdrawNone")
		return
	}
	slices.SortFunc(uses, func(a, b vault.Use) int { return slices.Index(vault.Uses, a) - slices.Index(vault.Uses, b) })
	sub, err := s.cfg.Store.BeginAddition(v.id, s.cfg.Recipients)
	if err != nil {
		s.failWith(w, l, err, token)
		return
	}
	defer sub.Abort()
	sub.IgnoreQuota()
	if err := writePart(sub, vault.KindWithdrawal, vault.Withdrawal{Version: 1, Withdrawn: uses}); err != nil {
		s.failWith(w, l, err, token)
		return
	}
	if _, err := sub.Commit(nil); err != nil {
		s.failWith(w, l, err, token)
		return
	}
	s.render(w, http.StatusOK, "done", pageData{Lang: l, Message: "withdrawDone", Token: token})
}

// finish ends her visit: the server forgets her reply key. The quick exit
// of a visit's pages comes here too (exit=1), so that leaving quickly also
// ends the visit; it then sends her on to the exit site. (A redirect would
// be blocked by form-action 'self'; a refresh is not a form action.)
func (s *Server) finish(w http.ResponseWriter, r *http.Request) {
	l, _ := parseLang(chi.URLParam(r, "lang"))
	exit := false
	if smallForm(w, r) {
		s.visits.end(r.PostForm.Get("t"))
		exit = r.PostForm.Get("exit") == "1"
	}
	if exit {
		w.Header().Set("Refresh", "0; url="+s.cfg.ExitURL)
		s.render(w, http.StatusOK, "leave", pageData{Lang: l})
		return
	}
	s.render(w, http.StatusOK, "done", pageData{Lang: l, Message: "finished"})
}
