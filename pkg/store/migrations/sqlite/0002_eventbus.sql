-- The event bus (pkg/eventbus). The outbox keeps the W3C trace context of
-- the change and the protobuf message name of its payload, so the relay can
-- build the envelope (data as Any) and a trace runs from the API call to the
-- projection. Published rows are pruned by publish time. Consumers record
-- each applied event in processed_events, in the same transaction as their
-- projection change, which makes at-least-once delivery apply exactly once.
ALTER TABLE outbox ADD COLUMN traceparent TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN data_type TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS outbox_published ON outbox (published_time) WHERE published_time IS NOT NULL;

CREATE TABLE IF NOT EXISTS processed_events (
    consumer_group TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    time           INTEGER NOT NULL,
    PRIMARY KEY (consumer_group, event_id)
);
CREATE INDEX IF NOT EXISTS processed_events_time ON processed_events (time);
