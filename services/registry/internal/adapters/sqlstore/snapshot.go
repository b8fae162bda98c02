package sqlstore

import (
	"github.com/hirfa/hirfa/pkg/eventbus"
)

// SnapshotPages are the snapshot pages of every resource table the registry
// publishes, the nomenclature first (registrants refer to it), for
// `registry snapshot`.
func SnapshotPages(act *Activities, art *Artisans, coop *Cooperatives, assoc *Associations, ent *Enterprises) []eventbus.SnapshotPage {
	return []eventbus.SnapshotPage{
		eventbus.TableSnapshot(act.t),
		eventbus.TableSnapshot(art.T),
		eventbus.TableSnapshot(coop.T),
		eventbus.TableSnapshot(assoc.T),
		eventbus.TableSnapshot(ent.T),
	}
}
