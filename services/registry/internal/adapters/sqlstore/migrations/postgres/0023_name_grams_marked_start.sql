-- A name's first trigram is stored marked ('^' before it; unmarked too
-- only if it recurs further on). A search for a common first name in name
-- order ("mohamed", one artisan in seven) walked the name index from its
-- start, testing every name sorting before the first holder: over half
-- the register (234 ms at 3 million artisans). The names starting with the
-- query are one range of that index, which a LIKE of the prefix seeks;
-- the others hold it further on, and with the start marked their trigram
-- search no longer returns every holder of the first name. The registry
-- merges the two (nameSearch.split). No index is added: the GIN index on
-- name_grams holds as many trigrams per name as before.
--
-- registry_name_grams now cuts a name's trigrams as stored (nameGrams in
-- namesearch.go); registry_query_grams cuts a query's, all unmarked: a
-- name holding the query after its start holds them all.
CREATE OR REPLACE FUNCTION registry_name_grams(s TEXT) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(DISTINCT CASE WHEN i = 1 THEN '^' ELSE '' END || substr(s, i, 3)), '{}') FROM generate_series(1, char_length(s) - 2) AS i $$;
CREATE FUNCTION registry_query_grams(s TEXT) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(DISTINCT substr(s, i, 3)), '{}') FROM generate_series(1, char_length(s) - 2) AS i $$;
UPDATE artisans SET name_grams = registry_name_grams(display_key);
UPDATE cooperatives SET name_grams = registry_name_grams(display_key);
UPDATE associations SET name_grams = registry_name_grams(display_key);
UPDATE enterprises SET name_grams = registry_name_grams(display_key);
