-- Every desk table is stored as a versioned persistence record (see
-- pkg/store's Record): rows written before it are the domain struct's JSON,
-- version 0, and stay readable.
ALTER TABLE service_requests ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mediation_cases ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE professional_cards ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;
