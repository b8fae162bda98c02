-- Snapshot runs (eventbus.WriteSnapshot): each snapshot event and the
-- SnapshotCompleted marker that ends a kind's run carry the run's id, so a
-- consumer can remove what a run did not mention. Empty for other events.
ALTER TABLE outbox ADD COLUMN snapshot_id TEXT NOT NULL DEFAULT '';
