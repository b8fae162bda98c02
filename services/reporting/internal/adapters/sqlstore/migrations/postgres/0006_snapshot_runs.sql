-- The snapshot run that last mentioned each fact (eventdecode: the
-- envelope's snapshot_id). When a run of a kind completes, the live facts
-- of the kind it did not mention and that are older than its start are
-- tombstoned: their deletion was missed. '' for a fact no run mentioned.
ALTER TABLE registrant_facts ADD COLUMN snapshot_id TEXT NOT NULL DEFAULT '';
ALTER TABLE event_facts ADD COLUMN snapshot_id TEXT NOT NULL DEFAULT '';
ALTER TABLE exhibitor_facts ADD COLUMN snapshot_id TEXT NOT NULL DEFAULT '';
ALTER TABLE visitor_facts ADD COLUMN snapshot_id TEXT NOT NULL DEFAULT '';
ALTER TABLE agreement_facts ADD COLUMN snapshot_id TEXT NOT NULL DEFAULT '';
-- The completed run's check counts the facts it marked.
CREATE INDEX registrant_facts_snapshot ON registrant_facts (registrant_type, snapshot_id);
CREATE INDEX event_facts_snapshot ON event_facts (snapshot_id);
CREATE INDEX exhibitor_facts_snapshot ON exhibitor_facts (snapshot_id);
CREATE INDEX visitor_facts_snapshot ON visitor_facts (snapshot_id);
CREATE INDEX agreement_facts_snapshot ON agreement_facts (snapshot_id);
