package intake

import (
	"log"
	"time"

	"filippo.io/age"

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

// Timeouts of the public listener. Tor links are slow and her account may be
// long, so a body may take long to arrive, but never stall; headers may not
// take long at all.
type Timeouts struct {
	ReadHeader time.Duration // default 20 s
	Read       time.Duration // a whole request; default none: bodies are held to BodyIdle
	Write      time.Duration // default 30 min
	Idle       time.Duration // between requests on a connection; default 2 min
	// BodyIdle is the progress deadline inside a body: within each BodyIdle
	// at least bodyProgress bytes must arrive, or the connection is cut.
	// Default 1 min.
	BodyIdle time.Duration
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 20*time.Second)
	def(&t.Write, 30*time.Minute)
	def(&t.Idle, 2*time.Minute)
	def(&t.BodyIdle, time.Minute)
	return t
}
