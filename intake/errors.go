package intake

import (
	"errors"
	"net/http"
	"net/textproto"
	"strings"

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

// errStale is a form whose token this process did not issue (it was
// issued before a restart or a new token generation) or that expired.
var errStale = &formError{http.StatusConflict, "errStale"}

// errBadReceipt means what she typed is not a receipt: not six known words
// of one list, nor twenty digits.
var errBadReceipt = errors.New("intake: not a receipt")

// errBusy means every KDF slot stayed taken for the whole queue wait.
var errBusy = errors.New("intake: too busy")

// sentBefore is the answer to a form that was sent and stored before:
// with her receipt if it may still be shown.
type sentBefore struct{ receipt *receipt }

func (*sentBefore) Error() string { return "sent before" }

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
