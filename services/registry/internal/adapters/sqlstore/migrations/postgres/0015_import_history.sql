-- The import history (ListImportOperations): each operation keeps the name
-- of the file it was given, and a chamber's imports, or every chamber's for
-- a national read, are paged newest first from an index.
ALTER TABLE import_operations ADD COLUMN file_name TEXT NOT NULL DEFAULT '';
CREATE INDEX import_operations_history ON import_operations (chamber, create_time DESC, id DESC);
CREATE INDEX import_operations_history_national ON import_operations (create_time DESC, chamber DESC, id DESC);
