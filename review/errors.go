package review

import (
	"errors"
	"fmt"
)

// Errors a caller may want to tell apart.
var (
	ErrNoWorkspace = errors.New("review: no workspace there")
	ErrExists      = errors.New("review: a workspace already exists there")
	ErrReplay      = errors.New("review: this bundle was already imported")
	ErrGap         = errors.New("review: this bundle does not follow what the workspace holds")
	ErrWrongServer = errors.New("review: this bundle comes from a different intake server")
	ErrBusy        = errors.New("review: the workspace is in use by another review command")
	ErrNoTeam      = errors.New("review: this workspace has no team recipients")
)

// ErrNoIdentityMatch means none of the identities given can decrypt what
// was asked. The wrapping error says what.
var ErrNoIdentityMatch = errors.New("review: no identity matches")

// ErrNotOnTeam means none of the identities given is one of the
// workspace's team recipients ([Workspace.Unlock]). It wraps
// ErrNoIdentityMatch.
var ErrNotOnTeam = fmt.Errorf("%w this workspace's team recipients", ErrNoIdentityMatch)

// ErrEmptyNote means a note had no text.
var ErrEmptyNote = errors.New("review: the note is empty; nothing was recorded")

// ErrNoSuchTag means a tag to remove is not on the submission.
var ErrNoSuchTag = errors.New("review: the submission has no such tag")

// Errors of replying.
var (
	ErrNoContact  = errors.New("review: she asked not to be contacted")
	ErrNoReplyKey = errors.New("review: this submission has no reply key (it came without one)")
	ErrNoReplies  = errors.New("review: no replies waiting to be sent")
	// ErrNoRecontact means she took back her consent to be contacted
	// again: a reply is contact.
	ErrNoRecontact = errors.New("review: she took back her consent to be contacted again (recontact)")
)

// ErrNotWaiting means a reply to cancel is not in the outbox.
var ErrNotWaiting = errors.New("review: no such reply waiting in the outbox")

// Errors of the editor's side.
var (
	ErrNoPlan       = errors.New("review: this submission has no redaction plan")
	ErrNotApproved  = errors.New("review: the redaction plan is not approved by a second reviewer")
	ErrOwnPlan      = errors.New("review: the plan's own author cannot approve it")
	ErrConsent      = errors.New("review: she did not consent to this use")
	ErrResidual     = errors.New("review: redacted terms remain in the export")
	ErrPlanOutdated = errors.New("review: her text changed since the plan was made (she added to it)")
)

// ErrEmptyQuery means a search term had nothing to match.
var ErrEmptyQuery = errors.New("review: the search term is empty")

// ErrNoProvenance means a file is not a statement this workspace exported.
var ErrNoProvenance = errors.New("review: no provenance this workspace can prove")
