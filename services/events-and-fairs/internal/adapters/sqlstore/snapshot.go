package sqlstore

import (
	"github.com/hirfa/hirfa/pkg/eventbus"
)

// SnapshotPages are the snapshot pages of every resource table
// events-and-fairs publishes, parents before their children, for
// `events-and-fairs snapshot`.
func SnapshotPages(events *Events, fairs *Fairs, regs *Registrations, assemblies *Assemblies, items *Items, agreements *Agreements) []eventbus.SnapshotPage {
	return []eventbus.SnapshotPage{
		eventbus.TableSnapshot(events.T),
		eventbus.TableSnapshot(fairs.booths.t),
		eventbus.TableSnapshot(fairs.exhibitors.t),
		eventbus.TableSnapshot(fairs.visitors.t),
		eventbus.TableSnapshot(regs.t),
		eventbus.TableSnapshot(assemblies.T),
		eventbus.TableSnapshot(items.t),
		eventbus.TableSnapshot(agreements.T),
	}
}
