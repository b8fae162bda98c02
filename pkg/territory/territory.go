// Package territory is Morocco's administrative territory as every service uses
// it: 12 regions, 75 prefectures and provinces, and the 12 regional chambers
// (one per region) plus their national federation. The data is embedded from
// territory.csv (a copy of the platform's reference file) and never changes
// at run time.
package territory

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
)

//go:embed territory.csv
var territoryCSV []byte

// FederationID is the chamber id of the national federation.
const FederationID = "federation"

// Region is one of the 12 regions.
type Region struct {
	ID   string // e.g. "fes-meknes"
	Code string // e.g. "MA-03"
	Name l10n.Text
}

// Province is a prefecture or province.
type Province struct {
	ID         string
	RegionID   string
	Name       l10n.Text
	Prefecture bool
}

// Chamber is a regional chamber or the federation.
type Chamber struct {
	ID       string // region id for regional chambers, "federation"
	RegionID string // empty for the federation
	Name     l10n.Text
}

// Territory is the loaded reference data.
type Territory struct {
	Regions   []Region
	Provinces []Province
	Chambers  []Chamber
	province  map[string]Province
	chamber   map[string]Chamber
}

// Load parses the embedded territory file.
func Load() (*Territory, error) {
	rows, err := csv.NewReader(bytes.NewReader(territoryCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("territory: %w", err)
	}
	t := &Territory{province: map[string]Province{}, chamber: map[string]Chamber{}}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if len(r) != 8 {
			return nil, fmt.Errorf("territory: bad row %q", r)
		}
		code, rid, rfr, rar, pid, pfr, par, kind := r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
		if !seen[rid] {
			seen[rid] = true
			t.Regions = append(t.Regions, Region{ID: rid, Code: code, Name: l10n.Text{AR: rar, FR: rfr}})
			c := Chamber{ID: rid, RegionID: rid, Name: l10n.Text{
				AR: "غرفة الصناعة التقليدية لجهة " + rar,
				FR: "Chambre d'Artisanat de la Région " + rfr,
			}}
			t.Chambers = append(t.Chambers, c)
			t.chamber[c.ID] = c
		}
		p := Province{ID: pid, RegionID: rid, Name: l10n.Text{AR: par, FR: pfr}, Prefecture: kind == "prefecture"}
		if _, dup := t.province[pid]; dup {
			return nil, fmt.Errorf("territory: duplicate province %q", pid)
		}
		t.Provinces = append(t.Provinces, p)
		t.province[pid] = p
	}
	sort.Slice(t.Regions, func(i, j int) bool { return t.Regions[i].Code < t.Regions[j].Code })
	fed := Chamber{ID: FederationID, Name: l10n.Text{
		AR: "الجامعة الوطنية لغرف الصناعة التقليدية",
		FR: "Fédération des Chambres d'Artisanat du Maroc",
	}}
	t.Chambers = append(t.Chambers, fed)
	t.chamber[fed.ID] = fed
	return t, nil
}

// Province looks a province up by id.
func (t *Territory) Province(id string) (Province, bool) {
	p, ok := t.province[id]
	return p, ok
}

// Chamber looks a chamber up by id.
func (t *Territory) Chamber(id string) (Chamber, bool) {
	c, ok := t.chamber[id]
	return c, ok
}

// ProvincesOf lists the provinces of a region ("-" for all).
func (t *Territory) ProvincesOf(regionID string) []Province {
	var out []Province
	for _, p := range t.Provinces {
		if regionID == resource.Wildcard || p.RegionID == regionID {
			out = append(out, p)
		}
	}
	return out
}

// RegionExists reports whether a region id is known.
func (t *Territory) RegionExists(id string) bool {
	_, ok := t.chamber[id]
	return ok && id != FederationID
}

// HasProvince reports whether id names a prefecture or province.
func (t *Territory) HasProvince(id string) bool {
	_, ok := t.province[id]
	return ok
}

// InChamber reports whether province lies in the territory of chamber. The
// federation's territory is the whole country.
func (t *Territory) InChamber(chamber, province string) bool {
	p, ok := t.province[province]
	return ok && (chamber == FederationID || p.RegionID == chamber)
}
