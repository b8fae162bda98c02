package app

import (
	"fmt"
	"math"
	"time"

	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// HeldName is a name that a proposed cooperative name must not repeat.
type HeldName struct {
	// Key tells apart the names one holder has (a request's proposals);
	// empty means Holder. A later HeldName with the same key replaces it,
	// and one with neither AR nor FR releases it.
	Key        string
	Holder     string // resource name of what holds it
	Kind       string // HeldCooperative, HeldReserved or HeldPending
	AR, FR     string
	UpdateTime int64 // UNIX microseconds of the holder's last change
	// Revision is the holder's row revision, which every write of the row
	// raises: of two HeldNames of one key, the higher revision is the newer
	// whichever arrives last (a write handed to the check and a read of
	// the database racing), and an equal one is the same row read again.
	Revision int64
	// Expires is when a reservation lapses (zero: never).
	Expires time.Time
}

// Kinds of held names.
const (
	HeldCooperative = "COOPERATIVE"
	HeldReserved    = "RESERVED"
	HeldPending     = "PENDING"
)

// revisionDeleted is the revision of a deleted holder's release: above
// every row of it that a read may still return, since a deleted holder
// never comes back (resource IDs are not reused).
const revisionDeleted = math.MaxInt64

func (h HeldName) key() string {
	if h.Key != "" {
		return h.Key
	}
	return h.Holder
}

// holds: the HeldName holds a name (rather than releasing its key).
func (h HeldName) holds() bool { return h.AR != "" || h.FR != "" }

// CooperativeHeld is the name a cooperative holds, as of its revision:
// every cooperative holds its display name, whatever its state.
func CooperativeHeld(c *cooperative.Cooperative) []HeldName {
	return []HeldName{{
		Holder: c.Name(), Kind: HeldCooperative, AR: c.DisplayName.AR, FR: c.DisplayName.FR,
		UpdateTime: c.UpdateTime.UnixMicro(), Revision: c.Revision,
	}}
}

// RequestHeld is the names a name request holds, as of its revision: a
// PENDING request its proposed names, an APPROVED one its approved name
// until the certificate's expiry; other states none. Each of its
// namerequest.MaxNames places is returned, released when it holds
// nothing, so a decision takes the names it ends out of the check.
func RequestHeld(q *namerequest.Request) []HeldName {
	holder := q.Name()
	out := make([]HeldName, 0, namerequest.MaxNames)
	for i := range namerequest.MaxNames {
		h := HeldName{Key: fmt.Sprintf("%s#%d", holder, i+1), Holder: holder, UpdateTime: q.UpdateTime.UnixMicro(), Revision: q.Revision}
		switch {
		case q.State == namerequest.Pending && i < len(q.Names):
			h.Kind, h.AR, h.FR = HeldPending, q.Names[i].AR, q.Names[i].FR
		case q.State == namerequest.Approved && i+1 == q.ApprovedName:
			h.Kind, h.AR, h.FR = HeldReserved, q.Names[i].AR, q.Names[i].FR
			h.Expires = q.ExpiryDate.Time().AddDate(0, 0, 1) // usable through its last day
		}
		out = append(out, h)
	}
	return out
}

// deletedHeld releases the name of a deleted holder for good.
func deletedHeld(holder string) []HeldName {
	return []HeldName{DeletedHeld(holder, 0)}
}

// DeletedHeld is the release of a deleted holder's name, as the delete
// recorded it at updateTime (UNIX microseconds): a read of the database
// returns it for a cooperative deleted through any replica. Its revision
// outranks every row of the holder, so a row of it read again later (a
// read's overlap) never brings the name back, and the release handed over
// by the deleting replica and the one read back are the same.
func DeletedHeld(holder string, updateTime int64) HeldName {
	return HeldName{Holder: holder, UpdateTime: updateTime, Revision: revisionDeleted}
}
