-- Every register's List documents order_by update_time and display_name
-- (create_time is the default that 0001 and 0004 index): without an index
-- in that order, the first page of a national or a chamber's list so
-- ordered sorted the whole register (at 3 million artisans, a scan and a
-- top-N sort of all of them). One index per order and scope, the order
-- column followed by the keyset's tie-breakers (chamber, id) as Table.List
-- writes them; a descending order reads the same index backwards.
CREATE INDEX artisans_national_update ON artisans (update_time, chamber, id);
CREATE INDEX artisans_update_page ON artisans (chamber, update_time, id);
CREATE INDEX artisans_national_name ON artisans (display_key, chamber, id);
CREATE INDEX artisans_name_page ON artisans (chamber, display_key, id);
CREATE INDEX cooperatives_national_update ON cooperatives (update_time, chamber, id);
CREATE INDEX cooperatives_update_page ON cooperatives (chamber, update_time, id);
CREATE INDEX cooperatives_national_name ON cooperatives (display_key, chamber, id);
CREATE INDEX cooperatives_name_page ON cooperatives (chamber, display_key, id);
CREATE INDEX associations_national_update ON associations (update_time, chamber, id);
CREATE INDEX associations_update_page ON associations (chamber, update_time, id);
CREATE INDEX associations_national_name ON associations (display_key, chamber, id);
CREATE INDEX associations_name_page ON associations (chamber, display_key, id);
CREATE INDEX enterprises_national_update ON enterprises (update_time, chamber, id);
CREATE INDEX enterprises_update_page ON enterprises (chamber, update_time, id);
CREATE INDEX enterprises_national_name ON enterprises (display_key, chamber, id);
CREATE INDEX enterprises_name_page ON enterprises (chamber, display_key, id);
-- The name check's read of the cooperatives changed since a time
-- (changedSince: update_time >= ? ORDER BY update_time) reads
-- cooperatives_national_update as it read 0005's (update_time) index, which
-- every cooperative write no longer pays for.
DROP INDEX cooperatives_update;

-- The cooperatives' range filters (members >= …, capital_centimes >= …):
-- when most cooperatives match, the first page walks the list's order and
-- stops after a page; when few or none do (members >= 150, a capital
-- above what any has), that walk read the whole ordering index to find
-- them. With these indexes the planner reads the few matching rows (its
-- statistics tell it they are few) and sorts them.
CREATE INDEX cooperatives_members ON cooperatives (members);
CREATE INDEX cooperatives_capital ON cooperatives (capital);
