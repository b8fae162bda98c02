-- Every documented list filter answers its first page from an index,
-- national (chambers/-) and per chamber, as migration 0004 began.

-- The tolerant name search of migrations 0008 and 0011 for associations
-- and enterprises: an FTS5 trigram table over the folded key (no copy of
-- the text: its content is the register's table), kept in step by
-- triggers, so display_name:"…" reads the index instead of scanning the
-- register with LIKE '%…%'.
CREATE VIRTUAL TABLE associations_names USING fts5(display_key, content='associations', content_rowid='rowid', tokenize='trigram');
INSERT INTO associations_names (rowid, display_key) SELECT rowid, display_key FROM associations;
CREATE TRIGGER associations_names_insert AFTER INSERT ON associations BEGIN
    INSERT INTO associations_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;
CREATE TRIGGER associations_names_delete AFTER DELETE ON associations BEGIN
    INSERT INTO associations_names (associations_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
END;
CREATE TRIGGER associations_names_update AFTER UPDATE OF display_key ON associations BEGIN
    INSERT INTO associations_names (associations_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
    INSERT INTO associations_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;
CREATE VIRTUAL TABLE enterprises_names USING fts5(display_key, content='enterprises', content_rowid='rowid', tokenize='trigram');
INSERT INTO enterprises_names (rowid, display_key) SELECT rowid, display_key FROM enterprises;
CREATE TRIGGER enterprises_names_insert AFTER INSERT ON enterprises BEGIN
    INSERT INTO enterprises_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;
CREATE TRIGGER enterprises_names_delete AFTER DELETE ON enterprises BEGIN
    INSERT INTO enterprises_names (enterprises_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
END;
CREATE TRIGGER enterprises_names_update AFTER UPDATE OF display_key ON enterprises BEGIN
    INSERT INTO enterprises_names (enterprises_names, rowid, display_key) VALUES ('delete', old.rowid, old.display_key);
    INSERT INTO enterprises_names (rowid, display_key) VALUES (new.rowid, new.display_key);
END;

-- Keyset indexes for the documented filters 0004 left out: the equality
-- filter followed by the list order, one national, one per chamber (a
-- national index would have to skip the other chambers' rows, all of them
-- for a chamber that has none of the value).
CREATE INDEX artisans_national_activity ON artisans (activity, create_time, chamber, id);
CREATE INDEX artisans_activity_page ON artisans (chamber, activity, create_time, id);
CREATE INDEX artisans_national_category ON artisans (category, create_time, chamber, id);
CREATE INDEX artisans_category_page ON artisans (chamber, category, create_time, id);
CREATE INDEX cooperatives_national_activity ON cooperatives (activity, create_time, chamber, id);
CREATE INDEX cooperatives_activity_page ON cooperatives (chamber, activity, create_time, id);
CREATE INDEX enterprises_national_activity ON enterprises (activity, create_time, chamber, id);
CREATE INDEX enterprises_activity_page ON enterprises (chamber, activity, create_time, id);
-- Province per chamber: 0004's one province index served both scopes on
-- the view that a province belongs to one chamber, but a chamber's page of
-- another chamber's province (none) then read every row of that province
-- in the index to find it has none.
CREATE INDEX artisans_province_chamber_page ON artisans (chamber, province, create_time, id);
CREATE INDEX cooperatives_province_chamber_page ON cooperatives (chamber, province, create_time, id);
CREATE INDEX associations_province_chamber_page ON associations (chamber, province, create_time, id);
CREATE INDEX enterprises_province_chamber_page ON enterprises (chamber, province, create_time, id);
-- An ICE or a supervising artisan names a handful of enterprises: one index
-- serves both scopes. The live-ICE unique index is partial (state <>
-- 'CLOSED'), so it cannot answer ice = "…", which includes closed ones.
-- The supervisor index of 0008 (the merge's lookup) gains the order.
CREATE INDEX enterprises_ice_page ON enterprises (ice, create_time, chamber, id);
DROP INDEX enterprises_supervisor;
CREATE INDEX enterprises_supervisor ON enterprises (supervising_artisan, create_time, chamber, id);

-- Name requests: the state filter, and the overdue list (state PENDING,
-- due_time passed, ordered by due_time), national and per chamber. The
-- (state, due_time) index of 0007 gave the order of due_time only, so the
-- chamber and id that complete it were sorted.
CREATE INDEX name_requests_national_state ON name_requests (state, create_time, chamber, id);
CREATE INDEX name_requests_state_page ON name_requests (chamber, state, create_time, id);
DROP INDEX name_requests_due;
CREATE INDEX name_requests_due ON name_requests (state, due_time, chamber, id);
CREATE INDEX name_requests_due_page ON name_requests (chamber, state, due_time, id);
