package intake

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"testimony/vault"
)

//go:embed templates
var templateFS embed.FS

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

func langFromPath(p string) lang {
	seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if l, ok := parseLang(seg); ok {
		return l
	}
	return "" // all three languages
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

// failWith renders err as her error page: a formError with its own
// message, anything else as "not stored". token, if not empty, lets her go
// back to her visit.
func (s *Server) failWith(w http.ResponseWriter, l lang, err error, token string) {
	fe := s.storeError(err)
	d := pageData{Lang: l, Error: fe.key, Token: token}
	if token != "" {
		d.Form = s.forms.issue(tokenVisit) // for the way back to her visit
	}
	s.render(w, fe.status, "error", d)
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
