-- The relay moves each published row from the outbox to outbox_archive
-- instead of setting outbox.published_time (see the PostgreSQL migration of
-- the same number: there that update rewrote every row with three index
-- entries). The outbox now holds only unpublished rows, claimed by seq; the
-- archive is read by publish time, by the prune and by a republish after a
-- Redis data loss.
CREATE TABLE IF NOT EXISTS outbox_archive (
    seq            INTEGER NOT NULL,
    id             TEXT NOT NULL,
    type           TEXT NOT NULL,
    source         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    chamber        TEXT NOT NULL,
    time           INTEGER NOT NULL,
    data           BLOB NOT NULL,
    traceparent    TEXT NOT NULL,
    data_type      TEXT NOT NULL,
    snapshot_id    TEXT NOT NULL,
    published_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_archive_published ON outbox_archive (published_time);

INSERT INTO outbox_archive (seq, id, type, source, subject, chamber, time, data, traceparent, data_type, snapshot_id, published_time)
    SELECT seq, id, type, source, subject, chamber, time, data, traceparent, data_type, snapshot_id, published_time
    FROM outbox WHERE published_time IS NOT NULL;
DELETE FROM outbox WHERE published_time IS NOT NULL;

DROP INDEX IF EXISTS outbox_published;
DROP INDEX IF EXISTS outbox_unpublished;
ALTER TABLE outbox DROP COLUMN published_time;
