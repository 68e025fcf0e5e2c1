package review

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// Actions the workspace records in its own custody log. Item is the item
// record's hash unless said otherwise.
const (
	ActionImport          = "import"           // an item arrived in a bundle
	ActionImportBundle    = "import-bundle"    // a bundle was imported; Item is the bundle file's hash
	ActionShow            = "show"             // an item was shown decrypted
	ActionAttachment      = "attachment"       // an attachment of the item was written out decrypted
	ActionNote            = "note"             // a note on the submission (Item: its first item)
	ActionTag             = "tag"              // tags changed on the submission (Item: its first item)
	ActionRecipientAdd    = "recipient-add"    // Item is the SHA-256 of the recipient's encoding
	ActionRecipientRetire = "recipient-retire" // Item is the SHA-256 of the recipient's encoding
	ActionReply           = "reply"            // a reply to her was written (Item: the submission's first item)
	ActionSendReplies     = "send-replies"     // a reply bundle was written; Item is its file's hash
	ActionReplyCancel     = "reply-cancel"     // a reply was taken out of the outbox unsent (Item: the submission's first item)

	// The editor's side (plan.go, approve.go, export.go).
	ActionPlan    = "plan"    // a redaction plan was stored (Item: the submission's first item)
	ActionApprove = "approve" // a plan was approved; Item is the plan's hash
	ActionExport  = "export"  // a statement was exported; Item is a keyed commitment to its file (provenance.go)

	// ActionSafeReceipt is the entry (and derived record) made at import
	// for each visit with her safe receipt (safe.go); Item is the
	// submission's first item, as for notes, and the record says the day.
	ActionSafeReceipt = "safe-receipt"

	// ActionOverride was the action of an editor's override of the
	// metadata check; the override is now in the export's sealed record,
	// and entries of older workspaces keep the name.
	ActionOverride = "override-uncleanable"
)

// derivedActions are the actions whose entry has a derived record (a note
// or tag change) keyed by the entry's sequence number.
var derivedActions = []string{ActionNote, ActionTag, ActionReply, ActionPlan, ActionApprove, ActionReplyCancel, ActionSafeReceipt}

// appendLog adds an entry to the workspace's own custody chain, in the
// caller's transaction, so that the entry and what it records are
// committed together.
func (w *Workspace) appendLog(tx *bolt.Tx, actor, action string, item vault.Hash) (vault.Entry, error) {
	h := getHeadAt(tx, keyLogHead)
	e := h.Next()
	e.Day, e.Actor, e.Action, e.Item = vault.Day(w.now()), actor, action, item
	if err := tx.Bucket(bucketLog).Put(seqKey(e.Seq), e.Marshal()); err != nil {
		return e, err
	}
	return e, putHeadAt(tx, keyLogHead, vault.Head{Seq: e.Seq, Hash: e.Hash()})
}

// Event is one line of a submission's history.
type Event struct {
	Chain string // "server" or "workspace"
	vault.Entry
	// What names what the entry is about, for people: "item 0",
	// "bundle 1a2b3c4d… (held item 0)", "note".
	What string
}

// Custody returns the whole history of submission id: the server's
// entries (submitted, added to, exported), then the workspace's (bundle
// imported, item imported, shown, noted, tagged, written out), each chain
// in its own order. It needs no key: custody records hold no testimony.
func (w *Workspace) Custody(id vault.ID) ([]Event, error) {
	var events []Event
	err := w.db.View(func(tx *bolt.Tx) error {
		items, err := submissionTx(tx, id)
		if err != nil {
			return err
		}
		names := map[vault.Hash]string{}
		for _, it := range items {
			names[it.Hash()] = "item " + strconv.Itoa(int(it.N))
		}
		server, err := entries(tx, bucketCustody)
		if err != nil {
			return err
		}
		// The bundles that carried this submission's items: those whose
		// range holds an entry naming one.
		held := map[uint64]string{} // seq → item name
		for _, e := range server {
			if n, ok := names[e.Item]; ok && e.Action != vault.ActionExport {
				held[e.Seq] = n
			}
		}
		bundles := map[vault.Hash]string{}
		err = tx.Bucket(bucketBundles).ForEach(func(k, v []byte) error {
			var from, to uint64
			if _, err := fmt.Sscanf(string(v), "%d %d", &from, &to); err != nil {
				return fmt.Errorf("damaged bundle record: run \"review verify\"")
			}
			var which []string
			for s, n := range held {
				if s >= from && s <= to {
					which = append(which, n)
				}
			}
			slices.Sort(which)
			if len(which) > 0 {
				var h vault.Hash
				copy(h[:], k)
				bundles[h] = fmt.Sprintf("bundle %s… (held %s)", h.String()[:12], strings.Join(which, ", "))
			}
			return nil
		})
		if err != nil {
			return err
		}
		name := func(e vault.Entry) (string, bool) {
			if n, ok := names[e.Item]; ok {
				switch e.Action {
				case ActionNote, ActionTag, ActionReplyCancel:
					return e.Action, true
				}
				return n, true
			}
			n, ok := bundles[e.Item]
			return n, ok
		}
		for _, e := range server {
			if what, ok := name(e); ok {
				events = append(events, Event{"server", e, what})
			}
		}
		local, err := entries(tx, bucketLog)
		if err != nil {
			return err
		}
		// Approvals name the plan's hash, not an item: they belong to
		// this submission through their record's key.
		approvals := map[uint64]bool{}
		c := tx.Bucket(bucketDerived).Cursor()
		for k, _ := c.Seek([]byte(id)); k != nil && bytes.HasPrefix(k, []byte(id)); k, _ = c.Next() {
			approvals[binary.BigEndian.Uint64(k[len(id):])] = true
		}
		for _, e := range local {
			if what, ok := name(e); ok {
				events = append(events, Event{"workspace", e, what})
			} else if e.Action == ActionApprove && approvals[e.Seq] {
				events = append(events, Event{"workspace", e, "plan " + e.Item.String()[:12] + "…"})
			}
		}
		return nil
	})
	return events, err
}

// Log returns the workspace's whole custody log, in order: every import,
// view, note, plan, approval, export and change of the team, by whom and
// on which day. What names the submission and item an entry is about, or
// the bundle; an export's entry names neither (its file, and which
// submission it came from, are kept only in records sealed to the team).
// It needs no key.
func (w *Workspace) Log() ([]Event, error) {
	var events []Event
	err := w.db.View(func(tx *bolt.Tx) error {
		names := map[vault.Hash]string{}
		err := tx.Bucket(bucketItems).ForEach(func(_, v []byte) error {
			it, err := vault.ParseItem(v)
			if err != nil {
				return fmt.Errorf("a damaged item record: run \"review verify\"")
			}
			names[it.Hash()] = fmt.Sprintf("%s item %d", it.ID, it.N)
			return nil
		})
		if err != nil {
			return err
		}
		team := map[vault.Hash]string{}
		tx.Bucket(bucketTeam).ForEach(func(k, v []byte) error {
			var h vault.Hash
			copy(h[:], k)
			team[h] = Fingerprint(string(v))
			return nil
		})
		local, err := entries(tx, bucketLog)
		if err != nil {
			return err
		}
		for _, e := range local {
			what := ""
			switch {
			case e.Action == ActionRecipientAdd || e.Action == ActionRecipientRetire:
				what = team[e.Item]
			case names[e.Item] != "":
				what = names[e.Item]
			case e.Action == ActionImportBundle || e.Action == ActionSendReplies:
				what = "file " + e.Item.String()[:12] + "…"
			case e.Action == ActionApprove:
				what = "plan " + e.Item.String()[:12] + "…"
			}
			events = append(events, Event{"workspace", e, what})
		}
		return nil
	})
	return events, err
}

// entries reads a whole chain, parsed but not verified (Verify does that).
func entries(tx *bolt.Tx, bucket []byte) ([]vault.Entry, error) {
	var out []vault.Entry
	err := tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		e, err := vault.ParseEntry(v)
		if err != nil {
			return fmt.Errorf("%s custody entry %x: %w", chainName(bucket), k, err)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

func chainName(bucket []byte) string {
	if bytes.Equal(bucket, bucketLog) {
		return "workspace"
	}
	return "server"
}

// seenItems returns the hashes of the items shown at least once in this
// workspace.
func seenItems(tx *bolt.Tx) (map[vault.Hash]bool, error) {
	seen := map[vault.Hash]bool{}
	local, err := entries(tx, bucketLog)
	for _, e := range local {
		if e.Action == ActionShow {
			seen[e.Item] = true
		}
	}
	return seen, err
}

func isDerivedAction(a string) bool { return slices.Contains(derivedActions, a) }
