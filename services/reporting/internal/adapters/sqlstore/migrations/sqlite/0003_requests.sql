-- Requests received at the chambers' desks (hirfa.desk.v1.ServiceRequest*
-- events): the latest type and state of each, counted by type and state.
CREATE TABLE request_facts (
    chamber TEXT NOT NULL,
    id      TEXT NOT NULL,
    type    TEXT NOT NULL,
    state   TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
