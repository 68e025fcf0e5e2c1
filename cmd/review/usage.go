package main

// One usage text per command, printed by "review COMMAND -h"; "review -h"
// prints the overview.

const exitStatus = `
EXIT STATUS
    0 on success, 1 on error, 2 on misuse.
`

const usage = `Usage:
    review init       -w WORKSPACE -r RECIPIENTS
    review import     -w WORKSPACE -i IDENTITY BUNDLE
    review list       -w WORKSPACE -i IDENTITY [filters]
    review show       -w WORKSPACE -i IDENTITY ID
    review attachment -w WORKSPACE -i IDENTITY ID N -o FILE
    review search     -w WORKSPACE -i IDENTITY TERM
    review note       -w WORKSPACE -i IDENTITY ID
    review tag        -w WORKSPACE -i IDENTITY [-d] ID TAG...
    review redact     -w WORKSPACE -i IDENTITY [-print | -plan FILE] [-start-over] [-names FILE] ID
    review approve    -w WORKSPACE -i IDENTITY ID
    review export     -w WORKSPACE -i IDENTITY -use USE [-format F] [-attachments DIR] -o FILE ID
    review reply      -w WORKSPACE -i IDENTITY ID
    review outbox     -w WORKSPACE -i IDENTITY [-cancel ID ENTRY]
    review send-replies -w WORKSPACE -i IDENTITY -o FILE
    review custody    -w WORKSPACE [-i IDENTITY] [ID]
    review prove      -w WORKSPACE -i IDENTITY STATEMENT
    review verify     -w WORKSPACE
    review recipients -w WORKSPACE [-i IDENTITY add|retire RECIPIENT]

review is the reviewers' offline tool. It keeps what the intake server
collected in a workspace on this machine: the originals sealed as they
arrived, and everything reviewers add (notes, tags) encrypted to the team's
public keys. It never uses the network.

Run "review COMMAND -h" for each command's usage.

-w WORKSPACE (or -workspace) is the workspace directory. -i IDENTITY (or
-identity) is an age identity file: X25519, post-quantum, passphrase-
protected ("age -p"), or a plugin (hardware key) identity; give it more
than once to try several keys.
` + exitStatus

var usages = map[string]string{
	"init": `Usage:
    review init -w WORKSPACE -r RECIPIENTS

init creates a workspace for a team of reviewers. RECIPIENTS is a file of
their public keys (age recipients), one a line, as given to "intake serve
-recipients"; "-" reads it from standard input. Notes and tags are
encrypted to all of them. WORKSPACE must not exist, or be empty.
` + exitStatus,

	"import": `Usage:
    review import -w WORKSPACE -i IDENTITY BUNDLE

import verifies BUNDLE (written by "intake export"; "-" reads standard
input) and adds what is new in it to WORKSPACE. It refuses a bundle that is
damaged, encrypted to other keys, from another server, out of order or
already imported, and then changes nothing. Progress goes to standard error.
` + exitStatus,

	"list": `Usage:
    review list -w WORKSPACE -i IDENTITY [-status new|seen] [-from DAY] [-to DAY]
                [-withdrawn] [-attachments] [-consent USE]

list prints one submission a line: ID, day, status, attachments, then the
start of her text, after any withdrawal in [brackets].

    -status new|seen  new: not yet shown here in full; seen: shown at least once
    -from DAY, -to DAY  received on or after, on or before DAY (YYYY-MM-DD)
    -withdrawn        only those with a withdrawal
    -attachments      only those with attachments
    -consent USE      only those with consent for USE, not withdrawn:
                      review, publish, quote, un, court, recontact
` + exitStatus,

	"show": `Usage:
    review show -w WORKSPACE -i IDENTITY ID

show prints submission ID decrypted: consent (withdrawals marked
WITHDRAWN), tags, the guided answers, the attachments by number, the notes,
then her text exactly as she wrote it and what she added later. The
custody log records that it was shown.
` + exitStatus,

	"attachment": `Usage:
    review attachment -w WORKSPACE -i IDENTITY ID N -o FILE

attachment writes attachment N (as numbered by "review show") of submission
ID, decrypted, to FILE, created with mode 0600. It never replaces a file.
"-o -" writes to standard output, but never to a terminal. The custody log
records it. Interrupted (Ctrl-C, a closed terminal, a kill), it leaves no
file; killed with SIGKILL or by a power loss, the next review command on
the workspace removes what it left, and says so.
` + exitStatus,

	"search": `Usage:
    review search -w WORKSPACE -i IDENTITY TERM

search prints each place TERM occurs in the decrypted texts and notes:
ID, where, and the words around it. It folds full-width characters, case,
and North/South Korean spellings (로동 = 노동, 리 = 이, 녀자 = 여자).
` + exitStatus,

	"note": `Usage:
    review note -w WORKSPACE -i IDENTITY ID

note adds a note to submission ID, encrypted to the team. The text comes
from standard input, or, if that is a terminal, from $EDITOR on a file in
memory-backed storage (/dev/shm) that is removed afterwards.
` + exitStatus,

	"redact": `Usage:
    review redact -w WORKSPACE -i IDENTITY [-print | -plan FILE] [-start-over] [-names FILE] ID

redact makes the redaction plan of submission ID: every name, place, date
and identifier the detectors found in her account, each with a one-line
explanation and a proposed operation (remove, pseudonym, generalise, keep).
Detectors only suggest: read every line, change what is wrong, and add lines
for what they missed (span * applies a decision to every occurrence of a
term, in any spelling).

With no option, the plan (the stored one, or a new suggestion) opens in
$EDITOR on a file in memory-backed storage; the saved plan is checked
against her text and stored, encrypted to the team. -print writes the plan
on standard output instead, and -plan FILE (or - for standard input) stores
an edited plan from FILE. -names FILE is the organisation's list of names to
look for (one a line). A stored plan needs a new approval.

When she added to her account after the plan was stored, the plan offered
is a new one: it keeps every decision of the stored plan on the text that
did not change, and the detectors' suggestions for what she added, with the
same pseudonyms for the same names. Store it as any plan. -start-over
ignores the stored plan and offers the detectors' suggestion for her whole
text as it is now.
` + exitStatus,

	"approve": `Usage:
    review approve -w WORKSPACE -i IDENTITY ID

approve records that the reviewer holding IDENTITY has read the current
redaction plan of submission ID and approves it for export. The plan's hash
goes into custody. Two people are needed: the plan's author cannot approve
it, and a changed plan needs a new approval.
` + exitStatus,

	"export": `Usage:
    review export -w WORKSPACE -i IDENTITY -use USE [-format json|md|csv|uwazi]
                  [-attachments DIR [-allow-uncleanable]] -o FILE ID

export writes the statement of submission ID for USE (publish, quote, un or
court) to FILE. It refuses, writing nothing, if she did not consent to USE
or withdrew it (and says what she did consent to), if the redaction plan is
not approved by a second reviewer, if the plan no longer fits her text, or
if any redacted term, in any spelling, remains in the output (and says
where). Without her consent to verbatim quotation, a publish export holds
the facts of her account but not its words. Every format (statement format
v2, docs/formats.md) records a keyed commitment to each sealed original
that only the team can open ("review prove"), never a hash the server
could match, and the plan's hash, the editor and the approvers. FILE must
not exist; it is written with mode 0600.

Formats: json, the whole structure; md, for people; csv, for spreadsheets
(UTF-8 with a BOM), one Event row, an Act row per act and a Person row per
person, shaped after the HURIDOCS events formats; uwazi, a zip of one CSV
per Uwazi template (person.csv, event.csv, act.csv) to import into Uwazi.

The statement and its attachments appear all together, or none: each is
written where no directory shows it, checked, then all are given their
names and the export is recorded. Interrupted, it leaves nothing; killed
with SIGKILL or by a power loss, the next review command on the workspace
removes what it left. Which submission an export came from is kept only
encrypted to the team.

-o - writes the statement to standard output once every check passed and
the export is recorded (a pipe cannot take back what it was given); a
uwazi zip is never written to a terminal. On a terminal, the attachments'
progress is shown every second, by bytes and percentage; a line at the end
gives their size and rate.

-attachments DIR also writes each attachment into DIR as attachment-N,
with its metadata removed: JPEG and PNG are decoded, turned upright by
their EXIF orientation and encoded again, so EXIF (and GPS), XMP, IPTC and
PNG text chunks are gone. A kind that cannot be cleaned (HEIC, PDF,
Office…) stops the export, unless -allow-uncleanable, an override recorded
in the export's encrypted record. Her file names are not used. DIR must
exist and hold none of the names.
` + exitStatus,

	"reply": `Usage:
    review reply -w WORKSPACE -i IDENTITY ID

reply writes a reply to the survivor of submission ID. The text comes from
standard input, or, if that is a terminal, from $EDITOR on a file in
memory-backed storage. It is encrypted at once to her reply key, which only
her receipt opens, and kept in the workspace until "review send-replies";
the team keeps a copy, encrypted to the team, shown by "review show". A
submission whose author asked not to be contacted is refused.
` + exitStatus,

	"outbox": `Usage:
    review outbox -w WORKSPACE -i IDENTITY
    review outbox -w WORKSPACE -i IDENTITY -cancel ID ENTRY

outbox lists the replies written and not yet sent, each with the submission
it answers, its entry number, the day, who wrote it, and its text. -cancel
takes the reply to ID recorded by entry ENTRY out of the outbox: it is never
sent; the team's copy stays, marked cancelled, and custody records it.
` + exitStatus,

	"send-replies": `Usage:
    review send-replies -w WORKSPACE -i IDENTITY -o FILE

send-replies writes every reply waiting in the workspace into FILE, a reply
bundle for "intake import-replies" on the server. It is authenticated with
the key the server sent in its bundles, so the server refuses a forged,
altered or replayed one. FILE must not exist; it is written with mode 0600.
The replies leave the outbox only once FILE is safely written. -o - writes
the bundle to standard output (never to a terminal); the replies leave the
outbox once all of it was written there.
` + exitStatus,

	"tag": `Usage:
    review tag -w WORKSPACE -i IDENTITY [-d] ID TAG...

tag adds TAGs to submission ID, or removes them with -d. Tags are letters,
digits, "-", "_" and ".", and are encrypted to the team like notes.
` + exitStatus,

	"custody": `Usage:
    review custody -w WORKSPACE [-i IDENTITY] [ID]

custody prints the whole history of submission ID: the server's entries
(submitted, added to, exported) and this workspace's (imported, shown,
noted, tagged, written out), with day, actor and action. It needs no key.
Without ID, it prints this workspace's whole custody log, every entry in
order, each with the submission or file it is about.
With -i and ID it also lists the statements exported from ID, which are linked to
it only in records encrypted to the team.
` + exitStatus,

	"prove": `Usage:
    review prove -w WORKSPACE -i IDENTITY STATEMENT

prove shows where an exported statement (a file in any format, as
exported) came from: the submission, the SHA-256 of each sealed original
as the server's custody records name it, and the statement key. Disclosing
the statement key lets anyone check the statement's commitments against
those originals, for this statement alone (docs/editor.md).
` + exitStatus,

	"verify": `Usage:
    review verify -w WORKSPACE

verify checks the whole workspace without any key: both custody chains,
every item record against its entries, every sealed original against its
record, every imported bundle, the team, every note and tag. It prints
each problem it finds and exits 1 if there is any; files no record names
are only warned about.
` + exitStatus,

	"recipients": `Usage:
    review recipients -w WORKSPACE
    review recipients -w WORKSPACE -i IDENTITY add RECIPIENT
    review recipients -w WORKSPACE -i IDENTITY retire RECIPIENT

recipients prints the team's public keys with their fingerprints. add and
retire change the team, and re-encrypt notes and tags to the new team.
The sealed originals are never changed: each stays readable only by the
keys the server encrypted it to. Update the server's recipients file too
(see docs/reviewer.md). You cannot retire the last key, or your own.
` + exitStatus,
}

var commandNames = []string{"init", "import", "list", "show", "attachment", "search", "note", "tag", "redact", "approve", "export", "reply", "outbox", "send-replies", "custody", "prove", "verify", "recipients"}
