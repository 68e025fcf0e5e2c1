package intake

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// secureHeaders sets the headers every response carries.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", s.csp)
		// same-origin: a form she sends carries the site's Origin, which
		// the cross-origin check needs where the browser sends no
		// Sec-Fetch-Site; nothing leaves for another site.
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		next.ServeHTTP(w, r)
	})
}

// checkHost answers requests for another host with 421: an onion service
// has one name, and anything else is a misdirected or probing request.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Host != "" && !strings.EqualFold(r.Host, s.cfg.Host) {
			s.fail(w, "", http.StatusMisdirectedRequest, "errNotFound")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bodyDeadline keeps a request body moving: a progress deadline. Each
// time bodyProgress more bytes have arrived, the read deadline moves to
// bodyIdle from then, so a client that stops sending (slowloris), or sends
// a byte now and then, loses its connection within bodyIdle, while a long
// upload on a slow link goes on however long it takes. (A ReadTimeout for
// the whole request would either cut a large upload over Tor or, at 30
// minutes, let a trickle hold a connection that long.)
func (s *Server) bodyDeadline(next http.Handler) http.Handler {
	if s.cfg.bodyIdle == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(s.cfg.bodyIdle)) == nil {
			r.Body = &movingBody{ReadCloser: r.Body, rc: rc, idle: s.cfg.bodyIdle}
		}
		next.ServeHTTP(w, r)
	})
}

// bodyProgress is how much of a body must arrive within each bodyIdle:
// 4 KiB a minute is 68 bytes a second, far below the slowest Tor circuit,
// and far above a trickle meant to hold the connection.
const bodyProgress = 4 << 10

type movingBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	idle  time.Duration
	since int // bytes read since the deadline last moved
}

// bodyRead lifts the moving deadline once the handler has read the whole
// body: the deadline also bounds the connection's background read, and if
// it fired while the receipt is being made, the request's context would be
// cancelled and her submission lost for nothing. If reading failed (err),
// the rest of the body is not wanted: the connection closes after the
// answer instead of waiting for it, under the deadline still.
func bodyRead(w http.ResponseWriter, err error) {
	if err != nil {
		w.Header().Set("Connection", "close")
		return
	}
	http.NewResponseController(w).SetReadDeadline(time.Time{})
}

func (b *movingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.since += n; b.since >= bodyProgress {
		b.since = 0
		b.rc.SetReadDeadline(time.Now().Add(b.idle))
	}
	return n, err
}

// movingWriter gives each write idle to get through: a progress deadline
// for a long answer, which may take long to prepare (a backup copies the
// store first) but not to be taken.
type movingWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

func (m *movingWriter) Write(p []byte) (int, error) {
	m.rc.SetWriteDeadline(time.Now().Add(m.idle))
	return m.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (m *movingWriter) Unwrap() http.ResponseWriter { return m.ResponseWriter }
