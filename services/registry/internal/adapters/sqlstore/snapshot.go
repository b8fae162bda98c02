package sqlstore

import (
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
)

// SnapshotPages are the snapshot pages of every resource table the registry
// publishes, the nomenclature first (registrants refer to it), for
// `registry snapshot`.
func SnapshotPages(db *store.DB, p Payload) []eventbus.SnapshotPage {
	return []eventbus.SnapshotPage{
		eventbus.TableSnapshot(NewActivities(db, p).t),
		eventbus.TableSnapshot(NewArtisans(db, p).T),
		eventbus.TableSnapshot(NewCooperatives(db, p).T),
		eventbus.TableSnapshot(NewAssociations(db, p).T),
		eventbus.TableSnapshot(NewEnterprises(db, p).T),
	}
}
