package intake

import (
	"fmt"
	"strings"
)

// A language the survivor's pages are written in. The URL carries it
// (/ko/, /zh/, /en/): Tor Browser always sends Accept-Language: en-US, so
// the header says nothing about her.
type lang string

var languages = []lang{"ko", "zh", "en"}

// catalog holds every string a survivor sees, per language. We keep our own
// map rather than golang.org/x/text/message: the pages need no plurals or
// number formatting, and a map lets a test check that every language has
// every key (TestCatalogComplete). Korean follows ../shared/GLOSSARY.md:
// plain words a North Korean reader knows, no loanwords, no exclamation
// marks, no pressure. "{}" is where an argument goes.
var catalog = map[lang]map[string]string{
	"ko": catalogKO,
	"zh": catalogZH,
	"en": catalogEN,
}

// text returns the string for key in l, falling back to English so a
// missing translation never shows a key; TestCatalogComplete keeps that
// from happening.
func (l lang) text(key string) string {
	if s, ok := catalog[l][key]; ok {
		return s
	}
	return catalog["en"][key]
}

// textf returns the string for key with its "{}" replaced by arg.
func (l lang) textf(key string, arg any) string {
	return strings.Replace(l.text(key), "{}", fmt.Sprint(arg), 1)
}

func parseLang(s string) (lang, bool) {
	for _, l := range languages {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}
