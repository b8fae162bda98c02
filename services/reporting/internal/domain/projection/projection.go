// Package projection says what the producers' events do to the reporting
// service's read models. Every producer event carries the whole public
// resource after the change (the outbox payload is the resource's proto), so
// a projection does not replay transitions: it keeps the latest state of
// each resource (a fact) and moves the pre-aggregated counts from the old
// fact's key to the new one. Facts carry the resource's version (its
// update time), so an older event delivered late, or an event delivered
// twice, changes nothing; deletions leave a tombstone for the same reason.
package projection

import (
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
)

// Op is what a change does to a fact.
type Op int

// Ops.
const (
	Upsert Op = iota + 1 // the resource exists with this state
	Delete               // the resource was deleted; this is its last state
)

// Registrant types, as the statistics name them.
const (
	Artisan     = "ARTISAN"
	Cooperative = "COOPERATIVE"
	Association = "ASSOCIATION"
	Enterprise  = "ENTERPRISE"
)

// The states and kinds the statistics select on, as the registry and
// events-and-fairs publish them. The projections store them verbatim, so
// queries name them through these constants, never as SQL literals.
const (
	ArtisanRegistered = "REGISTERED"
	ArtisanSuspended  = "SUSPENDED"
	EventFair         = "FAIR"
	EventExhibition   = "EXHIBITION"
	EventCancelled    = "CANCELLED"
	ExhibitorAccepted = "ACCEPTED"
	AgreementDraft    = "DRAFT"
)

// RegistrantTypes are the registrant types, in display order.
var RegistrantTypes = []string{Artisan, Cooperative, Association, Enterprise}

// Registrant is the reporting view of one register entry: the dimensions it
// is counted under.
type Registrant struct {
	Type     string // Artisan, Cooperative, Association or Enterprise
	Chamber  string
	ID       string
	Region   string // derived from the province
	Province string
	Activity string // activity code (artisans, cooperatives, enterprises)
	Category string // artisans and associations
	State    string
	Gender   string // artisans
	// RegisterDate is the day the entry entered the register, YYYY-MM-DD:
	// an artisan's registration (empty while an applicant), the creation of
	// the record for the others.
	RegisterDate string
	MembersWomen int64 // cooperatives
	MembersMen   int64 // cooperatives
	Version      int64 // update time of the resource, µs since the epoch
}

// RegisterMonth is the YYYY-MM of RegisterDate, or "".
func (r Registrant) RegisterMonth() string {
	if len(r.RegisterDate) < 7 {
		return ""
	}
	return r.RegisterDate[:7]
}

// Dimension returns the value of a counting dimension.
func (r Registrant) Dimension(d string) string {
	switch d {
	case "registrant_type":
		return r.Type
	case "chamber":
		return r.Chamber
	case "region":
		return r.Region
	case "province":
		return r.Province
	case "activity":
		return r.Activity
	case "category":
		return r.Category
	case "state":
		return r.State
	case "gender":
		return r.Gender
	case "register_month":
		return r.RegisterMonth()
	}
	return ""
}

// Event is an event a chamber organises (a fair, exhibition, seminar...).
type Event struct {
	Chamber   string
	ID        string
	Kind      string // FAIR, EXHIBITION, SEMINAR, TRAINING, AWARENESS_SESSION, MEETING, CELEBRATION
	State     string
	Province  string
	StartDate string // YYYY-MM-DD
	EndDate   string
	Title     l10n.Text
	// Evaluation is set once the event is evaluated: its frozen figures.
	Evaluation *Evaluation
	Version    int64
}

// IsFair reports whether the event is a fair or an exhibition.
func (e Event) IsFair() bool { return e.Kind == EventFair || e.Kind == EventExhibition }

// Evaluation is the frozen figures of an evaluated event.
type Evaluation struct {
	Exhibitors    int64
	Artisans      int64
	Visitors      int64
	SalesCentimes int64
	Registered    int64
	Attended      int64
}

// Exhibitor is an application to exhibit at a fair.
type Exhibitor struct {
	Chamber       string
	Event         string // event id
	ID            string
	Applicant     string // registry resource name
	ApplicantType string // ARTISAN, COOPERATIVE, ASSOCIATION, ENTERPRISE
	State         string // APPLIED, ACCEPTED, WAITLISTED, REJECTED, WITHDRAWN
	SalesCentimes int64
	Version       int64
}

// VisitorCount is the visitors of one day of a fair.
type VisitorCount struct {
	Chamber  string
	Event    string
	Day      string // YYYY-MM-DD
	Visitors int64
	Version  int64
}

// Agreement is a partnership agreement of a chamber.
type Agreement struct {
	Chamber    string
	ID         string
	Title      l10n.Text
	State      string // DRAFT, APPROVED, SIGNED, ACTIVE, EXPIRED, TERMINATED
	Resolution string // the assembly item that approved it
	// ApproveDate is the day the agreement was first seen approved
	// (YYYY-MM-DD); kept once set.
	ApproveDate string
	Version     int64
}

// Approved reports whether the agreement has been approved (it may since
// have been signed, put in force, or ended).
func (a Agreement) Approved() bool { return a.State != "" && a.State != AgreementDraft }

// Activity is an activity of the nomenclature with its branch and family.
type Activity struct {
	Code    string
	Name    l10n.Text
	Family  Group
	Branch  Group
	Version int64
}

// Group is a family or branch of the nomenclature.
type Group struct {
	Code string
	Name l10n.Text
}

// Organisation is what the inventory keeps of an association or a
// cooperative beyond its counted dimensions: the evidence the registry
// holds about its life. Dates are YYYY-MM-DD, "" when unknown.
type Organisation struct {
	Type        string // Association or Cooperative
	Chamber     string
	ID          string
	DisplayName l10n.Text
	Province    string
	State       string
	StateReason string
	StateActor  string
	// StateDate is the day of the event that carried the state; the
	// projection keeps the first day of an unchanged state and reason.
	StateDate      string
	FoundedDate    string // provisional receipt, or founding/creation of a cooperative
	DefinitiveDate string // associations
	ReceiptDue     string // associations: the day the definitive receipt is due (the registry's rule)
	AssemblyDate   string // associations: last general assembly
	BureauDate     string // associations: last bureau renewal
	Version        int64
}

// Kinds of Evidence.
const (
	EvidenceDocument          = "DOCUMENT"           // a document filed in the archive
	EvidenceAssemblyMinutes   = "ASSEMBLY_MINUTES"   // minutes of a general assembly filed
	EvidenceDefinitiveReceipt = "DEFINITIVE_RECEIPT" // the definitive receipt filed
	EvidenceParticipation     = "PARTICIPATION"      // attended a chamber's event
)

// Evidence is a dated fact about an association or cooperative held by
// another service than the registry: a document filed at the desk, an
// attendance at an event. Source (the evidence's own resource name) keys it.
type Evidence struct {
	Source     string
	Registrant string // the organisation's resource name
	Chamber    string // the organisation's chamber
	Kind       string
	Day        string // YYYY-MM-DD; "" while it is no evidence (a registration not attended)
	Version    int64
}

// ServiceRequest is a request received at a chamber's desk: counted by type
// and state.
type ServiceRequest struct {
	Chamber string
	ID      string
	Type    string // SUPPORT, GUIDANCE, LABEL, ATTESTATION, COMPLAINT, INFORMATION, OTHER
	State   string // RECEIVED, IN_STUDY, ANSWERED, FORWARDED, CLOSED
	Version int64
}

// Card is a professional card or an attestation issued at a chamber's
// desk: counted by chamber and kind, revoked or not; whether its artisan
// is still registered is read from the artisan's registrant fact.
type Card struct {
	Chamber        string
	ID             string
	Kind           string // PROFESSIONAL_CARD, REGISTRATION_ATTESTATION
	ArtisanChamber string
	ArtisanID      string
	// ArtisanState is the artisan's state as the desk last told it, used
	// until the registry's own event for the artisan has been projected.
	ArtisanState string
	Revoked      bool
	Version      int64
}

// CraftBody is a craft body in its founding pipeline: counted by
// province, craft and stage.
type CraftBody struct {
	Chamber  string
	ID       string
	Province string
	Craft    string
	Stage    string // PLANNED … ACTIVE, DISSOLVED
	Version  int64
}

// Facts a snapshot run can sweep: the projections of a producer's resource
// kinds that keep one fact per resource.
const (
	FactRegistrant   = "registrant" // with Sweep.RegistrantType
	FactEvent        = "event"
	FactExhibitor    = "exhibitor"
	FactVisitorCount = "visitor_count"
	FactAgreement    = "agreement"
)

// Sweep is the end of a producer's snapshot run of one kind: every current
// resource of the kind was replayed with the run's id. A fact of the kind
// the run did not mention, still live and older than Before, was deleted at
// the producer by an event the projection missed: it becomes a tombstone
// and leaves the counts. A fact changed since the run began (version at or
// after Before) is kept: it may have been created after the run read its
// page. The sweep waits until Count facts carry the run's id, so a snapshot
// event applied late (retried after a failure) is never swept. A swept
// tombstone's version is one less than the fact's, so the next run's
// snapshot event of the same state restores a resource swept by mistake.
type Sweep struct {
	Fact           string
	RegistrantType string
	Run            string
	Count          int64
	Before         int64 // µs since the epoch
}

// Change is one decoded producer event: exactly one of the facts (or a
// Sweep) is set, except Organisation, which comes beside the Registrant of
// an association or a cooperative.
type Change struct {
	Op   Op
	Time time.Time // envelope time
	// Snapshot is the run of a snapshot event ("" for a live change): the
	// fact is marked as mentioned by it, whatever its version.
	Snapshot     string
	Sweep        *Sweep
	Registrant   *Registrant
	Organisation *Organisation
	Event        *Event
	Exhibitor    *Exhibitor
	VisitorCount *VisitorCount
	Agreement    *Agreement
	Activity     *Activity
	Evidence     *Evidence
	Request      *ServiceRequest
	Card         *Card
	CraftBody    *CraftBody
}

// Empty reports whether the change carries no fact.
func (c Change) Empty() bool {
	return c.Registrant == nil && c.Event == nil && c.Exhibitor == nil && c.VisitorCount == nil &&
		c.Agreement == nil && c.Activity == nil && c.Evidence == nil && c.Request == nil &&
		c.Card == nil && c.CraftBody == nil && c.Sweep == nil
}

// Delta is a change of one counts row: the registrant r's key, plus or minus one.
type Delta struct {
	Key          Registrant // only the key dimensions matter
	Count        int64
	MembersWomen int64
	MembersMen   int64
}

// Deltas are the count changes that take the projection from old (nil when
// the registrant was unknown or deleted) to next (nil when it is deleted
// now): minus one under the old key, plus one under the new. A change that
// moves nothing counted gives no deltas.
func Deltas(old, next *Registrant) []Delta {
	if old != nil && next != nil && sameCounted(*old, *next) {
		return nil
	}
	var out []Delta
	if old != nil {
		out = append(out, Delta{Key: *old, Count: -1, MembersWomen: -old.MembersWomen, MembersMen: -old.MembersMen})
	}
	if next != nil {
		out = append(out, Delta{Key: *next, Count: 1, MembersWomen: next.MembersWomen, MembersMen: next.MembersMen})
	}
	return out
}

func sameCounted(a, b Registrant) bool {
	a.Version, b.Version = 0, 0
	return a == b
}

// Newer reports whether an incoming version replaces a stored one: equal
// versions are the same state delivered again.
func Newer(incoming, stored int64) bool { return incoming > stored }

// OrganisationName splits the resource name of an association or a
// cooperative into its chamber; ok is false for any other name.
func OrganisationName(name string) (chamber string, ok bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "chambers" || parts[1] == "" || parts[3] == "" {
		return "", false
	}
	if parts[2] != "associations" && parts[2] != "cooperatives" {
		return "", false
	}
	return parts[1], true
}

// SplitName splits a resource name `chambers/{c}/{collection}/{id}[/{sub}/{id}]`
// into its chamber and ids; ok is false for other shapes.
func SplitName(name string) (chamber string, ids []string, ok bool) {
	parts := strings.Split(name, "/")
	if len(parts) < 4 || len(parts)%2 != 0 || parts[0] != "chambers" {
		return "", nil, false
	}
	for i := 3; i < len(parts); i += 2 {
		ids = append(ids, parts[i])
	}
	return parts[1], ids, true
}
