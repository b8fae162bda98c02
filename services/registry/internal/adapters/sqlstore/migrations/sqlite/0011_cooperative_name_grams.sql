-- The tolerant name search of migration 0008 for cooperatives: an FTS5
-- trigram table over the folded key (no copy of the text: its content is
-- the cooperatives table), kept in step by triggers, so display_name:"…" on
-- a cooperative list reads the index instead of scanning with LIKE '%…%'.
CREATE VIRTUAL TABLE cooperatives_names USING fts5(display_key, content='cooperatives', content_rowid='rowid', tokenize='trigram');
INSERT INTO cooperatives_names (rowid, display_key) SELECT rowid, display_key FROM cooperatives;
CREATE TRIGGER cooperatives_names_insert AFTER INSERT ON cooperatives BEGIN
    INSERT INTO cooperatives_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;
CREATE TRIGGER cooperatives_names_delete AFTER DELETE ON cooperatives BEGIN
    INSERT INTO cooperatives_names (cooperatives_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
END;
CREATE TRIGGER cooperatives_names_update AFTER UPDATE OF display_key ON cooperatives BEGIN
    INSERT INTO cooperatives_names (cooperatives_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
    INSERT INTO cooperatives_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;
