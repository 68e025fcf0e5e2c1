package intake

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"filippo.io/age"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"testimony/vault"
)

// Config configures a [Server]. Store and Recipients are required; every
// other zero value means a sensible default.
type Config struct {
	// Store keeps the ciphertext.
	Store *vault.Store
	// Recipients are the reviewers' age public keys. The server holds no
	// private key.
	Recipients []age.Recipient

	// KDF sets the receipt's Argon2id cost. Zero means DefaultKDF.
	KDF KDFParams
	// KDFMemoryBudget bounds the memory all concurrent receipt derivations
	// may hold, in bytes. Zero means 256 MiB (four derivations at 64 MiB).
	KDFMemoryBudget int64
	// KDFConcurrency is how many derivations run at once, within the
	// memory budget. Zero means the machine's best: one per KDF.Threads
	// cores. Argon2id with two lanes already fills two cores; on such a
	// machine one at a time derives more a second than two or four at a
	// time do (docs/performance.md has the curve).
	KDFConcurrency int
	// KDFQueueWait is how long a submission waits for a free derivation
	// before she is told to come back in a minute. Zero means 3 s.
	KDFQueueWait time.Duration

	// MaxTextBytes bounds her written account. Zero means 2 MiB, about
	// 700,000 Korean characters.
	MaxTextBytes int64
	// MaxUploadBytes bounds all attachments of one submission together.
	// Zero means 100 MiB.
	MaxUploadBytes int64
	// MaxFiles bounds the attachments of one submission. Zero means 20.
	MaxFiles int

	// Help is the referral page's text per language ("ko", "zh", "en"):
	// the organisation's own contacts and hotlines, paragraphs separated by
	// blank lines. A language left out shows a general text.
	Help map[string]string

	// ExitURL is where the quick-exit link goes: a harmless, common site.
	// Empty means https://www.wikipedia.org/.
	ExitURL string

	// Demo marks every page as a demonstration.
	Demo bool

	// Host, if set, is the only Host header served (the onion address);
	// others get 421 Misdirected Request. Empty serves any.
	Host string

	// MaxStoreBytes is a quota: once the store holds this many bytes of
	// ciphertext (vault.Store.SetQuota), new submissions and additions are
	// refused with a page that says so, the log says so once, and nothing
	// already stored is touched. Withdrawals of consent still go through.
	// The store file is larger by bbolt's overhead. Zero means no quota.
	MaxStoreBytes int64

	bodyIdle time.Duration // set by Run: longest silence inside a body

	// Log receives the few events worth logging. It is never given an
	// address, a user agent, a URL, a form field or a time finer than the
	// log's own. Nil means discard.
	Log *log.Logger
}

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

//go:embed templates
var templateFS embed.FS

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

func (s *Server) parseTemplates() error {
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		return err
	}
	page, err := templateFS.ReadFile("templates/page.html")
	if err != nil {
		return err
	}
	// The stylesheet is inlined and allowed by its hash: one request per
	// page on a slow link, and nothing cached on her device.
	page = bytes.Replace(page, []byte("{{.Style}}"), css, 1)
	sum := sha256.Sum256(css)
	s.csp = "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	s.pages, err = template.New("page").Parse(string(page))
	return err
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

func langFromPath(p string) lang {
	seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if l, ok := parseLang(seg); ok {
		return l
	}
	return "" // all three languages
}

type pageData struct {
	Lang        lang
	ExitURL     string
	Demo        bool
	MaxUploadMB int64
	Error       string // catalog key
	Message     string // catalog key
	Receipt     *receipt
	Sealed      string // the receipt, sealed for the check form
	Second      string // her second receipt, sealed for the offer form (safe.go)
	SecondForm  string // the offer form's single-use token
	Chose       string // what she chose its use to mean, on the second receipt's page
	WrongWord   int    // on the check page: which word (1-6) she typed wrong, or 0
	Token       string // names her visit
	Form        string // the single-use token of the page's form
	Status      vault.Status
	Replies     []string
	HelpLines   []string
	Text        string // her text, given back in a fresh form after a refusal
	GiveBack    string // catalog key: what became of her text
}

// Arrived is the day her submission arrived, as her language writes dates.
func (d pageData) Arrived() string {
	t, err := time.Parse(time.DateOnly, d.Status.Day)
	if err != nil {
		return d.Status.Day
	}
	switch d.Lang {
	case "ko":
		return fmt.Sprintf("%d년 %d월 %d일", t.Year(), t.Month(), t.Day())
	case "zh":
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	return t.Format("2 January 2006")
}

// Tf looks up a string and puts arg in it.
func (d pageData) Tf(key string, arg any) string {
	if d.Lang == "" {
		return pageData{Lang: "en"}.Tf(key, arg)
	}
	return d.Lang.textf(key, arg)
}

// The guided questions' choices, in the page's language.
func (d pageData) Provinces() []Option  { return d.Lang.options(provinceChoices) }
func (d pageData) What() []Option       { return d.Lang.options(whatChoices) }
func (d pageData) Who() []Option        { return d.Lang.options(whoChoices) }
func (d pageData) Source() []Option     { return d.Lang.options(sourceChoices) }
func (d pageData) Elsewhere() []Option  { return d.Lang.options(elsewhereChoices) }
func (d pageData) Contact() []Option    { return d.Lang.options(contactChoices) }
func (d pageData) UseOptions() []Option { return d.Lang.useOptions() }
func (d pageData) Years() []int         { return years() }
func (d pageData) Months() []int        { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// ProvinceGroup is the provinces of one country, as an optgroup shows them.
type ProvinceGroup struct {
	Label   string
	Options []Option
}

// ProvinceGroups splits the provinces into North Korea's, China's and the
// rest, so that she sees where one country ends and the other begins
// (LANGUAGE-REVIEW.md, Korean row 46). The codes say which is which.
func (d pageData) ProvinceGroups() []ProvinceGroup {
	groups := []ProvinceGroup{{Label: d.T("groupNK")}, {Label: d.T("groupCN")}, {}}
	for _, o := range d.Provinces() {
		switch {
		case strings.HasPrefix(o.Code, "KP-"):
			groups[0].Options = append(groups[0].Options, o)
		case strings.HasPrefix(o.Code, "CN-"):
			groups[1].Options = append(groups[1].Options, o)
		default:
			groups[2].Options = append(groups[2].Options, o)
		}
	}
	return groups
}

// T looks up a string in the page's language; templates call it. The
// language chooser has no language yet: it says everything in all three.
func (d pageData) T(key string) string {
	if d.Lang == "" {
		var all []string
		for _, l := range languages {
			all = append(all, l.text(key))
		}
		return strings.Join(all, " · ")
	}
	return d.Lang.text(key)
}

// Languages lists the language choices, each named in its own script.
func (d pageData) Languages() []struct{ Code, Name string } {
	var ls []struct{ Code, Name string }
	for _, l := range languages {
		ls = append(ls, struct{ Code, Name string }{string(l), l.text("langName")})
	}
	return ls
}

func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	if d.Token != "" && d.Form == "" && (name == "done" || name == "error") {
		// The way back to her visit is a single-use form like the others.
		d.Form = s.forms.issue(tokenVisit)
	}
	b, err := s.execute(name, d)
	if err != nil {
		s.cfg.Log.Printf("rendering %s: %v", name, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// execute renders a page with what every page shows.
func (s *Server) execute(name string, d pageData) ([]byte, error) {
	d.ExitURL, d.Demo, d.MaxUploadMB = s.cfg.ExitURL, s.cfg.Demo, s.cfg.MaxUploadBytes>>20
	var b bytes.Buffer
	err := s.pages.ExecuteTemplate(&b, name, d)
	return b.Bytes(), err
}

func (s *Server) fail(w http.ResponseWriter, l lang, status int, key string) {
	s.render(w, status, "error", pageData{Lang: l, Error: key})
}

func (s *Server) choose(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "choose", pageData{})
}

// page serves a page that needs nothing but its language, and perhaps a
// fresh form token.
func (s *Server) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l, _ := parseLang(chi.URLParam(r, "lang"))
		var token string
		switch name {
		case "form":
			token = s.forms.issue(tokenWrite)
		case "return":
			token = s.forms.issue(tokenReturn)
		}
		p, err := s.staticPage(name, l, token != "")
		if err != nil {
			s.cfg.Log.Printf("rendering %s: %v", name, err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(formPageStatus(r, token != ""))
		w.Write(p.before)
		if token != "" {
			io.WriteString(w, token)
			w.Write(p.after)
		}
	}
}

// formPageStatus is the status of a page: 203 for a form she types in
// that is reached by GET (a link from elsewhere; her own pages reach it by
// POST). Chromium keeps a GET page whole in its back-forward cache,
// no-store or not, with what she typed in it, but only if its status is
// exactly 200; any 2xx shows the same to her.
func formPageStatus(r *http.Request, form bool) int {
	if form && r.Method != http.MethodPost {
		return http.StatusNonAuthoritativeInfo
	}
	return http.StatusOK
}

// staticPage is a page rendered once per language and year, cut where its
// form token goes. The form is the largest page and the one every
// submission loads first; rendering its templates and option lists anew
// each time cost more than the rest of the request.
type staticPage struct {
	year          int
	before, after []byte
}

// tokenMark stands for the form token while a page is rendered; it is
// plain letters, so the template writes it as it is.
const tokenMark = "formtokenmarkformtokenmark"

func (s *Server) staticPage(name string, l lang, withToken bool) (*staticPage, error) {
	key := name + "/" + string(l)
	year := time.Now().Year()
	if v, ok := s.static.Load(key); ok && v.(*staticPage).year == year {
		return v.(*staticPage), nil
	}
	d := pageData{Lang: l}
	if name == "help" {
		d.HelpLines = s.helpLines(l)
	}
	if withToken {
		d.Form = tokenMark
	}
	b, err := s.execute(name, d)
	if err != nil {
		return nil, err
	}
	p := &staticPage{year: year, before: b}
	if withToken {
		before, after, ok := bytes.Cut(b, []byte(tokenMark))
		if !ok || bytes.Contains(after, []byte(tokenMark)) {
			return nil, fmt.Errorf("page %s must hold its form token exactly once", name)
		}
		p.before, p.after = before, after
	}
	s.static.Store(key, p)
	return p, nil
}

func (s *Server) helpLines(l lang) []string {
	text, ok := s.cfg.Help[string(l)]
	var lines []string
	if !ok {
		// Only a demonstration server (or a test) gets here: intake serve
		// refuses to start without the organisation's texts (CheckHelp).
		text = l.text("helpDefault")
		if s.cfg.Demo {
			lines = append(lines, l.text("helpDemo"))
		}
	}
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			lines = append(lines, p)
		}
	}
	return lines
}
