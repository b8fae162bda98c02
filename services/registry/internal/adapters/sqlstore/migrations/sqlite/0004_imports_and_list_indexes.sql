-- Keyset indexes for list pages. A list orders by (create_time, chamber, id)
-- and, for a chamber, starts with chamber = ?; a national page
-- (chambers/-) has no chamber prefix. Without an index whose columns are
-- the equality filters followed by that ordering, PostgreSQL reads the whole
-- register and sorts it before returning the first page. One index per
-- documented enum filter (and the state+gender pair the ministry asks for),
-- national and per chamber; province belongs to one chamber, so one index
-- serves both scopes.

-- Artisans
CREATE INDEX artisans_national ON artisans (create_time, chamber, id);
CREATE INDEX artisans_national_state ON artisans (state, create_time, chamber, id);
CREATE INDEX artisans_national_gender ON artisans (gender, create_time, chamber, id);
CREATE INDEX artisans_national_state_gender ON artisans (state, gender, create_time, chamber, id);
CREATE INDEX artisans_province_page ON artisans (province, create_time, chamber, id);
-- The chamber's state index of 0001 cannot give the order: replaced.
DROP INDEX artisans_state;
CREATE INDEX artisans_state_page ON artisans (chamber, state, create_time, id);
CREATE INDEX artisans_gender_page ON artisans (chamber, gender, create_time, id);
CREATE INDEX artisans_state_gender_page ON artisans (chamber, state, gender, create_time, id);

-- Cooperatives (the national order index exists since 0001)
CREATE INDEX cooperatives_national_state ON cooperatives (state, create_time, chamber, id);
CREATE INDEX cooperatives_state_page ON cooperatives (chamber, state, create_time, id);
CREATE INDEX cooperatives_province_page ON cooperatives (province, create_time, chamber, id);

-- Associations
CREATE INDEX associations_national ON associations (create_time, chamber, id);
CREATE INDEX associations_national_state ON associations (state, create_time, chamber, id);
CREATE INDEX associations_national_category ON associations (category, create_time, chamber, id);
CREATE INDEX associations_state_page ON associations (chamber, state, create_time, id);
CREATE INDEX associations_category_page ON associations (chamber, category, create_time, id);
CREATE INDEX associations_province_page ON associations (province, create_time, chamber, id);

-- Enterprises
CREATE INDEX enterprises_national ON enterprises (create_time, chamber, id);
CREATE INDEX enterprises_national_state ON enterprises (state, create_time, chamber, id);
CREATE INDEX enterprises_state_page ON enterprises (chamber, state, create_time, id);
CREATE INDEX enterprises_province_page ON enterprises (province, create_time, chamber, id);

-- Bulk imports (long-running operations). The file is kept until the
-- operation is done so an import a restart interrupted runs again from it;
-- problems is the per-row report as JSON.
CREATE TABLE import_operations (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    dry_run     INTEGER NOT NULL,
    encoding    TEXT NOT NULL,
    file        BLOB,
    state       TEXT NOT NULL,
    total       INTEGER NOT NULL,
    rows_read   INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    problems    TEXT NOT NULL,
    error       TEXT NOT NULL,
    actor       TEXT NOT NULL,
    method      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    done_time   INTEGER,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX import_operations_running ON import_operations (state);

-- A chamber's header → field mapping per kind of record.
CREATE TABLE import_mappings (
    chamber     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    headers     TEXT NOT NULL,
    update_time INTEGER NOT NULL,
    PRIMARY KEY (chamber, kind)
);
