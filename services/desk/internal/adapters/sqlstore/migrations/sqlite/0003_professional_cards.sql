-- Professional cards and attestations. `code` is the unguessable
-- verification code the public route looks cards up by, in any chamber.
CREATE TABLE professional_cards (
    chamber          TEXT NOT NULL,
    id               TEXT NOT NULL,
    revision         INTEGER NOT NULL,
    create_time      INTEGER NOT NULL,
    update_time      INTEGER NOT NULL,
    data             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    artisan          TEXT NOT NULL,
    code             TEXT NOT NULL,
    valid_until_time INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE UNIQUE INDEX professional_cards_code ON professional_cards (code);
CREATE INDEX professional_cards_create ON professional_cards (chamber, create_time, id);
CREATE INDEX professional_cards_artisan ON professional_cards (chamber, artisan, create_time);

-- Each card holder's register state as the registry's events last told it
-- (update_time: the artisan record's, in microseconds, so an older event
-- delivered late never overwrites a newer state).
CREATE TABLE artisan_states (
    artisan     TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    update_time INTEGER NOT NULL
);
