-- Merge of duplicate artisans. A MERGED record keeps its CNIE in its data
-- but leaves the live-CNIE index, so the kept record may take that CNIE.
DROP INDEX artisans_live_cnie;
CREATE UNIQUE INDEX artisans_live_cnie ON artisans (cnie) WHERE state NOT IN ('STRUCK_OFF', 'MERGED');
-- A merge points the enterprises the merged artisan supervised at the kept
-- one: found by this index, not by reading every enterprise.
CREATE INDEX enterprises_supervisor ON enterprises (supervising_artisan);
