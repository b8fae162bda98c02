-- Artisans are stored as a versioned persistence record (see pkg/store's
-- Record), like enterprises and associations in 0009: rows written before
-- it are the domain struct's JSON, version 0, and stay readable.
ALTER TABLE artisans ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
