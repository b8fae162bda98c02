-- PostgreSQL stores import files uncompressed from this migration on;
-- SQLite never compresses a BLOB, so it has nothing to change.
SELECT 1;
