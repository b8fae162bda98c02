-- The registers of the chambers. The whole record is kept in `data`; the
-- other columns exist for filters, ordering and uniqueness, and are written
-- from the record on every change. Times are UNIX microseconds.
CREATE TABLE artisans (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    state       TEXT NOT NULL,
    province    TEXT NOT NULL,
    activity    TEXT NOT NULL,
    category    TEXT NOT NULL,
    gender      TEXT NOT NULL,
    cnie        TEXT NOT NULL,
    nia         TEXT,
    display_key TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
-- One live registration per person nationally: a struck-off record keeps its
-- CNIE but no longer blocks a new application.
CREATE UNIQUE INDEX artisans_live_cnie ON artisans (cnie) WHERE state <> 'STRUCK_OFF';
-- An NIA is given once, ever.
CREATE UNIQUE INDEX artisans_nia ON artisans (nia);
CREATE INDEX artisans_create ON artisans (chamber, create_time, id);
CREATE INDEX artisans_state ON artisans (chamber, state);

CREATE TABLE nia_sequences (
    chamber TEXT NOT NULL,
    year    BIGINT NOT NULL,
    last    BIGINT NOT NULL,
    PRIMARY KEY (chamber, year)
);

CREATE TABLE cooperatives (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    state       TEXT NOT NULL,
    province    TEXT NOT NULL,
    activity    TEXT NOT NULL,
    members     BIGINT NOT NULL,
    capital     BIGINT NOT NULL,
    display_key TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX cooperatives_create ON cooperatives (chamber, create_time, id);
CREATE INDEX cooperatives_national ON cooperatives (create_time, chamber, id);

CREATE TABLE associations (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    state       TEXT NOT NULL,
    province    TEXT NOT NULL,
    category    TEXT NOT NULL,
    display_key TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX associations_create ON associations (chamber, create_time, id);

CREATE TABLE enterprises (
    chamber             TEXT NOT NULL,
    id                  TEXT NOT NULL,
    revision            BIGINT NOT NULL,
    create_time         BIGINT NOT NULL,
    update_time         BIGINT NOT NULL,
    data                JSONB NOT NULL,
    state               TEXT NOT NULL,
    province            TEXT NOT NULL,
    activity            TEXT NOT NULL,
    ice                 TEXT NOT NULL,
    supervising_artisan TEXT NOT NULL,
    display_key         TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE UNIQUE INDEX enterprises_live_ice ON enterprises (ice) WHERE state <> 'CLOSED';
CREATE INDEX enterprises_create ON enterprises (chamber, create_time, id);

CREATE TABLE activities (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    family      TEXT NOT NULL,
    branch      TEXT NOT NULL,
    retired     BIGINT NOT NULL,
    display_key TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
