-- A list filtered by gender and ordered by display_name (documented on
-- ListArtisans): the display key begins with the given name, and given
-- names are a gender's own, so walking 0018's name index for one gender
-- first reads the other's names that sort before its first (at 3 million
-- artisans, every Abdelkader, Abdellah and Ahmed before the first Aicha:
-- seconds). These indexes read one gender's rows in name order, nationally
-- and per chamber; state = … AND gender = … walks them too (a state is one
-- in 15 or more of a gender's rows, and independent of the name).
CREATE INDEX artisans_national_gender_name ON artisans (gender, display_key, chamber, id);
CREATE INDEX artisans_gender_name_page ON artisans (chamber, gender, display_key, id);
