-- The reporting projections, fed only by the producers' events. A *_facts
-- table keeps the latest state of each resource (version = the resource's
-- update time in µs; an older or repeated event changes nothing; a deleted
-- resource stays as a tombstone, deleted = 1). Dates are 'YYYY-MM-DD' text.
--
-- registrant_counts* are pre-aggregated counts maintained by the event
-- handler (−1 under a registrant's old key, +1 under its new one), so a
-- distribution sums a few thousand rows instead of scanning the register.
-- Four cubes; a question is answered from the smallest one holding every
-- dimension it groups or filters by, and from registrant_facts only when it
-- filters on the exact register_date.
CREATE TABLE registrant_facts (
    registrant_type TEXT NOT NULL,
    chamber         TEXT NOT NULL,
    id              TEXT NOT NULL,
    region          TEXT NOT NULL,
    province        TEXT NOT NULL,
    activity        TEXT NOT NULL,
    category        TEXT NOT NULL,
    state           TEXT NOT NULL,
    gender          TEXT NOT NULL,
    register_date   TEXT NOT NULL,
    register_month  TEXT NOT NULL,
    members_women   INTEGER NOT NULL,
    members_men     INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL,
    PRIMARY KEY (registrant_type, chamber, id)
);
CREATE INDEX registrant_facts_date ON registrant_facts (registrant_type, register_date);
CREATE INDEX registrant_facts_chamber_date ON registrant_facts (registrant_type, chamber, register_date);

-- Every dimension but the register date.
CREATE TABLE registrant_counts (
    registrant_type TEXT NOT NULL,
    chamber         TEXT NOT NULL,
    region          TEXT NOT NULL,
    province        TEXT NOT NULL,
    activity        TEXT NOT NULL,
    category        TEXT NOT NULL,
    state           TEXT NOT NULL,
    gender          TEXT NOT NULL,
    registrants     INTEGER NOT NULL,
    members_women   INTEGER NOT NULL,
    members_men     INTEGER NOT NULL,
    PRIMARY KEY (registrant_type, chamber, region, province, activity, category, state, gender)
);

-- Without the activity: territory, category, state, gender.
CREATE TABLE registrant_counts_profile (
    registrant_type TEXT NOT NULL,
    chamber         TEXT NOT NULL,
    region          TEXT NOT NULL,
    province        TEXT NOT NULL,
    category        TEXT NOT NULL,
    state           TEXT NOT NULL,
    gender          TEXT NOT NULL,
    registrants     INTEGER NOT NULL,
    members_women   INTEGER NOT NULL,
    members_men     INTEGER NOT NULL,
    PRIMARY KEY (registrant_type, chamber, region, province, category, state, gender)
);

-- Territory and state by register month (growth, targets).
CREATE TABLE registrant_counts_month (
    registrant_type TEXT NOT NULL,
    chamber         TEXT NOT NULL,
    region          TEXT NOT NULL,
    province        TEXT NOT NULL,
    state           TEXT NOT NULL,
    register_month  TEXT NOT NULL,
    registrants     INTEGER NOT NULL,
    members_women   INTEGER NOT NULL,
    members_men     INTEGER NOT NULL,
    PRIMARY KEY (registrant_type, chamber, region, province, state, register_month)
);

-- The activity by region and state (distributions by activity, branch, family).
CREATE TABLE registrant_counts_activity (
    registrant_type TEXT NOT NULL,
    chamber         TEXT NOT NULL,
    region          TEXT NOT NULL,
    activity        TEXT NOT NULL,
    state           TEXT NOT NULL,
    registrants     INTEGER NOT NULL,
    members_women   INTEGER NOT NULL,
    members_men     INTEGER NOT NULL,
    PRIMARY KEY (registrant_type, chamber, region, activity, state)
);

CREATE TABLE activity_facts (
    code      TEXT PRIMARY KEY,
    name_ar   TEXT NOT NULL,
    name_fr   TEXT NOT NULL,
    family    TEXT NOT NULL,
    family_ar TEXT NOT NULL,
    family_fr TEXT NOT NULL,
    branch    TEXT NOT NULL,
    branch_ar TEXT NOT NULL,
    branch_fr TEXT NOT NULL,
    version   INTEGER NOT NULL
);

CREATE TABLE event_facts (
    chamber         TEXT NOT NULL,
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL,
    province        TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    title_ar        TEXT NOT NULL,
    title_fr        TEXT NOT NULL,
    evaluated       INTEGER NOT NULL,
    eval_exhibitors INTEGER NOT NULL,
    eval_artisans   INTEGER NOT NULL,
    eval_visitors   INTEGER NOT NULL,
    eval_sales      INTEGER NOT NULL,
    eval_registered INTEGER NOT NULL,
    eval_attended   INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX event_facts_start ON event_facts (start_date, chamber);
CREATE INDEX event_facts_chamber_start ON event_facts (chamber, start_date);

CREATE TABLE exhibitor_facts (
    chamber        TEXT NOT NULL,
    event          TEXT NOT NULL,
    id             TEXT NOT NULL,
    applicant      TEXT NOT NULL,
    applicant_type TEXT NOT NULL,
    state          TEXT NOT NULL,
    sales_centimes INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    deleted        INTEGER NOT NULL,
    PRIMARY KEY (chamber, event, id)
);

CREATE TABLE visitor_facts (
    chamber  TEXT NOT NULL,
    event    TEXT NOT NULL,
    day      TEXT NOT NULL,
    visitors INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    deleted  INTEGER NOT NULL,
    PRIMARY KEY (chamber, event, day)
);

CREATE TABLE agreement_facts (
    chamber      TEXT NOT NULL,
    id           TEXT NOT NULL,
    title_ar     TEXT NOT NULL,
    title_fr     TEXT NOT NULL,
    state        TEXT NOT NULL,
    resolution   TEXT NOT NULL,
    approve_date TEXT NOT NULL,
    version      INTEGER NOT NULL,
    deleted      INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX agreement_facts_approved ON agreement_facts (approve_date, chamber);

-- Registration targets, owned by this service (store.Table layout).
CREATE TABLE registration_targets (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    province    TEXT NOT NULL,
    year        INTEGER NOT NULL,
    artisans    INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX registration_targets_create ON registration_targets (chamber, create_time, id);
CREATE INDEX registration_targets_year ON registration_targets (year, chamber);
