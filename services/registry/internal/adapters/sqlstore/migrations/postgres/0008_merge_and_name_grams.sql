-- Merge of duplicate artisans. A MERGED record keeps its CNIE in its data
-- but leaves the live-CNIE index, so the kept record may take that CNIE.
DROP INDEX artisans_live_cnie;
CREATE UNIQUE INDEX artisans_live_cnie ON artisans (cnie) WHERE state NOT IN ('STRUCK_OFF', 'MERGED');
-- A merge points the enterprises the merged artisan supervised at the kept
-- one: found by this index, not by reading every enterprise.
CREATE INDEX enterprises_supervisor ON enterprises (supervising_artisan);

-- Tolerant name search from an index. display_name:"…" is a substring
-- match on the folded key (display_key LIKE '%…%'), which no B-tree serves.
-- pg_trgm would, but finds no Arabic trigrams in a database whose LC_CTYPE
-- is C (its word characters come from the ctype), and the platform does not
-- choose how its databases are created. So the trigrams are cut here, by
-- character (substr counts characters in a UTF-8 database, whatever the
-- ctype), into a stored generated column with a GIN index: "every trigram
-- of the query is in the name" finds no row for an absent name at once, a
-- short list for a rare one. Stored rather than an expression index so
-- that ANALYZE keeps element statistics on it (the planner then walks the
-- ordering index instead for a common name) and a recheck reads the array
-- instead of recomputing it. The LIKE beside it keeps the match exact.
CREATE FUNCTION registry_name_grams(s TEXT) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(DISTINCT substr(s, i, 3)), '{}') FROM generate_series(1, char_length(s) - 2) AS i $$;
ALTER TABLE artisans ADD COLUMN name_grams TEXT[] GENERATED ALWAYS AS (registry_name_grams(display_key)) STORED;
CREATE INDEX artisans_name_grams ON artisans USING gin (name_grams);
