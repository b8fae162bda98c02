-- Tables every producing service has (ARCHITECTURE.md): the outbox written in
-- the same transaction as each change, the append-only audit trail, and the
-- idempotency keys of mutations (request_id).
CREATE TABLE IF NOT EXISTS outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    type           TEXT NOT NULL,
    source         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    chamber        TEXT NOT NULL,
    time           INTEGER NOT NULL,
    data           BLOB NOT NULL,
    published_time INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_time IS NULL;

CREATE TABLE IF NOT EXISTS audit_records (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    time          INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    role          TEXT NOT NULL,
    chamber       TEXT NOT NULL,
    method        TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource      TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    trace_id      TEXT NOT NULL,
    before_digest TEXT NOT NULL,
    after_digest  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_records_resource ON audit_records (resource, seq);
CREATE INDEX IF NOT EXISTS audit_records_chamber ON audit_records (chamber, seq);
CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;

CREATE TABLE IF NOT EXISTS request_keys (
    key      TEXT PRIMARY KEY,
    resource TEXT NOT NULL,
    time     INTEGER NOT NULL
);
