-- A deleted cooperative leaves no row, so the name check's background read
-- of the cooperatives changed since a time (update_time >= ?) could not see
-- it: another replica's index kept the deleted name until its next full
-- rebuild. The delete writes a release here in its own transaction (the
-- time and revision of the delete), which that read returns beside the
-- changed rows. Releases older than the name check can need are pruned by
-- later deletes (sqlstore.releaseKeep), so the table stays small.
CREATE TABLE cooperative_name_releases (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX cooperative_name_releases_update ON cooperative_name_releases (update_time);
