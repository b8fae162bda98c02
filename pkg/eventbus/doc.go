// Package eventbus moves domain events from each producing service's outbox
// to Redis Streams and from there into consumers' projections, at least once
// on the wire and exactly once in effect.
//
//	producer tx ──► outbox row ──Relay──► XADD <prefix>events:<source> ──Consumer──► handler(tx) + processed_events row ──► XACK
//
// # Envelope
//
// Every stream entry carries one hirfa.event.v1.Envelope (proto/hirfa/event/v1):
// id, type, source, subject, chamber, time, data (Any: the public resource
// message named by the outbox's data_type) and the W3C traceparent of the
// request that wrote the row, so a trace runs from the API call to the
// projection update. Entry fields: "id", "type", "subject" (for reading a
// stream by hand) and "envelope" (the protobuf bytes, the only one decoded).
//
// # Streams
//
// One stream per source service: <prefix>events:registry,
// <prefix>events:events-and-fairs. A resource belongs to exactly one
// service, so all events of one resource share one stream, and a consumer
// reads a source's events in the order they were added. Per-type-family
// streams would spread one resource over several streams (a cooperative's
// Created and Registered are one family, but a fair's Event and
// FairEvaluated are not) and lose that order. Each XADD trims with
// MAXLEN ~ Relay.MaxLen: the stream is a buffer, not the record; PostgreSQL
// stays the source of truth.
//
// # Relay: in-process, several replicas
//
// The relay runs inside each producing service (a goroutine the composition
// root starts: go relay.Run(ctx)), not as its own process: it needs the
// service's database and nothing else, it scales and fails with the service
// whose rows it moves, the embedded default stays one process per service,
// and there is no extra Deployment to keep in step with the producer's schema.
// Running it in every replica is safe:
//
//   - PostgreSQL: a batch is claimed in seq order with
//     SELECT … FOR UPDATE SKIP LOCKED, so replicas take disjoint rows.
//     Per-resource order across replicas: before publishing, a relay holds
//     back every claimed row of a subject that has an earlier unpublished row
//     it did not claim (another replica holds it); that replica publishes
//     and commits first, and the held-back rows go in a later batch. Within
//     a batch rows are sent in seq order on one connection in one MULTI/EXEC,
//     so Redis appends them in that order. seq order is commit order for one
//     resource, because every write to a resource locks its row first.
//   - SQLite (embedded default): one process owns the file, so one relay
//     reads a batch without locks and marks it afterwards.
//
// Rows are marked published only after Redis acknowledged the MULTI/EXEC. A
// crash in between publishes them again: consumers see duplicates and apply
// them once (processed_events). Marking a row published moves it, in the
// claim's transaction, from the outbox to outbox_archive with its publish
// time, so the outbox holds only unpublished rows: a delete writes no index
// entry, where updating a column the outbox's indexes named rewrote the row
// and three index entries per event. Archived rows are pruned after
// Relay.Retention; a republish moves them back under their own seq.
//
// # Consumers
//
// A Consumer reads its streams in a consumer group (XGROUP CREATE … 0
// MKSTREAM, XREADGROUP). A batch of entries is applied in one database
// transaction: for each event a processed_events (consumer_group, event_id)
// row is inserted; if it already exists the event is a duplicate and is
// skipped, otherwise Handler runs in the same transaction. XACK follows the
// commit. When the batch fails, each event is retried in its own
// transaction so one poison event does not hold back the others. A failed
// event stays pending; after Consumer.ClaimIdle it is reclaimed with
// XAUTOCLAIM (by this or another replica, e.g. when its consumer died) and
// retried; once it has been delivered Consumer.MaxDeliveries times, its
// next failure moves it to the dead-letter stream <prefix>deadletter:<group>
// with the failure as the reason, and it is acked. An envelope that cannot
// be decoded, or a handler error wrapped with Permanent, is dead-lettered at
// once. DeadLetters lists them; ReplayDeadLetter applies one again (after a
// fix) and removes it from the dead-letter stream.
//
// An event that keeps failing is retried while later events of the same
// stream proceed, so a projection keyed by resource should ignore an event
// older than what it holds (the payload's update_time or revision).
//
// # Rebuild
//
// Redis is not the record. A relay that finds its source's marker key gone
// (a new or emptied Redis: first start, the embedded server restarted, a
// Redis without persistence restarted) republishes every outbox row still
// within Relay.Retention; consumers skip what they already applied. A
// projection added later, or behind by more than the retention or the
// stream's MAXLEN, is rebuilt from the producer's current state:
// WriteSnapshot writes one <Kind>Snapshot event per current record into the
// outbox, page by page, and the relay publishes them like any other event.
// store.Table.SnapshotPage (TableSnapshot) is the page of any resource
// table; each producer runs them all with `<service> snapshot` (svcmain),
// a command rather than an RPC because it is an operator's rare rebuild that
// needs only the database. Deleted records are not replayed, but each
// kind's run carries its id on every event (Envelope.snapshot_id) and ends
// with a SnapshotCompletedType marker (kind, run, count, start time), so a
// projection removes the records of the kind the run did not mention and
// that are older than its start: deletions it missed.
//
// A set-based projection sets BatchHandler instead of Handler: it gets all
// new events of a batch at once (one statement per batch instead of one per
// event) and, when the batch fails, each event alone.
//
// # Embedded default
//
// With no Redis URL, Open starts an in-process Redis-protocol server
// (miniredis v2) and the same relay and consumer code talks to it over
// loopback: not a second, in-memory bus implementation, so the embedded
// default exercises exactly the production code path. What differs:
//
//   - nothing is persisted: a restart empties it. The relays' marker keys
//     vanish with it, so each relay republishes its retention window and the
//     consumers, whose processed_events survive in their SQLite files, skip
//     what they had applied and apply what was lost in flight. No snapshot
//     is needed for that; WriteSnapshot is for projections older than the
//     retention or new ones.
//   - it is one node and keeps everything in memory (MAXLEN still applies).
//
// In the embedded default every service is its own process, so one process
// hosts the server on a fixed loopback address and the others connect to
// it as to a Redis. The consumer side (reporting) is the natural host:
//
//	bus, err := eventbus.Open(eventbus.Options{URL: cfg.RedisURL, EmbeddedAddr: "127.0.0.1:9190"}) // reporting
//	bus, err := eventbus.Open(eventbus.Options{URL: "redis://127.0.0.1:9190"})                   // producers
//
// Producers started before the host just retry (Run logs and backs off).
//
// # Wiring (composition roots)
//
// A producer starts its relay next to its gRPC server:
//
//	relay := &eventbus.Relay{DB: db, Bus: bus, Source: "registry", Log: log}
//	go func() { _ = relay.Run(ctx) }()
//
// A consumer:
//
//	c := &eventbus.Consumer{DB: db, Bus: bus, Group: "reporting",
//		Streams: []string{bus.Stream("registry"), bus.Stream("events-and-fairs")},
//		Handler: projections.Apply, Log: log}
//	go func() { _ = c.Run(ctx) }()
//
// and exposes c.DeadLetters and c.ReplayDeadLetter through its API. Both
// need the platform migrations of pkg/store (store.Migrate applies them):
// outbox.traceparent and outbox.data_type, outbox_archive, and
// processed_events.
//
// # Metrics (OpenTelemetry, exported for Prometheus by pkg/telemetry)
//
// Relay: hirfa.eventbus.relay.published (events), .batches, .errors,
// .pruned, .republished, and gauges .backlog (unpublished rows) and
// .oldest_age (seconds since the oldest unpublished row was written).
// Consumer, per stream and group: .applied, .duplicates, .failures,
// .dead_lettered, and gauges hirfa.eventbus.consumer.pending (delivered,
// not acked), .lag (in the stream, not yet delivered to the group) and
// .oldest_age (seconds since the oldest event not yet acked was added).
package eventbus
