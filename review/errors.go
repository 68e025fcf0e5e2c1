package review

import (
	"errors"
	"fmt"
	"strings"

	"testimony/internal/safefile"
	"testimony/review/redact"
)

// Errors a caller may want to tell apart.
var (
	ErrNoWorkspace = errors.New("no workspace there")
	ErrExists      = errors.New("a workspace already exists there")
	ErrReplay      = errors.New("this bundle was already imported")
	ErrGap         = errors.New("this bundle does not follow what the workspace holds")
	ErrWrongServer = errors.New("this bundle comes from a different intake server")
	ErrBusy        = errors.New("the workspace is in use by another review command")
	ErrNoTeam      = errors.New("this workspace has no team recipients")
)

// ErrNoIdentityMatch means none of the identities given can decrypt what
// was asked. The wrapping error says what.
var ErrNoIdentityMatch = errors.New("no identity matches")

// ErrNotOnTeam means none of the identities given is one of the
// workspace's team recipients ([Workspace.Unlock]). It wraps
// ErrNoIdentityMatch.
var ErrNotOnTeam = fmt.Errorf("%w this workspace's team recipients", ErrNoIdentityMatch)

// ErrEmptyNote means a note had no text.
var ErrEmptyNote = errors.New("the note is empty; nothing was recorded")

// ErrNoSuchTag means a tag to remove is not on the submission.
var ErrNoSuchTag = errors.New("the submission has no such tag")

// Errors of replying.
var (
	ErrNoContact  = errors.New("she asked not to be contacted")
	ErrNoReplyKey = errors.New("this submission has no reply key (it came without one)")
	ErrNoReplies  = errors.New("no replies waiting to be sent")
	// ErrNoRecontact means she took back her consent to be contacted
	// again: a reply is contact.
	ErrNoRecontact = errors.New("she took back her consent to be contacted again (recontact)")
)

// ErrNotWaiting means a reply to cancel is not in the outbox.
var ErrNotWaiting = errors.New("no such reply waiting in the outbox")

// Errors of the editor's side.
var (
	ErrNoPlan       = errors.New("this submission has no redaction plan")
	ErrNotApproved  = errors.New("the redaction plan is not approved by a second reviewer")
	ErrOwnPlan      = errors.New("the plan's own author cannot approve it")
	ErrConsent      = errors.New("she did not consent to this use")
	ErrResidual     = errors.New("redacted terms remain in the export")
	ErrPlanOutdated = errors.New("her text changed since the plan was made (she added to it)")
)

// ResidualError is the [ErrResidual] of an export: where each redacted
// term remains, and which of them are in attachments passed through
// uncleaned, which no plan line can change.
type ResidualError struct {
	Leaks []redact.Leak
	// Uncleaned numbers the attachments (as "review show" lists them)
	// passed through uncleaned that hold a term: only leaving them out
	// (ExportOptions.LeaveOut) lets the export go.
	Uncleaned []int
}

func (e *ResidualError) Error() string {
	var where []string
	for _, l := range e.Leaks {
		where = append(where, l.String())
	}
	if len(e.Uncleaned) > 0 {
		var nums []string
		for _, n := range e.Uncleaned {
			nums = append(nums, fmt.Sprint(n))
		}
		return fmt.Sprintf("%v: %s; a plan cannot change an uncleaned attachment: leave it out with -leave-out %s, and export again", ErrResidual, strings.Join(where, "; "), strings.Join(nums, " -leave-out "))
	}
	return fmt.Sprintf("%v: %s; add a plan line for each (review redact: redact it, or keep it with a line such as keep name * \"…\") and export again", ErrResidual, strings.Join(where, "; "))
}

// Unwrap returns ErrResidual.
func (e *ResidualError) Unwrap() error { return ErrResidual }

// ExistsError is the error of an output (an export's statement or one of
// its attachments, an attachment written out) whose file is already
// there: nothing was written. It wraps safefile.ErrExists.
type ExistsError struct {
	Path string // the file's path, as given
}

func (e *ExistsError) Error() string { return e.Path + ": " + safefile.ErrExists.Error() }

// Unwrap returns safefile.ErrExists.
func (e *ExistsError) Unwrap() error { return safefile.ErrExists }

// ErrEmptyQuery means a search term had nothing to match.
var ErrEmptyQuery = errors.New("the search term is empty")

// ErrNoProvenance means a file is not a statement this workspace exported.
var ErrNoProvenance = errors.New("no provenance this workspace can prove")
