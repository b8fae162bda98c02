-- An applicant has no NIA yet (NULL): the unique index need only hold the
-- NIAs given, so creating an applicant no longer inserts into it (each
-- B-tree on artisans costs every write a descent and a WAL record; index
-- maintenance is most of a bulk import's database time). A look-up by NIA
-- (nia = ?) implies NOT NULL and still uses it.
--
-- The gender list indexes stay: every documented filter answers its first
-- page from an index (TestFirstPagesAnswerFromAnIndex), and a page of a
-- gender rare in a chamber would otherwise read far more than its rows.
DROP INDEX artisans_nia;
CREATE UNIQUE INDEX artisans_nia ON artisans (nia) WHERE nia IS NOT NULL;
