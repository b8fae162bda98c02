-- The relay moves each published row from the outbox to outbox_archive
-- instead of setting outbox.published_time. Setting that column was a
-- non-HOT update (the partial indexes named it), so every event was written
-- a second time with three new index entries. A DELETE only marks the heap
-- tuple dead and writes no index entry; the archive row it becomes has one
-- index entry, appended at the right edge: the archive is read only by the
-- prune and by a republish after a Redis data loss, both by publish time.
-- (Not BRIN: the space the prune frees is refilled by new rows, which would
-- widen every block range until each prune read the whole archive.) A row
-- lives in exactly one of the two tables (the move is one statement), so the
-- archive needs no key of its own. The outbox now holds only unpublished
-- rows: the relay claims them by its primary key, and the per-subject order
-- check reads outbox_subject.
CREATE TABLE IF NOT EXISTS outbox_archive (
    seq            BIGINT NOT NULL,
    id             TEXT NOT NULL,
    type           TEXT NOT NULL,
    source         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    chamber        TEXT NOT NULL,
    time           BIGINT NOT NULL,
    data           BYTEA NOT NULL,
    traceparent    TEXT NOT NULL,
    data_type      TEXT NOT NULL,
    snapshot_id    TEXT NOT NULL,
    published_time BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_archive_published ON outbox_archive (published_time);

INSERT INTO outbox_archive (seq, id, type, source, subject, chamber, time, data, traceparent, data_type, snapshot_id, published_time)
    SELECT seq, id, type, source, subject, chamber, time, data, traceparent, data_type, snapshot_id, published_time
    FROM outbox WHERE published_time IS NOT NULL;
DELETE FROM outbox WHERE published_time IS NOT NULL;

DROP INDEX IF EXISTS outbox_published;
DROP INDEX IF EXISTS outbox_unpublished;
DROP INDEX IF EXISTS outbox_unpublished_subject;
ALTER TABLE outbox DROP COLUMN published_time;
CREATE INDEX IF NOT EXISTS outbox_subject ON outbox (subject, seq);
