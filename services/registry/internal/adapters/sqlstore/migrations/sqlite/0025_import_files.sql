-- An import's file moves out of import_operations into a table of its own.
-- SQLite keeps a BLOB in the row, and an UPDATE writes the whole row anew:
-- each progress save of a running import (one per batch of 1,000 rows)
-- read the file's hundreds of megabytes back through its overflow pages and
-- compared them page by page, so an import's cost grew with the square of
-- its size (3,000,000 rows: a dry run of 3,400 rows/s against
-- PostgreSQL's 377,000). Kept apart, the file is written once when the
-- operation is created, read only when a restart resumes it, and deleted
-- when the operation is done.
CREATE TABLE import_files (
    chamber TEXT NOT NULL,
    id      TEXT NOT NULL,
    file    BLOB NOT NULL,
    PRIMARY KEY (chamber, id)
);
INSERT INTO import_files (chamber, id, file)
    SELECT chamber, id, file FROM import_operations WHERE file IS NOT NULL;
ALTER TABLE import_operations DROP COLUMN file;
