package sqlstore

import (
	"github.com/hirfa/hirfa/pkg/eventbus"
)

// SnapshotPages are the snapshot pages of every resource table craft-bodies
// publishes, programmes before bodies before what belongs to a body, for
// `craft-bodies snapshot`.
func SnapshotPages(prog *Programmes, bodies *Bodies, censuses *Censuses, assemblies *Assemblies, offices *Offices, meetings *Meetings) []eventbus.SnapshotPage {
	return []eventbus.SnapshotPage{
		eventbus.TableSnapshot(prog.t),
		eventbus.TableSnapshot(bodies.t),
		eventbus.TableSnapshot(censuses.t),
		eventbus.TableSnapshot(assemblies.t),
		eventbus.TableSnapshot(offices.t),
		eventbus.TableSnapshot(meetings.t),
	}
}
