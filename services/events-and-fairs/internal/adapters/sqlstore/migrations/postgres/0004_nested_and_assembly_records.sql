-- Booths, exhibitors, visitor counts, registrations, general assemblies and
-- agenda items are stored as a versioned persistence record (see pkg/store's
-- Record): rows written before it are the domain struct's JSON, version 0,
-- and stay readable.
ALTER TABLE booths ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE exhibitors ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE visitor_counts ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assemblies ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agenda_items ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
