-- The desk records. As in every Hirfa service the whole record is kept in
-- `data`; the other columns exist for filters, ordering and the overdue
-- list, and are written from the record on every change. Times are UNIX
-- microseconds.
CREATE TABLE service_requests (
    chamber       TEXT NOT NULL,
    id            TEXT NOT NULL,
    revision      INTEGER NOT NULL,
    create_time   INTEGER NOT NULL,
    update_time   INTEGER NOT NULL,
    data          TEXT NOT NULL,
    state         TEXT NOT NULL,
    type          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    requester     TEXT NOT NULL,
    receive_time  INTEGER NOT NULL,
    deadline_time INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX service_requests_create ON service_requests (chamber, create_time, id);
CREATE INDEX service_requests_deadline ON service_requests (chamber, state, deadline_time);

-- Mediation cases; `mediator` narrows a clerk's list to its own cases.
CREATE TABLE mediation_cases (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    state       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    mediator    TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX mediation_cases_create ON mediation_cases (chamber, create_time, id);
CREATE INDEX mediation_cases_mediator ON mediation_cases (chamber, mediator, create_time);
