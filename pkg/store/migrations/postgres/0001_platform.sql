-- Tables every producing service has (ARCHITECTURE.md): the outbox written in
-- the same transaction as each change, the append-only audit trail, and the
-- idempotency keys of mutations (request_id).
CREATE TABLE IF NOT EXISTS outbox (
    seq            BIGSERIAL PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    type           TEXT NOT NULL,
    source         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    chamber        TEXT NOT NULL,
    time           BIGINT NOT NULL,
    data           BYTEA NOT NULL,
    published_time BIGINT
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_time IS NULL;

CREATE TABLE IF NOT EXISTS audit_records (
    seq           BIGSERIAL PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    time          BIGINT NOT NULL,
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

-- The audit trail is append-only even for the service's own role.
CREATE OR REPLACE FUNCTION audit_records_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_records_no_change ON audit_records;
CREATE TRIGGER audit_records_no_change BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_immutable();

CREATE TABLE IF NOT EXISTS request_keys (
    key      TEXT PRIMARY KEY,
    resource TEXT NOT NULL,
    time     BIGINT NOT NULL
);
