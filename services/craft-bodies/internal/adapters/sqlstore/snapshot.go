package sqlstore

import (
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
)

// SnapshotPages are the snapshot pages of every resource table craft-bodies
// publishes, programmes before bodies before what belongs to a body, for
// `craft-bodies snapshot`.
func SnapshotPages(db *store.DB, p Payload) []eventbus.SnapshotPage {
	return []eventbus.SnapshotPage{
		eventbus.TableSnapshot(NewProgrammes(db, p).t),
		eventbus.TableSnapshot(NewBodies(db, p).t),
		eventbus.TableSnapshot(NewCensuses(db, p).t),
		eventbus.TableSnapshot(NewAssemblies(db, p).t),
		eventbus.TableSnapshot(NewOffices(db, p).t),
		eventbus.TableSnapshot(NewMeetings(db, p).t),
	}
}
