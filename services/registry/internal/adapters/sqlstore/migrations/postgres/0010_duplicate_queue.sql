-- The stored review queue of duplicate candidates (DuplicateService).
--
-- Every change of an artisan (create, update, state change, merge, delete,
-- and the import's INSERT … SELECT) marks the record in duplicate_pending,
-- in the writing transaction, by the triggers below: no write path can
-- forget it, and none pays for the comparison. The registry's scanner then
-- compares each marked record with the few records sharing its CNIE or its
-- birth date (artisans_birth_date) and rewrites that record's pairs; `seq`
-- tells it whether the record changed again while it was being compared.
CREATE TABLE duplicate_pending (
    chamber TEXT NOT NULL,
    id      TEXT NOT NULL,
    seq     BIGINT NOT NULL,
    PRIMARY KEY (chamber, id)
);
-- Statement triggers with transition tables: one INSERT … ON CONFLICT per
-- statement, so a 5,000-row import batch marks its rows in one statement.
CREATE FUNCTION registry_duplicate_pending() RETURNS trigger AS $$
BEGIN
    INSERT INTO duplicate_pending (chamber, id, seq) SELECT chamber, id, 1 FROM changed
    ON CONFLICT (chamber, id) DO UPDATE SET seq = duplicate_pending.seq + 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER artisans_duplicate_insert AFTER INSERT ON artisans
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION registry_duplicate_pending();
CREATE TRIGGER artisans_duplicate_update AFTER UPDATE ON artisans
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION registry_duplicate_pending();
CREATE TRIGGER artisans_duplicate_delete AFTER DELETE ON artisans
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION registry_duplicate_pending();
-- The records already in the register are compared once, by the scanner.
INSERT INTO duplicate_pending (chamber, id, seq) SELECT chamber, id, 1 FROM artisans;

-- The records a marked one is compared with, each found from an index:
-- its live CNIE holder (artisans_live_cnie) or a struck-off record with its
-- CNIE (below: struck-off rows only, so imports of applicants do not feed
-- it), and the people born the same day, the only ones whose names are
-- compared (see domain/duplicate): a few dozen per day nationally.
CREATE INDEX artisans_struck_off_cnie ON artisans (cnie) WHERE state = 'STRUCK_OFF';
CREATE INDEX artisans_birth_date ON artisans ((data->>'birth_date'));

-- One row per pair; artisan sorts before other_artisan. chamber is the
-- chamber both records are in, '' for a pair across chambers (national
-- review only). fingerprint digests both records' identity (names, CNIE,
-- birth date): a DISMISSED pair reopens only when it differs.
CREATE TABLE duplicate_candidates (
    id             TEXT NOT NULL PRIMARY KEY,
    name_chamber   TEXT NOT NULL,
    chamber        TEXT NOT NULL,
    artisan        TEXT NOT NULL,
    other_artisan  TEXT NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    reasons        TEXT NOT NULL,
    state          TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    dismissed_by   TEXT NOT NULL DEFAULT '',
    dismiss_reason TEXT NOT NULL DEFAULT '',
    dismiss_time   BIGINT NOT NULL DEFAULT 0,
    create_time    BIGINT NOT NULL,
    update_time    BIGINT NOT NULL
);
-- The pages of a chamber's queue and of the national one, in list order.
CREATE INDEX duplicate_candidates_chamber ON duplicate_candidates (chamber, state, score DESC, id);
CREATE INDEX duplicate_candidates_national ON duplicate_candidates (state, score DESC, id);
-- A record's pairs, from either side.
CREATE INDEX duplicate_candidates_artisan ON duplicate_candidates (artisan);
CREATE INDEX duplicate_candidates_other ON duplicate_candidates (other_artisan);
