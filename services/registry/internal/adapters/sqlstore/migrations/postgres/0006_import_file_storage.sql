-- An import's file is kept in import_operations.file until the operation is
-- done (see 0004); a multi-million-row file is hundreds of megabytes, and
-- compressing it on insert costs the import seconds of database time for
-- a value that is read back only when a restart resumes the import.
ALTER TABLE import_operations ALTER COLUMN file SET STORAGE EXTERNAL;
