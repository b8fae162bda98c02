-- The events-and-fairs records. As in every Hirfa service the whole record
-- is kept in `data`; the other columns exist for filters, ordering,
-- uniqueness and the figures, and are written from the record on every
-- change. Times are UNIX microseconds; dates are 'YYYY-MM-DD' text, which
-- orders and compares the same way on both databases. Nested records
-- (booths, exhibitors, …) have the id "{parent}.{child}" and a parent column.
CREATE TABLE events (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    state       TEXT NOT NULL,
    province    TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    title_key   TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX events_create ON events (chamber, create_time, id);
CREATE INDEX events_start ON events (chamber, start_date, id);
CREATE INDEX events_national_start ON events (start_date, chamber, id);

CREATE TABLE booths (
    chamber      TEXT NOT NULL,
    id           TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    create_time  INTEGER NOT NULL,
    update_time  INTEGER NOT NULL,
    data         TEXT NOT NULL,
    event        TEXT NOT NULL,
    number       TEXT NOT NULL,
    zone         TEXT NOT NULL,
    fee_centimes INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
-- A booth number appears once on a fair's site plan.
CREATE UNIQUE INDEX booths_number ON booths (chamber, event, number);

CREATE TABLE exhibitors (
    chamber        TEXT NOT NULL,
    id             TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    create_time    INTEGER NOT NULL,
    update_time    INTEGER NOT NULL,
    data           TEXT NOT NULL,
    event          TEXT NOT NULL,
    applicant      TEXT NOT NULL,
    applicant_type TEXT NOT NULL,
    gender         TEXT NOT NULL,
    women          INTEGER NOT NULL,
    rural          INTEGER NOT NULL,
    outside_region INTEGER NOT NULL,
    province       TEXT NOT NULL,
    state          TEXT NOT NULL,
    booth          TEXT,
    sales_centimes INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
-- One application per applicant and fair.
CREATE UNIQUE INDEX exhibitors_applicant ON exhibitors (chamber, event, applicant);
-- The final guard of booth allocation: a booth is never given twice, however
-- many allocations race. NULL (no booth) never collides.
CREATE UNIQUE INDEX exhibitors_booth ON exhibitors (chamber, event, booth);
CREATE INDEX exhibitors_event ON exhibitors (chamber, event, create_time, id);

CREATE TABLE visitor_counts (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    event       TEXT NOT NULL,
    day         TEXT NOT NULL,
    visitors    INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX visitor_counts_event ON visitor_counts (chamber, event, day);

CREATE TABLE registrations (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    event       TEXT NOT NULL,
    state       TEXT NOT NULL,
    code        TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
-- A check-in code opens one registration.
CREATE UNIQUE INDEX registrations_code ON registrations (chamber, event, code);
CREATE INDEX registrations_event ON registrations (chamber, event, create_time, id);

CREATE TABLE assemblies (
    chamber      TEXT NOT NULL,
    id           TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    create_time  INTEGER NOT NULL,
    update_time  INTEGER NOT NULL,
    data         TEXT NOT NULL,
    state        TEXT NOT NULL,
    session_type TEXT NOT NULL,
    day          TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX assemblies_create ON assemblies (chamber, create_time, id);

CREATE TABLE agenda_items (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    assembly    TEXT NOT NULL,
    position    INTEGER NOT NULL,
    state       TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX agenda_items_assembly ON agenda_items (chamber, assembly, position, id);

CREATE TABLE agreements (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    state       TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    title_key   TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX agreements_create ON agreements (chamber, create_time, id);
CREATE INDEX agreements_end ON agreements (state, end_date);
