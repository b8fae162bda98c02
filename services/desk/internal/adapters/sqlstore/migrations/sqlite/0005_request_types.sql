-- The requests desk's list of request types, national (chamber = 'national'):
-- each type's Arabic and French label and answer deadline in days in `data`;
-- `inactive` types are kept for the requests that have them but new requests
-- may not take them. Seeded with the deadlines the desk applied before types
-- became data (requesttype.Defaults; TestDefaultsMatchTheMigration).
CREATE TABLE request_types (
    chamber     TEXT NOT NULL,
    id          TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    data        TEXT NOT NULL,
    inactive    INTEGER NOT NULL,
    PRIMARY KEY (chamber, id)
);
CREATE INDEX request_types_create ON request_types (chamber, create_time, id);

INSERT INTO request_types (chamber, id, revision, create_time, update_time, data, inactive) VALUES
    ('national', 'SUPPORT', 1, 1795737600000000, 1795651200000000, '{"label": {"ar": "دعم", "fr": "Appui"}, "deadline_days": 30}', 0),
    ('national', 'GUIDANCE', 1, 1795737600000000, 1795651200000000, '{"label": {"ar": "توجيه وإرشاد", "fr": "Orientation"}, "deadline_days": 30}', 0),
    ('national', 'LABEL', 1, 1795737600000000, 1795651200000000, '{"label": {"ar": "علامة الجودة", "fr": "Label de qualité"}, "deadline_days": 30}', 0),
    ('national', 'ATTESTATION', 1, 1795737600000000, 1795651200000000, '{"label": {"ar": "شهادة", "fr": "Attestation"}, "deadline_days": 7}', 0),
    ('national', 'COMPLAINT', 1, 1795737600000000, 1795651200000000, '{"label": {"ar": "شكاية", "fr": "Réclamation"}, "deadline_days": 15}', 0),
    ('national', 'INFORMATION', 1, 1795737600000000, 1795651200000000, '{"label": {"ar": "إرشادات ومعلومات", "fr": "Information"}, "deadline_days": 7}', 0),
    ('national', 'OTHER', 1, 1795737600000000, 1795651200000000, '{"label": {"ar": "أخرى", "fr": "Autre"}, "deadline_days": 30}', 0);
