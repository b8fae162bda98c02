// Package territory is the part of Morocco's administrative territory the
// events-and-fairs service needs: which region (and so which regional
// chamber) each prefecture or province belongs to. The data is embedded from
// territory.csv, a copy of the platform's reference file, and never changes
// at run time.
package territory

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
)

//go:embed territory.csv
var territoryCSV []byte

// FederationID is the chamber id of the national federation, which has no
// region of its own.
const FederationID = "federation"

// Territory maps provinces to regions. Regional chambers are named by their
// region id (e.g. "fes-meknes").
type Territory struct {
	regionOf map[string]string // province id → region id
	regions  map[string]bool
}

// Load parses the embedded territory file.
func Load() (*Territory, error) {
	rows, err := csv.NewReader(bytes.NewReader(territoryCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("territory: %w", err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("territory: no rows")
	}
	t := &Territory{regionOf: map[string]string{}, regions: map[string]bool{}}
	for _, r := range rows[1:] {
		if len(r) != 8 {
			return nil, fmt.Errorf("territory: bad row %q", r)
		}
		region, province := r[1], r[4]
		if _, dup := t.regionOf[province]; dup {
			return nil, fmt.Errorf("territory: duplicate province %q", province)
		}
		t.regionOf[province] = region
		t.regions[region] = true
	}
	return t, nil
}

// Chamber reports whether id names a chamber: a regional chamber or the
// federation.
func (t *Territory) Chamber(id string) bool { return id == FederationID || t.regions[id] }

// Province reports whether id names a prefecture or province.
func (t *Territory) Province(id string) bool {
	_, ok := t.regionOf[id]
	return ok
}

// InChamber reports whether province lies in the territory of chamber. The
// federation's territory is the whole country.
func (t *Territory) InChamber(chamber, province string) bool {
	region, ok := t.regionOf[province]
	return ok && (chamber == FederationID || region == chamber)
}
