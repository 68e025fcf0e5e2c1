package intake

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"math/big"
	"net/http"
)

// sealReceipt seals a receipt's value for the "type it once" form, with a
// key that exists only in this process's memory: the page can carry it
// without the server storing it. It is bound to the form's single-use
// token, so it opens once, with that form: a sealed value copied from
// another page, or kept after its check, shows no receipt.
func (s *Server) sealReceipt(value string, l lang, form string) string {
	nonce := make([]byte, s.seal.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.seal.Seal(nonce, nonce, []byte(value), sealedAD(l, form)))
}

func sealedAD(l lang, form string) []byte { return []byte(string(l) + "\x00" + form) }

func (s *Server) openSealed(sealed string, l lang, form string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.seal.NonceSize() {
		return "", false
	}
	v, err := s.seal.Open(nil, b[:s.seal.NonceSize()], b[s.seal.NonceSize():], sealedAD(l, form))
	return string(v), err == nil
}

// check lets her type her receipt once before she leaves. The typed text
// is compared in constant time with the sealed receipt; if it differs she
// sees her receipt again.
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	l, checkID, ok := s.spendSmallPost(w, r, tokenCheck)
	if !ok {
		return
	}
	s.sent.seen(checkID)
	help := s.helpLines(l)
	// The offer of her second receipt stays under the first while she checks.
	offer := r.PostForm.Get("second")
	if _, ok := s.openSecond(offer); !ok {
		offer = ""
	}
	var offerForm string
	if offer != "" {
		offerForm = s.forms.issue(tokenSecond)
	}
	value, ok := s.openSealed(r.PostForm.Get("sealed"), l, r.PostForm.Get("n"))
	if !ok {
		s.render(w, http.StatusOK, "receipt", pageData{Lang: l, Message: "checkLost", HelpLines: help})
		return
	}
	typed := r.PostForm.Get("typed")
	readings, _ := parseReceipt(typed)
	for _, v := range readings {
		if subtle.ConstantTimeCompare([]byte(v), []byte(value)) == 1 {
			s.render(w, http.StatusOK, "receipt", pageData{Lang: l, Message: "checkOK", HelpLines: help, Second: offer, SecondForm: offerForm})
			return
		}
	}
	v, _ := new(big.Int).SetString(value, 10)
	rc := receiptFromValue(l, v)
	next := s.forms.issue(tokenCheck)
	// Here, and only here, the page may say which word differs: the form
	// carries her sealed receipt, so the answer tells her nothing she was
	// not just shown.
	s.render(w, http.StatusOK, "receipt", pageData{Lang: l, Message: "checkWrong", WrongWord: wrongWord(typed, l, value), Receipt: &rc, Sealed: s.sealReceipt(value, l, next), Form: next, HelpLines: help, Second: offer, SecondForm: offerForm})
}
