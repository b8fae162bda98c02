-- Cooperatives, name requests and activities are stored as a versioned
-- persistence record (see pkg/store's Record): rows written before it are
-- the domain struct's JSON, version 0, and stay readable.
ALTER TABLE cooperatives ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE name_requests ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
