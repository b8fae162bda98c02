-- Professional cards and attestations issued at the desks
-- (hirfa.desk.v1.ProfessionalCard* events): the latest of each, counted per
-- chamber and kind; invalidated ones are found by joining the artisan's
-- registrant fact (artisan_chamber, artisan_id).
CREATE TABLE card_facts (
    chamber         TEXT NOT NULL,
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    artisan_chamber TEXT NOT NULL,
    artisan_id      TEXT NOT NULL,
    artisan_state   TEXT NOT NULL,
    revoked         INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);

-- Craft bodies in their founding pipeline (hirfa.craftbodies.v1.CraftBody*
-- events): the latest province, craft and stage of each.
CREATE TABLE craft_body_facts (
    chamber  TEXT NOT NULL,
    id       TEXT NOT NULL,
    province TEXT NOT NULL,
    craft    TEXT NOT NULL,
    stage    TEXT NOT NULL,
    version  INTEGER NOT NULL,
    deleted  INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
