-- Merge of duplicate artisans. A MERGED record keeps its CNIE in its data
-- but leaves the live-CNIE index, so the kept record may take that CNIE.
DROP INDEX artisans_live_cnie;
CREATE UNIQUE INDEX artisans_live_cnie ON artisans (cnie) WHERE state NOT IN ('STRUCK_OFF', 'MERGED');
-- A merge points the enterprises the merged artisan supervised at the kept
-- one: found by this index, not by reading every enterprise.
CREATE INDEX enterprises_supervisor ON enterprises (supervising_artisan);

-- Tolerant name search from an index. display_name:"…" is a substring
-- match on the folded key (display_key LIKE '%…%'), which no B-tree serves.
-- FTS5's trigram tokenizer indexes every three-character run of the key
-- (Arabic as Latin); the table holds no copy of the text (content is the
-- artisans table) and triggers keep it in step with every write, bulk
-- imports included.
CREATE VIRTUAL TABLE artisans_names USING fts5(display_key, content='artisans', content_rowid='rowid', tokenize='trigram');
INSERT INTO artisans_names (rowid, display_key) SELECT rowid, display_key FROM artisans;
CREATE TRIGGER artisans_names_insert AFTER INSERT ON artisans BEGIN
    INSERT INTO artisans_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;
CREATE TRIGGER artisans_names_delete AFTER DELETE ON artisans BEGIN
    INSERT INTO artisans_names (artisans_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
END;
CREATE TRIGGER artisans_names_update AFTER UPDATE OF display_key ON artisans BEGIN
    INSERT INTO artisans_names (artisans_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
    INSERT INTO artisans_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;
