package sqlstore

import (
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
)

// SnapshotPages are the snapshot pages of every resource table
// events-and-fairs publishes, parents before their children, for
// `events-and-fairs snapshot`.
func SnapshotPages(db *store.DB, p Payload) []eventbus.SnapshotPage {
	fairs := NewFairs(db, p)
	return []eventbus.SnapshotPage{
		eventbus.TableSnapshot(NewEvents(db, p).T),
		eventbus.TableSnapshot(fairs.booths.t),
		eventbus.TableSnapshot(fairs.exhibitors.t),
		eventbus.TableSnapshot(fairs.visitors.t),
		eventbus.TableSnapshot(NewRegistrations(db, p).t),
		eventbus.TableSnapshot(NewAssemblies(db, p).T),
		eventbus.TableSnapshot(NewItems(db, p).t),
		eventbus.TableSnapshot(NewAgreements(db, p).T),
	}
}
