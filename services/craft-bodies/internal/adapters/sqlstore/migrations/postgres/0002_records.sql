-- Every craft-bodies table is stored as a versioned persistence record (see
-- pkg/store's Record): rows written before it are the domain struct's JSON,
-- version 0, and stay readable.
ALTER TABLE programmes ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE craft_bodies ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE censuses ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE constitutive_assemblies ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE offices ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE awareness_meetings ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
