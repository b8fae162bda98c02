-- Nothing changes on SQLite: its name search is the FTS5 table of 0008.
-- (PostgreSQL's name_grams mark a name's first trigram in this migration.)
SELECT 1;
