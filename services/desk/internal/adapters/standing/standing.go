// Package standing keeps the desk's copy of each artisan's register state
// from the registry's events, for the public verification of professional
// cards.
//
// Why events and not a live LookupRegistrant: the verification route is
// anonymous, and the registry answers LookupRegistrant only to an
// authenticated caller (it forwards the caller's token; the desk has no
// identity of its own to call with). The registry writes an outbox event
// in the same transaction as every change of an artisan (suspended,
// struck off, reinstated, merged); its relay publishes it to the bus and
// this consumer records the new state within the relay's delay, so the
// next verification answers invalid without any token.
package standing

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/sqlstore"
)

// Group is the desk's consumer group on the registry's stream.
const Group = "desk"

// artisanType is the payload type of the registry's artisan events.
const artisanType = "hirfa.registry.v1.Artisan"

// Handler records the state carried by every artisan event; other events
// are skipped. An artisan payload that cannot be decoded is permanent: a
// retry cannot help, it belongs in the dead letters.
func Handler(db *store.DB) eventbus.Handler {
	return func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
		data := env.GetData()
		if !strings.HasSuffix(data.GetTypeUrl(), "/"+artisanType) {
			return nil
		}
		var a registryv1.Artisan
		if err := proto.Unmarshal(data.GetValue(), &a); err != nil {
			return eventbus.Permanent(fmt.Errorf("decode %s %s: %w", env.GetType(), env.GetId(), err))
		}
		if a.GetName() == "" || a.GetState() == registryv1.Artisan_STATE_UNSPECIFIED {
			return nil
		}
		updated := a.GetUpdateTime().AsTime()
		if a.GetUpdateTime() == nil {
			updated = env.GetTime().AsTime()
		}
		return sqlstore.SetArtisanState(ctx, db, tx, a.GetName(), a.GetState().String(), updated)
	}
}
