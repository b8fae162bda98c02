-- The cooperative name check keeps an in-memory index of every
-- cooperative's name and brings it up to date by reading the cooperatives
-- changed since its last look: this index makes that read a range scan.
CREATE INDEX cooperatives_update ON cooperatives (update_time);
