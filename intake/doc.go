// Package intake is the survivor-facing side of testimony: the web pages
// she writes her account in, behind a Tor onion service, and the local
// commands that carry what arrived to the reviewers' offline machines.
//
// # Basics
//
// [Run] serves a data directory (datadir.go): it opens the [vault.Store],
// serves the pages of a [Server] on the public listener and the
// administration API ([AdminHandler], admin.go) on a unix socket in the
// directory, and shuts down only once the submissions in progress are
// committed. [Config] (config.go) holds what a server may be told; every
// zero value is a default.
//
// A submission (submit.go) is streamed from the request body through age,
// to the reviewers' recipients, straight into the store (form.go reads
// the body part by part). Only after it is committed does she see her
// receipt (receipt.go): six words or twenty digits, of which the store
// keeps only an Argon2id derivation (kdf.go). With it she comes back
// (return.go) to read replies, add more or withdraw consent, in a visit
// that lives in memory only (visits.go). Every form carries a single-use
// token (formtoken.go), so a page sent again from the browser's history
// stores nothing twice and shows nothing of hers. Everything she reads is
// in the catalogs, one file a language (messages_ko.go, messages_zh.go,
// messages_en.go); the guided questions' choices are in questions.go.
//
// [Export], [ImportReplies] and [Backup] (adminclient.go) work whether or
// not a server runs on the directory: through its admin socket if one
// does, on the store itself if none does.
//
// # Caveats
//
// The server holds no private key: it can encrypt her account but not
// read it back. Her reply key exists in memory only for the length of a
// visit. Her text is never written in the clear, nor parsed into temp
// files (ParseMultipartForm is never called), but Go cannot reliably
// erase memory, so what passed through may linger in freed memory until
// it is reused. Nothing logged or stored names an address, a user agent or
// a time finer than a day. The pages need no JavaScript, load nothing from
// another origin and carry a quick-exit link.
//
// Form tokens and sealed receipts are keyed by this process: after a
// restart an old page's form is refused as stale (and her text given
// back), never stored twice.
package intake
