// Package change describes one write to a resource as the store records it:
// the action (which becomes the outbox event type), the request id that
// makes retries idempotent, and who did it (for the audit trail). The
// application layer fills it; the store writes the resource, the outbox row,
// the audit record and the request key in one transaction.
package change

// Actor is who performed the change.
type Actor struct {
	Subject string
	Role    string
	Chamber string
}

// Write is the context of one mutation.
type Write struct {
	// Action is the past-tense event name, e.g. "Created", "Registered".
	Action string
	// Event, when set, names the outbox event instead of the resource kind
	// followed by Action: a fair's evaluation is "FairEvaluated" although
	// fairs are stored as events.
	Event string
	// Method is the full gRPC method, e.g. /hirfa.registry.v1.ArtisanService/RegisterArtisan.
	Method string
	// RequestID makes the write idempotent: a second write with the same
	// RequestID (per chamber, actor and method) returns the stored result.
	RequestID string
	Actor     Actor
	TraceID   string
}

// Mutation is what the transport knows about a write before the application
// decides anything: the method, the idempotency key, the etag the caller
// read, a reason (for lifecycle moves) and the trace.
type Mutation struct {
	Method    string
	RequestID string
	Etag      string
	Reason    string
	TraceID   string
}

// Write is the store's record of the mutation by actor, as action.
func (m Mutation) Write(actor Actor, action string) Write {
	return Write{Action: action, Method: m.Method, RequestID: m.RequestID, Actor: actor, TraceID: m.TraceID}
}
