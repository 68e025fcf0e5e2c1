package intake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"html/template"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// Server is the survivor-facing web application.
type Server struct {
	cfg      Config
	pool     *kdfPool
	visits   visits
	visitLog visitLog
	seal     cipher.AEAD // seals receipts into the check form, in memory only
	forms    *formTokens
	sent     sentForms // what became of the write forms sent lately
	// giveBack counts the bytes of her text held to give back on a
	// refusal, across requests (see textCopy).
	giveBack atomic.Int64
	// sending, if set, is called when a write form's token has been
	// spent and its account starts to be stored: tests use it to send
	// the same form again while the first is in flight, without sleeping.
	sending func()
	handler http.Handler
	pages   *template.Template
	csp     string
	static  sync.Map // name/lang → *staticPage

	quotaLogged atomic.Bool
}

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || len(cfg.Recipients) == 0 {
		return nil, errors.New("intake: a store and at least one recipient are required")
	}
	if cfg.KDF == (KDFParams{}) {
		cfg.KDF = DefaultKDF
	}
	if cfg.KDFMemoryBudget == 0 {
		cfg.KDFMemoryBudget = 256 << 20
	}
	if cfg.KDFQueueWait == 0 {
		cfg.KDFQueueWait = 3 * time.Second
	}
	if cfg.MaxTextBytes == 0 {
		cfg.MaxTextBytes = 2 << 20
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 100 << 20
	}
	if cfg.MaxFiles == 0 {
		cfg.MaxFiles = 20
	}
	if cfg.ExitURL == "" {
		cfg.ExitURL = "https://www.wikipedia.org/"
	}
	if cfg.Log == nil {
		cfg.Log = log.New(io.Discard, "", 0)
	}
	s := &Server{cfg: cfg}
	cfg.Store.SetQuota(cfg.MaxStoreBytes)
	salt := append([]byte("testimony receipt v1 "), cfg.Store.ServerID()...)
	if cfg.KDFConcurrency == 0 {
		cfg.KDFConcurrency = bestKDFConcurrency(cfg.KDF)
	}
	s.pool = newKDFPool(cfg.KDF, cfg.KDFMemoryBudget, cfg.KDFConcurrency, cfg.KDFQueueWait, salt)
	key := make([]byte, 32)
	rand.Read(key)
	block, _ := aes.NewCipher(key)
	s.seal, _ = cipher.NewGCM(block)
	s.forms = newFormTokens(maxSpentTokens)
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the survivor's pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	// HEAD of a page is its GET without the body (net/http drops it).
	r.Use(s.checkHost, s.bodyDeadline, middleware.GetHead)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		l := langFromPath(r.URL.Path)
		if l == "" && r.URL.Path != "/" {
			// Not a language we have: offer the three, in their own scripts.
			s.render(w, http.StatusNotFound, "choose", pageData{Error: "errUnknownLang"})
			return
		}
		s.fail(w, l, http.StatusNotFound, "errNotFound")
	})
	mux := r
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allowed(mux, r.URL.Path))
		s.fail(w, langFromPath(r.URL.Path), http.StatusMethodNotAllowed, "errMethod")
	})
	r.Get("/", s.choose)
	r.Route("/{lang:ko|zh|en}", func(r chi.Router) {
		r.Get("/", s.page("start"))
		// Her own pages reach the forms by POST (the buttons on the
		// first page): a page that answers a POST is never kept whole for
		// Back, so what she typed in it cannot come back. GET still
		// serves them, for links from outside.
		r.Get("/write", s.page("form"))
		r.Post("/write", s.page("form"))
		r.Get("/help", s.page("help"))
		r.Get("/return", s.page("return"))
		r.Post("/submit", s.submit)
		r.Post("/check", s.check)
		r.Post("/second", s.second)
		r.Post("/return", s.enter)
		r.Post("/status", s.status)
		r.Post("/add", s.add)
		r.Post("/withdraw", s.withdraw)
		r.Post("/finish", s.finish)
	})
	// Cross-origin POSTs are refused by the browser's own Sec-Fetch-Site and
	// Origin headers, which Tor Browser sends: no token, no cookie, no script.
	// Origin: null (a page with a no-referrer policy, or a sandboxed one)
	// is refused too; the site's own same-origin referrer policy makes
	// browsers send its real origin. The refusal is her page, with every
	// header.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, langFromPath(r.URL.Path), http.StatusForbidden, "errCrossSite")
	}))
	return s.secureHeaders(cop.Handler(r))
}

// allowed lists the methods path answers, for a 405's Allow header.
func allowed(mux chi.Routes, path string) string {
	var ms []string
	if mux.Match(chi.NewRouteContext(), http.MethodGet, path) {
		ms = append(ms, http.MethodGet, http.MethodHead)
	}
	if mux.Match(chi.NewRouteContext(), http.MethodPost, path) {
		ms = append(ms, http.MethodPost)
	}
	return strings.Join(ms, ", ")
}
