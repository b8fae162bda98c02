// Package place holds the rule shared by every register record: it is kept
// by the chamber of the region where it is seated, and it works in an
// activity of the nomenclature.
package place

import (
	"context"
	"errors"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
)

// Activities answers whether an activity code may be used for records
// (activity.ErrSample for a sample code while the sample is off).
type Activities interface {
	Usable(ctx context.Context, code string) (bool, error)
}

// Check verifies that the chamber is a regional chamber, that province lies in
// its region and that the activity act exists, is not retired and is not a sample
// code while the sample nomenclature is off. prefix is the
// request field of the resource (e.g. "artisan").
func Check(ctx context.Context, t *territory.Territory, acts Activities, chamber, province, act, prefix string) error {
	var vs fault.Violations
	if err := checkProvince(t, &vs, chamber, province, prefix); err != nil {
		return err
	}
	if act == "" {
		vs.Add(prefix+".activity", fault.RuleRequired, "is required")
	} else {
		ok, err := acts.Usable(ctx, act)
		switch {
		case errors.Is(err, activity.ErrSample):
			vs.Add(prefix+".activity", RuleActivitySample, "activity %q is an invented code of the sample nomenclature, usable only with the demo profile", act)
		case err != nil:
			return err
		case !ok:
			vs.Add(prefix+".activity", RuleActivityUnknown, "activity %q is not in the nomenclature (or is retired)", act)
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
