-- Nothing changes on SQLite: its name trigrams are the FTS5 table of 0008,
-- kept in step by triggers. (PostgreSQL's name_grams column becomes written
-- by the registry in this migration.)
SELECT 1;
