-- An import's file moves out of import_operations into a table of its own,
-- as on SQLite, where an UPDATE of the operation's progress rewrote the
-- whole row with its file (see the SQLite migration): one schema and one
-- store on both databases. PostgreSQL kept the file out of line (TOAST) and
-- never rewrote it, so this changes nothing of its cost. Stored
-- uncompressed, as since 0006.
CREATE TABLE import_files (
    chamber TEXT NOT NULL,
    id      TEXT NOT NULL,
    file    BYTEA NOT NULL,
    PRIMARY KEY (chamber, id)
);
ALTER TABLE import_files ALTER COLUMN file SET STORAGE EXTERNAL;
INSERT INTO import_files (chamber, id, file)
    SELECT chamber, id, file FROM import_operations WHERE file IS NOT NULL;
ALTER TABLE import_operations DROP COLUMN file;
