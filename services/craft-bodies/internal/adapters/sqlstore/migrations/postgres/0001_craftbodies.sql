-- The craft-bodies records. As in every Hirfa service the whole record is
-- kept in `data`; the other columns exist for filters, ordering and
-- uniqueness, and are written from the record on every change. Times are
-- UNIX microseconds; dates are 'YYYY-MM-DD' text. Records nested under a
-- body (census, assembly, offices, awareness meetings) have the id
-- "{body}.{child}" (the census and the assembly: the body's id) and a body
-- column.
CREATE TABLE programmes (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    launch_date TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX programmes_create ON programmes (chamber, create_time, id);

CREATE TABLE craft_bodies (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    level       TEXT NOT NULL,
    craft       TEXT NOT NULL,
    province    TEXT NOT NULL,
    region      TEXT NOT NULL,
    stage       TEXT NOT NULL,
    programme   TEXT NOT NULL,
    phase       BIGINT NOT NULL,
    body_key    TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX craft_bodies_create ON craft_bodies (chamber, create_time, id);
CREATE INDEX craft_bodies_national_create ON craft_bodies (create_time, chamber, id);
CREATE INDEX craft_bodies_craft ON craft_bodies (level, craft);
-- One live body per (level, craft, territory), across every chamber: a
-- dissolved body frees its key.
CREATE UNIQUE INDEX craft_bodies_live_key ON craft_bodies (body_key) WHERE stage <> 'DISSOLVED';

CREATE TABLE censuses (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    members     BIGINT NOT NULL,
    PRIMARY KEY (chamber, id)
);

CREATE TABLE constitutive_assemblies (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    state       TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);

CREATE TABLE offices (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    body        TEXT NOT NULL,
    position    BIGINT NOT NULL,
    elected     TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX offices_position ON offices (chamber, body, position, id);

CREATE TABLE awareness_meetings (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    data        JSONB NOT NULL,
    body        TEXT NOT NULL,
    day         TEXT NOT NULL,
    event       TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX awareness_meetings_day ON awareness_meetings (chamber, body, day, id);
-- An event is linked to one meeting only.
CREATE UNIQUE INDEX awareness_meetings_event ON awareness_meetings (event);
