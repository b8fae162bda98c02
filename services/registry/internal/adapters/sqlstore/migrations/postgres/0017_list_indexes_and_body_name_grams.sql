-- Every documented list filter answers its first page from an index,
-- national (chambers/-) and per chamber, as migration 0004 began.

-- The tolerant name search of migrations 0008 and 0011 for associations
-- and enterprises: the trigrams of the folded key in a name_grams column
-- under a GIN index, so display_name:"…" reads the index instead of
-- scanning the register with LIKE '%…%'. The column is written by the
-- registry with the row (nameColumns in namesearch.go), as artisans' is
-- since 0013; it is added as generated and then released so that the
-- existing rows get their trigrams in the one rewrite ADD COLUMN makes,
-- instead of an UPDATE leaving a dead copy of every row.
ALTER TABLE associations ADD COLUMN name_grams TEXT[] GENERATED ALWAYS AS (registry_name_grams(display_key)) STORED;
ALTER TABLE associations ALTER COLUMN name_grams DROP EXPRESSION;
CREATE INDEX associations_name_grams ON associations USING gin (name_grams);
ALTER TABLE enterprises ADD COLUMN name_grams TEXT[] GENERATED ALWAYS AS (registry_name_grams(display_key)) STORED;
ALTER TABLE enterprises ALTER COLUMN name_grams DROP EXPRESSION;
CREATE INDEX enterprises_name_grams ON enterprises USING gin (name_grams);
-- Cooperatives' trigrams are written by the registry too: one way for
-- every register (the stored values stay).
ALTER TABLE cooperatives ALTER COLUMN name_grams DROP EXPRESSION;

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
-- The planner takes chamber and province for independent and so expects
-- a fifth of a chamber's rows in another chamber's province: it would
-- walk the chamber's order for them instead. The pairs that exist (a
-- province is in one chamber) teach it that the others have no rows.
CREATE STATISTICS artisans_chamber_province (mcv) ON chamber, province FROM artisans;
CREATE STATISTICS cooperatives_chamber_province (mcv) ON chamber, province FROM cooperatives;
CREATE STATISTICS associations_chamber_province (mcv) ON chamber, province FROM associations;
CREATE STATISTICS enterprises_chamber_province (mcv) ON chamber, province FROM enterprises;
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
