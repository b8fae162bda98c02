-- The tolerant name search of migration 0008 for cooperatives: the
-- trigrams of the folded key in a stored column under a GIN index, so
-- display_name:"…" on a cooperative list reads the index instead of
-- scanning every cooperative with LIKE '%…%'.
ALTER TABLE cooperatives ADD COLUMN name_grams TEXT[] GENERATED ALWAYS AS (registry_name_grams(display_key)) STORED;
CREATE INDEX cooperatives_name_grams ON cooperatives USING gin (name_grams);
