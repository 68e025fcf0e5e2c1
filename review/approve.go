package review

import (
	"fmt"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// Approve records that the reviewer of identities approves the current plan
// of submission id. The plan's author cannot approve it: publication needs
// two people.
func (w *Workspace) Approve(id vault.ID, identities []age.Identity) (vault.Hash, error) {
	actor, err := w.Unlock(identities)
	if err != nil {
		return vault.Hash{}, err
	}
	st, err := w.planState(id, identities)
	if err != nil {
		return vault.Hash{}, err
	}
	if st.plan == nil {
		return vault.Hash{}, ErrNoPlan
	}
	if st.plan.Actor == actor {
		return vault.Hash{}, fmt.Errorf("%w (%s wrote it)", ErrOwnPlan, actor)
	}
	h := planHash(st.plan.Text)
	err = w.db.Update(func(tx *bolt.Tx) error {
		_, err := w.addRecordTx(tx, id, actor, record{Kind: ActionApprove, Text: h.String()}, h, "approvals")
		return err
	})
	return h, err
}
