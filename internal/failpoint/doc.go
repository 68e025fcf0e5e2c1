// Package failpoint names the moments where a crash or an interruption
// matters, so that tests can stop the real binaries exactly there instead
// of at a moment chosen by the clock.
//
// # Basics
//
// Code marks a moment with [Inject] and one of the names below:
//
//	failpoint.Inject(failpoint.IntakeCommitted)
//
// In the release build (no build tag) [Enabled] is the constant false and
// [Inject] is an empty function the compiler inlines away: the binary holds
// neither the names nor this package (tests/harness checks the symbols and
// the bytes of both binaries).
//
// A binary built with "-tags failpoint" reads the environment variable
// named by [EnvVar] once, at start, as a list of NAME=ACTION[@N] separated
// by ';'. ACTION is one of
//
//	announce  write "failpoint NAME reached" on standard error and go on
//	exit      announce, then kill the process with SIGKILL, as kill -9 would:
//	          no deferred function runs and no buffer is flushed
//	pause     announce, then wait until the process gets SIGUSR1 (every
//	          goroutine paused at a failpoint then goes on)
//
// With @N the action happens at the Nth time the point is reached only;
// without it, every time. An unknown name or action stops the program at
// start with exit status 2, so a misspelt point cannot silently never fire.
// Tests arm points through tests/harness ([Spec] makes the value).
//
// # Adding a point
//
// Add a constant below, say in its comment what has and has not happened
// when the point is reached, add it to [Names], and call [Inject] there. Keep
// points few: one where a crash leaves a state worth testing.
package failpoint

// EnvVar is the environment variable a failpoint build reads its armed
// points from.
const EnvVar = "TESTIMONY_FAILPOINTS"

// The failpoints, by where they are.
const (
	// IntakeCommitted: a new submission's ciphertext and custody entry are
	// committed (Submission.Commit returned); her receipt page is not yet
	// written. A kill here loses an unacknowledged submission that is
	// nonetheless stored: the one case "stored but never acknowledged".
	IntakeCommitted = "intake-committed"

	// VaultChunkStaged: one chunk of a large part has been staged in its
	// own transaction, before the submission's commit. A kill here leaves
	// orphan chunks, which the next Open removes.
	VaultChunkStaged = "vault-chunk-staged"

	// VaultBundleItem: one item (its record and every part) has been handed
	// to the bundle's encryptor, mid-stream; the bundle is not finished and
	// the export is not recorded.
	VaultBundleItem = "vault-bundle-item"

	// SafefileWritten: a new file's whole content is written and synced
	// under its temporary name, not yet linked to its real name. Every
	// bundle, backup, statement and attachment written out passes here.
	SafefileWritten = "safefile-written"

	// ReviewOutputStaging: review is writing a file of an output (an
	// exported statement or attachment, an attachment written out) and has
	// written part of it, not all; nothing is at its name, and the output
	// is not recorded. Reached once per file, at its first write.
	ReviewOutputStaging = "review-output-staging"

	// ReviewOutputPublished: every file of a review output is at its
	// name; its custody entry is not committed and the command has not
	// reported it. Signals wait until both are done.
	ReviewOutputPublished = "review-output-published"

	// ReviewImportItem: review import has verified and staged one more
	// item of the bundle; the workspace index is unchanged.
	ReviewImportItem = "review-import-item"

	// ReviewImportPackMoved: the whole bundle is verified and its pack is
	// durable in the workspace; the index that names it is not committed.
	ReviewImportPackMoved = "review-import-pack-moved"
)

// Names lists every failpoint; a failpoint build refuses to arm others.
var Names = []string{
	IntakeCommitted,
	VaultChunkStaged,
	VaultBundleItem,
	SafefileWritten,
	ReviewImportItem,
	ReviewImportPackMoved,
	ReviewOutputStaging,
	ReviewOutputPublished,
}

// Spec returns the value of [EnvVar] that arms the point name with action
// ("announce", "exit" or "pause"), at its nth hit if nth > 0 and at every
// hit otherwise. Join several with ';'.
func Spec(name, action string, nth int) string {
	if nth > 0 {
		return name + "=" + action + "@" + itoa(nth)
	}
	return name + "=" + action
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}
