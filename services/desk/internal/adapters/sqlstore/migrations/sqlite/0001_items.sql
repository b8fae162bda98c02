-- The desk records. As in every Hirfa service the whole record is
-- kept in `data`; the other columns exist for filters and ordering and are
-- written from the record on every change. Times are UNIX microseconds.
CREATE TABLE items (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    state       TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    name_key    TEXT NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX items_create ON items (chamber, create_time, id);
CREATE INDEX items_name ON items (chamber, name_key, id);
