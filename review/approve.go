package review

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// Approve records that rv approves the current plan
// of submission id. The plan's author cannot approve it: publication needs
// two people.
func (rv *Reviewer) Approve(id vault.ID) (vault.Hash, error) {
	w := rv.w
	st, err := w.planState(id, rv.ids)
	if err != nil {
		return vault.Hash{}, err
	}
	if st.plan == nil {
		return vault.Hash{}, ErrNoPlan
	}
	if st.plan.Actor == rv.actor {
		return vault.Hash{}, fmt.Errorf("%w (%s wrote it)", ErrOwnPlan, rv.actor)
	}
	h := planHash(st.plan.Text)
	err = w.db.Update(func(tx *bolt.Tx) error {
		_, err := w.addRecordTx(tx, id, rv.actor, record{Kind: ActionApprove, Text: h.String()}, h, "approvals")
		return err
	})
	return h, err
}
