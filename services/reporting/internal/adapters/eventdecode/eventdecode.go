// Package eventdecode turns a producer event (its envelope type, its time
// and its data: the public proto of the resource after the change) into a
// projection.Change. It is the only place that knows the producers'
// contracts; the projection domain sees plain facts.
//
// Event types are `hirfa.<api>.v1.<Kind><Action>` (pkg/store): the kind
// names the payload message, the action "Deleted" deletes. Types no
// projection needs (booths, registrations, assemblies...) are skipped.
package eventdecode

import (
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/l10n"
	craftbodiesv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

// Type prefixes of the producers.
const (
	RegistryPrefix    = "hirfa.registry.v1."
	EventsFairsPrefix = "hirfa.eventsfairs.v1."
	DeskPrefix        = "hirfa.desk.v1."
	CraftBodiesPrefix = "hirfa.craftbodies.v1."
)

// Decoder decodes events. RegionOf maps a province id to its region id
// ("" when unknown).
type Decoder struct {
	RegionOf func(province string) string
}

// Decode returns the change an event makes; ok is false for event types no
// projection uses. A payload that does not decode, or lacks its resource
// name, is an error: the event is poison and goes to the dead letters.
func (d Decoder) Decode(typ string, at time.Time, data []byte) (c projection.Change, ok bool, err error) {
	if typ == eventbus.SnapshotCompletedType {
		return sweep(at, data)
	}
	var api, name string
	switch {
	case strings.HasPrefix(typ, RegistryPrefix):
		api, name = "registry", strings.TrimPrefix(typ, RegistryPrefix)
	case strings.HasPrefix(typ, EventsFairsPrefix):
		api, name = "eventsfairs", strings.TrimPrefix(typ, EventsFairsPrefix)
	case strings.HasPrefix(typ, DeskPrefix):
		api, name = "desk", strings.TrimPrefix(typ, DeskPrefix)
	case strings.HasPrefix(typ, CraftBodiesPrefix):
		api, name = "craftbodies", strings.TrimPrefix(typ, CraftBodiesPrefix)
	default:
		return c, false, nil
	}
	c.Op, c.Time = projection.Upsert, at.UTC()
	if strings.HasSuffix(name, "Deleted") {
		c.Op = projection.Delete
	}
	kind := kindOf(api, name)
	if kind == "" {
		return c, false, nil
	}
	if err := d.decode(kind, data, &c); err != nil {
		return c, false, fmt.Errorf("decode %s: %w", typ, err)
	}
	if c.Empty() {
		return c, false, nil // e.g. a document filed for a request, not an organisation
	}
	return c, true, nil
}

// sweeps are the projections a snapshot run of a kind can correct, by the
// kind's snapshot event type. The others keep no fact per resource of the
// kind (activities, registrations counted only as evidence) or come from a
// producer without snapshots.
var sweeps = map[string]projection.Sweep{
	RegistryPrefix + "Artisan" + eventbus.SnapshotSuffix:         {Fact: projection.FactRegistrant, RegistrantType: projection.Artisan},
	RegistryPrefix + "Cooperative" + eventbus.SnapshotSuffix:     {Fact: projection.FactRegistrant, RegistrantType: projection.Cooperative},
	RegistryPrefix + "Association" + eventbus.SnapshotSuffix:     {Fact: projection.FactRegistrant, RegistrantType: projection.Association},
	RegistryPrefix + "Enterprise" + eventbus.SnapshotSuffix:      {Fact: projection.FactRegistrant, RegistrantType: projection.Enterprise},
	EventsFairsPrefix + "Event" + eventbus.SnapshotSuffix:        {Fact: projection.FactEvent},
	EventsFairsPrefix + "Exhibitor" + eventbus.SnapshotSuffix:    {Fact: projection.FactExhibitor},
	EventsFairsPrefix + "VisitorCount" + eventbus.SnapshotSuffix: {Fact: projection.FactVisitorCount},
	EventsFairsPrefix + "Agreement" + eventbus.SnapshotSuffix:    {Fact: projection.FactAgreement},
}

// sweep decodes the marker that ends a snapshot run of one kind.
func sweep(at time.Time, data []byte) (c projection.Change, ok bool, err error) {
	var m eventv1.SnapshotCompleted
	if err := unmarshal(data, &m); err != nil {
		return c, false, fmt.Errorf("decode %s: %w", eventbus.SnapshotCompletedType, err)
	}
	s, ok := sweeps[m.GetType()]
	if !ok {
		return c, false, nil
	}
	if m.GetSnapshotId() == "" || m.GetStartTime() == nil || m.GetCount() < 0 {
		return c, false, fmt.Errorf("decode %s: snapshot_id, start_time and count are required", eventbus.SnapshotCompletedType)
	}
	s.Run, s.Count, s.Before = m.GetSnapshotId(), m.GetCount(), m.GetStartTime().AsTime().UnixMicro()
	return projection.Change{Time: at.UTC(), Sweep: &s}, true, nil
}

// kindOf finds the resource kind an event type is about.
func kindOf(api, name string) string {
	kinds := map[string][]string{
		"registry":    {"Artisan", "Cooperative", "Association", "Enterprise", "Activity"},
		"eventsfairs": {"FairEvaluated", "Exhibitor", "VisitorCount", "Agreement", "Registration", "Event"},
		"desk":        {"Document", "ServiceRequest", "ProfessionalCard"},
		"craftbodies": {"CraftBody"},
	}
	for _, k := range kinds[api] {
		if strings.HasPrefix(name, k) {
			return k
		}
	}
	return ""
}

func (d Decoder) decode(kind string, data []byte, c *projection.Change) error {
	switch kind {
	case "Artisan":
		var m registryv1.Artisan
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		r, err := d.registrant(projection.Artisan, m.GetName(), m.GetProvince(), m.GetUpdateTime(), c.Time)
		if err != nil {
			return err
		}
		r.Activity, r.Category, r.State, r.Gender = m.GetActivity(), enum(m.GetCategory().String()), enum(m.GetState().String()), enum(m.GetGender().String())
		if m.GetRegisterTime() != nil {
			r.RegisterDate = day(m.GetRegisterTime())
		}
		c.Registrant = &r
	case "Cooperative":
		var m registryv1.Cooperative
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		r, err := d.registrant(projection.Cooperative, m.GetName(), m.GetProvince(), m.GetUpdateTime(), c.Time)
		if err != nil {
			return err
		}
		r.Activity, r.State = m.GetActivity(), enum(m.GetState().String())
		r.MembersWomen, r.MembersMen = int64(m.GetMembersWomen()), int64(m.GetMembersMen())
		r.RegisterDate = day(m.GetCreateTime())
		c.Registrant = &r
		founded := m.GetFoundingDate()
		if founded == "" {
			founded = r.RegisterDate
		}
		c.Organisation = &projection.Organisation{
			Type: r.Type, Chamber: r.Chamber, ID: r.ID, DisplayName: localized(m.GetDisplayName()), Province: r.Province,
			State: r.State, StateReason: m.GetStateReason(), StateDate: c.Time.Format(time.DateOnly),
			FoundedDate: founded, Version: r.Version,
		}
	case "Association":
		var m registryv1.Association
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		r, err := d.registrant(projection.Association, m.GetName(), m.GetProvince(), m.GetUpdateTime(), c.Time)
		if err != nil {
			return err
		}
		r.Category, r.State = enum(m.GetCategory().String()), enum(m.GetState().String())
		r.RegisterDate = day(m.GetCreateTime())
		c.Registrant = &r
		c.Organisation = &projection.Organisation{
			Type: r.Type, Chamber: r.Chamber, ID: r.ID, DisplayName: localized(m.GetDisplayName()), Province: r.Province,
			State: r.State, StateReason: m.GetStateReason(), StateActor: m.GetStateActor(), StateDate: c.Time.Format(time.DateOnly),
			FoundedDate: m.GetReceipt().GetProvisionalDate(), DefinitiveDate: m.GetReceipt().GetDefinitiveDate(),
			AssemblyDate: m.GetLastGeneralAssemblyDate(), BureauDate: m.GetBureauRenewalDate(),
			ReceiptDue: m.GetDefinitiveReceiptDueDate(), Version: r.Version,
		}
	case "Enterprise":
		var m registryv1.Enterprise
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		r, err := d.registrant(projection.Enterprise, m.GetName(), m.GetProvince(), m.GetUpdateTime(), c.Time)
		if err != nil {
			return err
		}
		r.Activity, r.State = m.GetActivity(), enum(m.GetState().String())
		r.RegisterDate = day(m.GetCreateTime())
		c.Registrant = &r
	case "Activity":
		var m registryv1.Activity
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		code := m.GetCode()
		if code == "" {
			code = strings.TrimPrefix(m.GetName(), "activities/")
		}
		if code == "" {
			return fmt.Errorf("activity without code")
		}
		c.Activity = &projection.Activity{
			Code: code, Name: localized(m.GetDisplayName()),
			Family:  projection.Group{Code: m.GetFamily().GetCode(), Name: localized(m.GetFamily().GetDisplayName())},
			Branch:  projection.Group{Code: m.GetBranch().GetCode(), Name: localized(m.GetBranch().GetDisplayName())},
			Version: version(m.GetUpdateTime(), c.Time),
		}
	case "Event", "FairEvaluated":
		var m eventsfairsv1.Event
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		chamber, ids, ok := projection.SplitName(m.GetName())
		if !ok || len(ids) != 1 {
			return fmt.Errorf("bad event name %q", m.GetName())
		}
		e := projection.Event{
			Chamber: chamber, ID: ids[0], Kind: enum(m.GetKind().String()), State: enum(m.GetState().String()),
			Province: m.GetVenue().GetProvince(), StartDate: m.GetStartDate(), EndDate: m.GetEndDate(),
			Title: localized(m.GetTitle()), Version: version(m.GetUpdateTime(), c.Time),
		}
		if ev := m.GetEvaluation(); ev != nil && m.GetState() == eventsfairsv1.Event_EVALUATED {
			e.Evaluation = &projection.Evaluation{
				Exhibitors: int64(ev.GetExhibitors()), Artisans: int64(ev.GetArtisans()),
				Visitors: ev.GetVisitors(), SalesCentimes: ev.GetSalesCentimes(),
				Registered: int64(ev.GetRegistered()), Attended: int64(ev.GetAttended()),
			}
		}
		c.Event = &e
	case "Exhibitor":
		var m eventsfairsv1.Exhibitor
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		chamber, ids, ok := projection.SplitName(m.GetName())
		if !ok || len(ids) != 2 {
			return fmt.Errorf("bad exhibitor name %q", m.GetName())
		}
		c.Exhibitor = &projection.Exhibitor{
			Chamber: chamber, Event: ids[0], ID: ids[1], Applicant: m.GetApplicant(),
			ApplicantType: enum(m.GetApplicantType().String()), State: enum(m.GetState().String()),
			SalesCentimes: m.GetSalesCentimes(), Version: version(m.GetUpdateTime(), c.Time),
		}
	case "VisitorCount":
		var m eventsfairsv1.VisitorCount
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		chamber, ids, ok := projection.SplitName(m.GetName())
		if !ok || len(ids) != 2 {
			return fmt.Errorf("bad visitor count name %q", m.GetName())
		}
		c.VisitorCount = &projection.VisitorCount{
			Chamber: chamber, Event: ids[0], Day: m.GetDate(), Visitors: m.GetVisitors(),
			Version: version(m.GetUpdateTime(), c.Time),
		}
	case "Agreement":
		var m eventsfairsv1.Agreement
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		chamber, ids, ok := projection.SplitName(m.GetName())
		if !ok || len(ids) != 1 {
			return fmt.Errorf("bad agreement name %q", m.GetName())
		}
		a := projection.Agreement{
			Chamber: chamber, ID: ids[0], Title: localized(m.GetTitle()), State: enum(m.GetState().String()),
			Resolution: m.GetApprovingResolution(), Version: version(m.GetUpdateTime(), c.Time),
		}
		if a.Approved() {
			a.ApproveDate = c.Time.Format(time.DateOnly) // kept from the first approved state by the projection
		}
		c.Agreement = &a
	case "Registration":
		var m eventsfairsv1.Registration
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		if _, _, ok := projection.SplitName(m.GetName()); !ok {
			return fmt.Errorf("bad registration name %q", m.GetName())
		}
		chamber, ok := projection.OrganisationName(m.GetParticipant())
		if !ok {
			return nil // a person or an artisan: no organisation's evidence
		}
		e := projection.Evidence{Source: m.GetName(), Registrant: m.GetParticipant(), Chamber: chamber,
			Kind: projection.EvidenceParticipation, Version: version(m.GetUpdateTime(), c.Time)}
		if m.GetState() == eventsfairsv1.Registration_ATTENDED {
			e.Day = day(m.GetCheckInTime())
			if e.Day == "" {
				e.Day = c.Time.Format(time.DateOnly)
			}
		}
		c.Evidence = &e
	case "ServiceRequest":
		var m deskv1.ServiceRequest
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		chamber, ids, ok := projection.SplitName(m.GetName())
		if !ok || len(ids) != 1 {
			return fmt.Errorf("bad service request name %q", m.GetName())
		}
		// request_type carries any type of the desk's list; the enum only
		// the first seven (events from before the list have only the enum).
		typ := m.GetRequestType()
		if typ == "" {
			typ = enum(m.GetType().String())
		}
		c.Request = &projection.ServiceRequest{Chamber: chamber, ID: ids[0], Type: typ,
			State: enum(m.GetState().String()), Version: version(m.GetUpdateTime(), c.Time)}
	case "ProfessionalCard":
		var m deskv1.ProfessionalCard
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		chamber, ids, ok := projection.SplitName(m.GetName())
		if !ok || len(ids) != 1 {
			return fmt.Errorf("bad professional card name %q", m.GetName())
		}
		artisanChamber, artisan, ok := projection.SplitName(m.GetArtisan())
		if !ok || len(artisan) != 1 {
			return fmt.Errorf("bad card holder %q", m.GetArtisan())
		}
		c.Card = &projection.Card{Chamber: chamber, ID: ids[0], Kind: enum(m.GetKind().String()),
			ArtisanChamber: artisanChamber, ArtisanID: artisan[0], ArtisanState: m.GetArtisanState(),
			Revoked: m.GetRevokeTime() != nil, Version: version(m.GetUpdateTime(), c.Time)}
	case "CraftBody":
		var m craftbodiesv1.CraftBody
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		chamber, ids, ok := projection.SplitName(m.GetName())
		if !ok || len(ids) != 1 {
			return fmt.Errorf("bad craft body name %q", m.GetName())
		}
		c.CraftBody = &projection.CraftBody{Chamber: chamber, ID: ids[0], Province: m.GetProvince(), Craft: m.GetCraft(),
			Stage: enum(m.GetState().String()), Version: version(m.GetUpdateTime(), c.Time)}
	case "Document":
		var m deskv1.Document
		if err := unmarshal(data, &m); err != nil {
			return err
		}
		if _, _, ok := projection.SplitName(m.GetName()); !ok {
			return fmt.Errorf("bad document name %q", m.GetName())
		}
		chamber, ok := projection.OrganisationName(m.GetOwner())
		if !ok {
			return nil // filed for an artisan, a request, a case or an agreement
		}
		kind := projection.EvidenceDocument
		switch m.GetClassification() {
		case deskv1.Document_ASSEMBLY_MINUTES:
			kind = projection.EvidenceAssemblyMinutes
		case deskv1.Document_DEFINITIVE_RECEIPT:
			kind = projection.EvidenceDefinitiveReceipt
		}
		d := day(m.GetCreateTime())
		if d == "" {
			d = c.Time.Format(time.DateOnly)
		}
		c.Evidence = &projection.Evidence{Source: m.GetName(), Registrant: m.GetOwner(), Chamber: chamber, Kind: kind, Day: d,
			Version: version(m.GetUpdateTime(), c.Time)}
	}
	return nil
}

func (d Decoder) registrant(typ, name, province string, updated *timestamppb.Timestamp, at time.Time) (projection.Registrant, error) {
	chamber, ids, ok := projection.SplitName(name)
	if !ok || len(ids) != 1 {
		return projection.Registrant{}, fmt.Errorf("bad %s name %q", strings.ToLower(typ), name)
	}
	r := projection.Registrant{Type: typ, Chamber: chamber, ID: ids[0], Province: province, Version: version(updated, at)}
	if d.RegionOf != nil {
		r.Region = d.RegionOf(province)
	}
	return r, nil
}

func unmarshal(data []byte, m proto.Message) error {
	if err := proto.Unmarshal(data, m); err != nil {
		return err
	}
	return nil
}

// enum drops the UNSPECIFIED value names to "".
func enum(s string) string {
	if strings.HasSuffix(s, "_UNSPECIFIED") {
		return ""
	}
	return s
}

// version is the resource's update time, or the envelope time when the
// payload has none.
func version(ts *timestamppb.Timestamp, at time.Time) int64 {
	if ts != nil && ts.IsValid() {
		return ts.AsTime().UnixMicro()
	}
	return at.UnixMicro()
}

func day(ts *timestamppb.Timestamp) string {
	if ts == nil || !ts.IsValid() {
		return ""
	}
	return ts.AsTime().UTC().Format(time.DateOnly)
}

func localized(l *typev1.LocalizedText) l10n.Text {
	return l10n.Text{AR: l.GetAr(), FR: l.GetFr(), EN: l.GetEn()}
}
