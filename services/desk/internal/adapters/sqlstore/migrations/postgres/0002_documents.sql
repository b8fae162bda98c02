-- The archive's document records (the contents are in the object store,
-- under the key chamber/id). `owner` lists a record's documents.
CREATE TABLE documents (
    chamber        TEXT NOT NULL,
    id             TEXT NOT NULL,
    revision       BIGINT NOT NULL,
    create_time    BIGINT NOT NULL,
    update_time    BIGINT NOT NULL,
    data           JSONB NOT NULL,
    owner          TEXT NOT NULL,
    classification TEXT NOT NULL,
    retention      TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX documents_create ON documents (chamber, create_time, id);
CREATE INDEX documents_owner ON documents (chamber, owner, create_time);
