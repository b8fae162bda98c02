-- Fewer indexes for every artisan write to maintain. Each B-tree on
-- artisans costs every insert a descent and a WAL record; a profile of a
-- bulk import on PostgreSQL put index maintenance at about three fifths of
-- the database's time (each B-tree about 3%, the name trigrams' GIN 14%).
--
-- The gender filters are served by the order and state indexes of 0004,
-- read in keyset order with gender checked on each row: gender has two
-- values, each a large share of a register, so a first page reads a few
-- times its 50 rows rather than a whole register, and no plan sorts.
DROP INDEX artisans_national_gender;
DROP INDEX artisans_national_state_gender;
DROP INDEX artisans_gender_page;
DROP INDEX artisans_state_gender_page;
-- An applicant has no NIA yet (NULL): the unique index need only hold the
-- NIAs given, so creating an applicant no longer inserts into it. A look-up
-- by NIA (nia = ?) implies NOT NULL and still uses it.
DROP INDEX artisans_nia;
CREATE UNIQUE INDEX artisans_nia ON artisans (nia) WHERE nia IS NOT NULL;
