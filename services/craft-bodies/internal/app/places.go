package app

import "github.com/hirfa/hirfa/pkg/territory"

// TerritoryPlaces answers craftbody.Places from the reference territory.
type TerritoryPlaces struct{ T *territory.Territory }

// RegionOf returns the region of a province.
func (p TerritoryPlaces) RegionOf(province string) (string, bool) {
	pr, ok := p.T.Province(province)
	return pr.RegionID, ok
}

// ProvincesOf lists the province ids of a region.
func (p TerritoryPlaces) ProvincesOf(region string) []string {
	if !p.T.RegionExists(region) {
		return nil
	}
	var out []string
	for _, pr := range p.T.ProvincesOf(region) {
		out = append(out, pr.ID)
	}
	return out
}

// Regions lists every region id.
func (p TerritoryPlaces) Regions() []string {
	out := make([]string, len(p.T.Regions))
	for i, r := range p.T.Regions {
		out[i] = r.ID
	}
	return out
}
