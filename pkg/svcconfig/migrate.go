package svcconfig

import "strings"

// loadMigrateURL reads HIRFA_MIGRATE_DATABASE_URL: the owner role's DSN,
// for PostgreSQL only, naming another role than HIRFA_DATABASE_URL.
func loadMigrateURL(get Getenv, p *Problems, runtimeURL string) string {
	v := Str(get, "HIRFA_MIGRATE_DATABASE_URL", "")
	if v == "" {
		return ""
	}
	isPG := func(s string) bool {
		return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
	}
	if !isPG(v) || !isPG(runtimeURL) {
		p.Add("HIRFA_MIGRATE_DATABASE_URL: only with PostgreSQL (both it and HIRFA_DATABASE_URL postgres://)")
	}
	if v == runtimeURL {
		p.Add("HIRFA_MIGRATE_DATABASE_URL: must name the owner role, not the runtime role of HIRFA_DATABASE_URL")
	}
	return v
}
