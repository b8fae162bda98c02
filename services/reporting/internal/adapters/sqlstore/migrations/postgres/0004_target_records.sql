-- Registration targets are stored as a versioned persistence record (see
-- pkg/store's Record): rows written before it are the domain struct's JSON,
-- version 0, and stay readable.
ALTER TABLE registration_targets ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
