package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/pkg/textnorm"
)

// The fills below give BenchmarkFirstPages a register shaped like the
// national one rather than like a test's: the 12 chambers, Fès-Meknès
// holding 3 in 5 rows (as in the RNA figures issue 11 measured) and the
// others a share each down to 1 in 100, every region's provinces (the
// first ones, the cities, fuller), skewed states, genders, categories and
// activities, and names drawn from real given and family names (a few very
// common) and from syllables (rare ones), in both scripts, and family
// names of one region (regionalNames). Each column is drawn from its own
// hash of the row number, so filters are independent as in life rather
// than aligned on i % k (but for the regional names, which follow the
// chamber, and the given names, which follow the gender as in life).
// PostgreSQL only (the benchmarks').

// otherChambers share the 2 in 5 rows Fès-Meknès does not hold, in
// fortieths (roughly by population and craft activity).
var otherChambers = []struct {
	id     string
	weight int
}{
	{"casablanca-settat", 7}, {"marrakech-safi", 6}, {"rabat-sale-kenitra", 5}, {"tanger-tetouan-al-hoceima", 4},
	{"oriental", 4}, {"souss-massa", 4}, {"beni-mellal-khenifra", 3}, {"draa-tafilalet", 3},
	{"guelmim-oued-noun", 2}, {"laayoune-sakia-el-hamra", 1}, {"dakhla-oued-ed-dahab", 1},
}

// Names as they are written; the fill folds them as the registry does.
var (
	maleNames = [][2]string{
		{"Mohamed", "محمد"}, {"Ahmed", "أحمد"}, {"Youssef", "يوسف"}, {"Omar", "عمر"}, {"Hassan", "حسن"},
		{"Brahim", "إبراهيم"}, {"Said", "سعيد"}, {"Rachid", "رشيد"}, {"Abdellah", "عبد الله"}, {"Mustapha", "مصطفى"},
		{"Driss", "إدريس"}, {"Khalid", "خالد"}, {"Abdelkader", "عبد القادر"}, {"Hamid", "حميد"}, {"Karim", "كريم"},
		{"Noureddine", "نور الدين"}, {"Aziz", "عزيز"}, {"Larbi", "العربي"}, {"Jamal", "جمال"}, {"Mehdi", "المهدي"},
	}
	femaleNames = [][2]string{
		{"Fatima", "فاطمة"}, {"Khadija", "خديجة"}, {"Aicha", "عائشة"}, {"Zineb", "زينب"}, {"Naima", "نعيمة"},
		{"Amina", "أمينة"}, {"Latifa", "لطيفة"}, {"Malika", "مليكة"}, {"Hafsa", "حفصة"}, {"Souad", "سعاد"},
		{"Rachida", "رشيدة"}, {"Saida", "سعيدة"}, {"Nadia", "نادية"}, {"Karima", "كريمة"}, {"Halima", "حليمة"},
		{"Meryem", "مريم"}, {"Hanane", "حنان"}, {"Ilham", "إلهام"}, {"Samira", "سميرة"}, {"Loubna", "لبنى"},
	}
	familyNames = [][2]string{
		{"Alaoui", "العلوي"}, {"Idrissi", "الإدريسي"}, {"Bennani", "بناني"}, {"Tazi", "التازي"}, {"El Fassi", "الفاسي"},
		{"Berrada", "برادة"}, {"Chraibi", "الشرايبي"}, {"Benjelloun", "بنجلون"}, {"Lahlou", "لحلو"}, {"Sqalli", "السقلي"},
		{"Kettani", "الكتاني"}, {"Amrani", "العمراني"}, {"Ouazzani", "الوزاني"}, {"Hassani", "الحسني"}, {"Tahiri", "الطاهري"},
		{"Naciri", "الناصري"}, {"Zerouali", "الزروالي"}, {"Filali", "الفيلالي"}, {"Belhaj", "بلحاج"}, {"Cherkaoui", "الشرقاوي"},
		{"Benali", "بنعلي"}, {"Bouzidi", "البوزيدي"}, {"Mansouri", "المنصوري"}, {"Saidi", "السعيدي"}, {"Rifi", "الريفي"},
		{"Soussi", "السوسي"}, {"Doukkali", "الدكالي"}, {"Slaoui", "السلاوي"}, {"Meknassi", "المكناسي"}, {"Bakkali", "البقالي"},
		{"Ghazi", "الغازي"}, {"Lamrani", "اللمراني"}, {"Skalli", "السكالي"}, {"Guessous", "كسوس"}, {"Benkirane", "بنكيران"},
		{"Sefrioui", "الصفريوي"}, {"Mernissi", "المرنيسي"}, {"Jebli", "الجبلي"}, {"Sebti", "السبتي"}, {"Marrakchi", "المراكشي"},
	}
	// Syllables of the rare family names: 17³ names of three syllables
	// and a final "i" ("karatai", كاراتاي), about 1 in 8,000 of the
	// people who do not carry a common family name.
	syllables = [][2]string{
		{"ben", "بن"}, {"el", "ال"}, {"ka", "كا"}, {"ra", "را"}, {"mo", "مو"}, {"ta", "تا"}, {"za", "زا"}, {"fi", "في"}, {"lou", "لو"},
		{"ha", "ها"}, {"sa", "سا"}, {"bou", "بو"}, {"dri", "دري"}, {"ne", "ني"}, {"ja", "جا"}, {"qa", "قا"}, {"wa", "وا"},
	}
	// regionalNames are family names dense in their own regions and rare
	// elsewhere: one in eight people of those chambers carries one (drawn
	// by u10), one in 50,000 elsewhere (36 in Fès-Meknès at 3 million).
	// Nationally each is held by more rows than the name search's dense
	// threshold (namesearch.go), while a large chamber holds a handful.
	regionalNames = []struct {
		name     [2]string
		chambers []string
	}{
		{[2]string{"Reguibi", "الركيبي"}, []string{"laayoune-sakia-el-hamra", "dakhla-oued-ed-dahab", "guelmim-oued-noun"}},
		{[2]string{"Outaleb", "أوطالب"}, []string{"souss-massa"}},
	}
)

// regionalShare and elsewhereShare are the shares of people carrying a
// regional family name in and outside its region.
const (
	regionalShare  = 0.125
	elsewhereShare = 0.00002
)

// sqlArray is an SQL text array of the folded names of one script.
func sqlArray(names [][2]string, script int) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "'" + strings.ReplaceAll(textnorm.Fold(n[script]), "'", "''") + "'"
	}
	return "ARRAY[" + strings.Join(out, ",") + "]"
}

// weighted is one value of a column and its share in hundredths.
type weighted struct {
	value string
	share int
}

// pick is a CASE choosing among values by their shares from u, a uniform
// draw in [0, 1).
func pick(u string, values []weighted) string {
	var b strings.Builder
	b.WriteString("CASE")
	total := 0
	for _, v := range values {
		total += v.share
		fmt.Fprintf(&b, " WHEN %s * 100 < %d THEN '%s'", u, total, v.value)
	}
	b.WriteString(" END")
	if total != 100 {
		panic(fmt.Sprintf("shares of %v add up to %d", values, total))
	}
	return b.String()
}

// fillAtScale adds n rows to a register table in one INSERT … SELECT over
// generate_series, distributed as the comment at the top of this file
// says. cols are the register's own columns and vals their values: SQL
// over the row number i and the draws u1…u10 (each uniform in [0, 1) and
// independent of the others); u1 to u4 are taken by the chamber, the
// province, the state and the names' gender, u5 by the given name and u6
// by the family name (u10 by a regional one). create_time spreads the rows over 2015–2025 in row
// order; update_time is some time after it.
//
// With rebuild, the table's secondary indexes are dropped before the
// insert and built again after it (as pg_dump's restore does): building
// an index over 3 million rows costs a fraction of maintaining it row by
// row, and the result is the same index.
func fillAtScale(tb testing.TB, db *store.DB, table string, states []weighted, cols, vals string, n int, rebuild bool) {
	tb.Helper()
	ctx := context.Background()
	terr, err := territory.Load()
	if err != nil {
		tb.Fatal(err)
	}
	// The chambers' draw ranges, in thousandths of u1.
	var regs, provs []string
	lo := 0
	add := func(id string, width int) {
		ps := terr.ProvincesOf(id)
		regs = append(regs, fmt.Sprintf("('%s', %d, %d, %d)", id, lo, lo+width, len(ps)))
		for k, p := range ps {
			provs = append(provs, fmt.Sprintf("('%s', %d, '%s')", id, k, p.ID))
		}
		lo += width
	}
	add("fes-meknes", 600)
	for _, c := range otherChambers {
		add(c.id, c.weight*10)
	}
	if lo != 1000 || len(regs) != 12 {
		tb.Fatalf("chamber shares: %d thousandths over %d chambers", lo, len(regs))
	}
	u := func(k int) string {
		return fmt.Sprintf("((hashint4extended(i, %d) & 1048575)::float8 / 1048576)", k)
	}
	var draws []string
	for k := 1; k <= 10; k++ {
		draws = append(draws, u(k)+fmt.Sprintf(" AS u%d", k))
	}
	// Given names: the first of each list the most frequent (about 1 in
	// 7 people is a Mohamed), by the square of a uniform draw. Family
	// names: 2 in 5 carry one of the common ones (by the same skew), the
	// others a syllable name.
	given := func(script int) string {
		return fmt.Sprintf("CASE WHEN u4 < 0.4 THEN (%s)[1 + floor(u5 * u5 * %d)::int] ELSE (%s)[1 + floor(u5 * u5 * %d)::int] END",
			sqlArray(femaleNames, script), len(femaleNames), sqlArray(maleNames, script), len(maleNames))
	}
	family := func(script int) string {
		syl := sqlArray(syllables, script)
		s := len(syllables)
		last := "i"
		if script == 1 {
			last = "ي"
		}
		return fmt.Sprintf(`CASE WHEN u6 < 0.4 THEN (%[1]s)[1 + floor((u6 / 0.4) * (u6 / 0.4) * %[2]d)::int]
    ELSE (%[3]s)[1 + floor(u6 * 1000003)::int %% %[4]d] || (%[3]s)[1 + floor(u6 * 1000003)::int / %[4]d %% %[4]d] || (%[3]s)[1 + floor(u6 * 1000003)::int / %[5]d %% %[4]d] || '%[6]s' END`,
			sqlArray(familyNames, script), len(familyNames), syl, s, s*s, last)
	}
	// A regional family name replaces the drawn one for regionalShare of
	// its chambers' rows (u10 below it) and elsewhereShare of the others'
	// (u10 just above it, so the two never overlap).
	regional := func(script int, other string) string {
		var b strings.Builder
		b.WriteString("CASE")
		for k, rn := range regionalNames {
			lo := regionalShare + float64(k)*elsewhereShare
			fmt.Fprintf(&b, " WHEN r.chamber IN ('%s') AND u10 < %g THEN '%s' WHEN r.chamber NOT IN ('%[1]s') AND u10 >= %[4]g AND u10 < %[5]g THEN '%[3]s'",
				strings.Join(rn.chambers, "', '"), regionalShare, textnorm.Fold(rn.name[script]), lo, lo+elsewhereShare)
		}
		fmt.Fprintf(&b, " ELSE %s END", other)
		return b.String()
	}
	span := int64(11 * 365 * 24 * time.Hour / time.Microsecond)
	step := max(span/int64(n), 1)
	q := fmt.Sprintf(`WITH reg(chamber, lo, hi, nprov) AS (VALUES %s),
prov(chamber, k, province) AS (VALUES %s)
INSERT INTO %s (chamber, id, revision, create_time, update_time, data, state, province, %s, display_key, name_grams)
SELECT x.*, registry_name_grams(x.display_key)
FROM (
  SELECT r.chamber, 'f' || i AS id, 1, 1420070400000000 + i::bigint * %d,
    1420070400000000 + i::bigint * %d + floor(u7 * u7 * 3e13)::bigint, '{}'::jsonb,
    %s, p.province, %s,
    %s || ' ' || %s || ' ' || %s || ' ' || %s AS display_key
  FROM generate_series(1, %d) AS i
  CROSS JOIN LATERAL (SELECT %s) AS d
  JOIN reg r ON floor(u1 * 1000) >= r.lo AND floor(u1 * 1000) < r.hi
  JOIN prov p ON p.chamber = r.chamber AND p.k = floor(u2 * u2 * r.nprov)::int
) AS x`,
		strings.Join(regs, ", "), strings.Join(provs, ", "), table, cols,
		step, step, pick("u3", states), vals,
		given(0), regional(0, family(0)), given(1), regional(1, family(1)), n, strings.Join(draws, ", "))
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string) {
		tb.Helper()
		if _, err := conn.ExecContext(ctx, q); err != nil {
			tb.Fatalf("fill %d %s: %v\n%s", n, table, err, q)
		}
	}
	exec("SET maintenance_work_mem = '256MB'")
	var indexes []string
	if rebuild {
		rows, err := conn.QueryContext(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
			JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
			WHERE i.tablename = $1 AND i.schemaname = current_schema() AND NOT x.indisprimary`, table)
		if err != nil {
			tb.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				tb.Fatal(err)
			}
			names, indexes = append(names, name), append(indexes, def)
		}
		if err := rows.Close(); err != nil {
			tb.Fatal(err)
		}
		for _, name := range names {
			exec("DROP INDEX " + name)
		}
	}
	exec(q)
	for _, def := range indexes {
		exec(def)
	}
	// VACUUM merges the GIN index's pending list (the fast-update buffer a
	// bulk insert fills) as autovacuum would after an import; ANALYZE gives
	// the planner the new register's statistics.
	exec("VACUUM ANALYZE " + table)
}

// fillArtisansAtScale adds n artisans: 70 % registered, 15 % applicants,
// 9 % suspended, 6 % struck off; 2 in 5 women; 60 % experienced, 39 %
// graduates, 1 % masters; an activity among 50 skewed towards the first
// codes; an NIA for every registered artisan (never "0101202600001").
func fillArtisansAtScale(tb testing.TB, db *store.DB, n int, rebuild bool) {
	tb.Helper()
	fillAtScale(tb, db, "artisans", []weighted{{"REGISTERED", 70}, {"APPLICANT", 15}, {"SUSPENDED", 9}, {"STRUCK_OFF", 6}},
		"activity, category, gender, cnie, nia",
		activityAtScale+", "+pick("u8", []weighted{{"EXPERIENCED", 60}, {"GRADUATE", 39}, {"MASTER", 1}})+
			`, CASE WHEN u4 < 0.4 THEN 'FEMALE' ELSE 'MALE' END, 'F' || i, CASE WHEN u3 < 0.7 THEN '99' || lpad(i::text, 11, '0') END`,
		n, rebuild)
}

// fillCooperativesAtScale adds n cooperatives: 7 to about 200 members
// (most near 7; 1 in 100 with 150 or more), a capital of 5,000 to about
// 1,000,000 dirhams (most small; 1 in 100 at 900,000 or more).
func fillCooperativesAtScale(tb testing.TB, db *store.DB, n int, rebuild bool) {
	tb.Helper()
	fillAtScale(tb, db, "cooperatives", []weighted{{"ACTIVE", 55}, {"REGISTERED", 20}, {"FORMING", 10}, {"DORMANT", 10}, {"DISSOLVED", 5}},
		"activity, members, capital",
		activityAtScale+", 7 + floor(power(u8, 6) * 200)::int, 500000 + floor(power(u9, 4) * 1e8)::bigint", n, rebuild)
}

// fillAssociationsAtScale adds n associations, one in five of women and
// none of youth.
func fillAssociationsAtScale(tb testing.TB, db *store.DB, n int, rebuild bool) {
	tb.Helper()
	fillAtScale(tb, db, "associations", []weighted{{"ACTIVE", 65}, {"DECLARED", 20}, {"STAGNANT", 10}, {"DISSOLVED", 5}},
		"category", pick("u8", []weighted{{"PROFESSIONAL", 60}, {"DEVELOPMENT", 15}, {"WOMEN", 20}, {"OTHER", 5}}), n, rebuild)
}

// fillEnterprisesAtScale adds n enterprises, each with its own ICE and a
// supervising artisan of Fès-Meknès.
func fillEnterprisesAtScale(tb testing.TB, db *store.DB, n int, rebuild bool) {
	tb.Helper()
	fillAtScale(tb, db, "enterprises", []weighted{{"ACTIVE", 85}, {"CLOSED", 15}},
		"activity, ice, supervising_artisan", activityAtScale+", 'ICE' || i, 'chambers/fes-meknes/artisans/f' || (i / 2)", n, rebuild)
}

// activityAtScale is one of 50 activity codes, the first ones the most
// frequent (F1.B02.A0 about 1 in 7, F1.B02.A49 about 1 in 100).
const activityAtScale = "'F1.B02.A' || floor(u9 * u9 * 50)::int"
