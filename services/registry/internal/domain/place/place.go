// Package place holds the rule shared by every register record: it is kept
// by the chamber of the region where it is seated, and it works in an
// activity of the nomenclature.
package place

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/territory"
)

// Activities answers whether an activity code may be used for records.
type Activities interface {
	Usable(ctx context.Context, code string) (bool, error)
}

// Check verifies that the chamber is a regional chamber, that province lies in
// its region and that activity exists and is not retired. prefix is the
// request field of the resource (e.g. "artisan").
func Check(ctx context.Context, t *territory.Territory, acts Activities, chamber, province, activity, prefix string) error {
	var vs fault.Violations
	if err := checkProvince(t, &vs, chamber, province, prefix); err != nil {
		return err
	}
	if activity == "" {
		vs.Add(prefix+".activity", fault.RuleRequired, "is required")
	} else {
		ok, err := acts.Usable(ctx, activity)
		if err != nil {
			return err
		}
		if !ok {
			vs.Add(prefix+".activity", RuleActivityUnknown, "activity %q is not in the nomenclature (or is retired)", activity)
		}
	}
	return vs.Err()
}

// CheckProvince is Check for records that have no activity.
func CheckProvince(t *territory.Territory, chamber, province, prefix string) error {
	var vs fault.Violations
	if err := checkProvince(t, &vs, chamber, province, prefix); err != nil {
		return err
	}
	return vs.Err()
}

func checkProvince(t *territory.Territory, vs *fault.Violations, chamber, province, prefix string) error {
	c, ok := t.Chamber(chamber)
	switch {
	case !ok:
		return fault.NotFound("chambers/" + chamber)
	case c.RegionID == "":
		return fault.Precondition(ReasonNotARegionalChamber, "chambers/%s keeps no register: records belong to a regional chamber", chamber)
	}
	if province == "" {
		vs.Add(prefix+".province", fault.RuleRequired, "is required")
	} else if p, ok := t.Province(province); !ok {
		vs.Add(prefix+".province", fault.RuleProvinceUnknown, "unknown province %q", province)
	} else if p.RegionID != c.RegionID {
		vs.Add(prefix+".province", RuleProvinceOutsideRegion, "province %q is in region %q, not in the chamber's region %q", province, p.RegionID, c.RegionID)
	}
	return nil
}
