-- ODCO's cooperative name requests (chambers/{chamber}/nameRequests). The
-- whole request is kept in `data`; the columns serve the overdue list, the
-- national decision queue, the name check's incremental read and the
-- lookup of a certificate by its number (given once, ever).
CREATE TABLE name_requests (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    state       TEXT NOT NULL,
    due_time    BIGINT NOT NULL,
    certificate TEXT,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX name_requests_create ON name_requests (chamber, create_time, id);
CREATE INDEX name_requests_national ON name_requests (create_time, chamber, id);
CREATE INDEX name_requests_due ON name_requests (state, due_time);
CREATE INDEX name_requests_update ON name_requests (update_time);
CREATE UNIQUE INDEX name_requests_certificate ON name_requests (certificate);

-- Certificate numbers run per year nationally (ODCO-2026-000042).
CREATE TABLE name_certificate_sequences (
    year INTEGER PRIMARY KEY,
    last BIGINT NOT NULL
);

-- A cooperative's registration names the certificate it consumed; the
-- unique index is what makes a certificate usable once, even when two
-- registrations race. Cooperatives registered before certificates keep
-- their free-text reference in `data` and no certificate here.
ALTER TABLE cooperatives ADD COLUMN name_certificate TEXT;
CREATE UNIQUE INDEX cooperatives_name_certificate ON cooperatives (name_certificate);
