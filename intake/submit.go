package intake

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"testimony/internal/failpoint"
	"testimony/vault"
)

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
	// The second receipt is drawn now, and its tag committed with the
	// first, whether or not she ever asks for it (safe.go).
	safe := newReceipt(l)
	both, err := s.pool.deriveAll(r.Context(), value.value, safe.value)
	if err != nil {
		refuse(http.StatusServiceUnavailable, "errBusy")
		return
	}
	keys, safeKeys := both[0], both[1]
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
