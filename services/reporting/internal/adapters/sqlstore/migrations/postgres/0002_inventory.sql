-- The comprehensive inventory of associations and cooperatives: what the
-- registry holds about their life (organisation_facts, one row per
-- organisation, from Association* and Cooperative* events) and dated
-- evidence held by other services (evidence_facts, one row per source
-- resource: a document filed at the desk, a registration at a chamber's
-- event). Accepted exhibitors are read from exhibitor_facts. The standing
-- itself is computed when read (time alone changes it).
CREATE TABLE organisation_facts (
    registrant_type TEXT NOT NULL,
    chamber         TEXT NOT NULL,
    id              TEXT NOT NULL,
    name_ar         TEXT NOT NULL,
    name_fr         TEXT NOT NULL,
    province        TEXT NOT NULL,
    state           TEXT NOT NULL,
    state_reason    TEXT NOT NULL,
    state_actor     TEXT NOT NULL,
    state_date      TEXT NOT NULL,
    founded_date    TEXT NOT NULL,
    definitive_date TEXT NOT NULL,
    receipt_due     TEXT NOT NULL,
    assembly_date   TEXT NOT NULL,
    bureau_date     TEXT NOT NULL,
    version         BIGINT NOT NULL,
    deleted         SMALLINT NOT NULL,
    PRIMARY KEY (chamber, registrant_type, id)
);

CREATE TABLE evidence_facts (
    source     TEXT PRIMARY KEY,
    registrant TEXT NOT NULL,
    chamber    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    day        TEXT NOT NULL,
    version    BIGINT NOT NULL,
    deleted    SMALLINT NOT NULL
);
CREATE INDEX evidence_facts_registrant ON evidence_facts (chamber, registrant);
CREATE INDEX exhibitor_facts_applicant ON exhibitor_facts (applicant);
