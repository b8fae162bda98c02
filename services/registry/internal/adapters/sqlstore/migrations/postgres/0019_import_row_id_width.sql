-- The width an import pads its row numbers to in the ids of the records it
-- creates (bulkimport.RowIDWidth). Operations created before this column
-- keep 0, unpadded, so one resumed after the upgrade still finds the rows
-- its first run stored under the ids it gave them.
ALTER TABLE import_operations ADD COLUMN row_id_width INTEGER NOT NULL DEFAULT 0;
