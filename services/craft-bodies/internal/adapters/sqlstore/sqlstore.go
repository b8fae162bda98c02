// Package sqlstore implements the craft-bodies repositories on PostgreSQL
// and SQLite through pkg/store: one code path, the dialect chosen by the
// database URL, with the service's migrations embedded per dialect. Every
// write goes through pkg/store, so the outbox event, the audit record and
// the request key are written in the change's transaction.
package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

//go:embed migrations
var migrations embed.FS

// Source is the service name written in outbox events.
const Source = "craft-bodies"

// EventType prefixes outbox event types.
const EventType = "hirfa.craftbodies.v1."

// Migrate applies the platform and craft-bodies migrations.
var Migrate = store.Embedded("craftbodies", migrations)

func timeFields() []filter.Field {
	return []filter.Field{
		{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
		{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
	}
}

func bodyName(chamber, id string) string {
	return resource.Name{Chamber: chamber, Collection: craftbody.Collection, ID: id}.String()
}

// nestedID is the stored id of a record nested under a body.
func nestedID(body resource.Name, child string) string { return body.ID + "." + child }

// nestedName renders "{body}/{suffix}/{child}" from a stored nested id.
func nestedName(suffix string) func(chamber, id string) string {
	return func(chamber, id string) string {
		body, child, _ := strings.Cut(id, ".")
		return bodyName(chamber, body) + "/" + suffix + "/" + child
	}
}

// Programmes is the programme repository.
type Programmes struct {
	t *store.Table[*programme.Programme]
}

var _ programme.Repository = (*Programmes)(nil)

// NewProgrammes returns the programme repository on db.
func NewProgrammes(db *store.DB, p func(*programme.Programme) proto.Message) *Programmes {
	type P = *programme.Programme
	return &Programmes{store.NewTable(db, store.Spec[P]{
		Table: "programmes", Collection: programme.Collection, Kind: "Programme", Source: Source, EventType: EventType,
		New:     func() P { return &programme.Programme{} },
		Payload: p,
		Record:  programmeRecord,
		Columns: []store.Column[P]{{Name: "launch_date", Value: func(p P) any { return string(p.LaunchDate) }}},
		Filter:  filter.NewSchema(append(timeFields(), filter.Field{Name: "launch_date", Column: "launch_date", Type: filter.String})...),
		Order:   map[string]string{"launch_date": "launch_date"},
	})}
}

// Create stores a new programme.
func (r *Programmes) Create(ctx context.Context, p *programme.Programme, w change.Write) (*programme.Programme, error) {
	out, _, err := r.t.Create(ctx, p, w)
	return out, err
}

// Get reads one programme.
func (r *Programmes) Get(ctx context.Context, n resource.Name) (*programme.Programme, error) {
	return r.t.Get(ctx, n.Chamber, n.ID)
}

// List lists programmes.
func (r *Programmes) List(ctx context.Context, q paging.ListQuery) (paging.Page[*programme.Programme], error) {
	return r.t.List(ctx, q)
}

// Update changes one programme.
func (r *Programmes) Update(ctx context.Context, n resource.Name, w change.Write, fn func(*programme.Programme) error) (*programme.Programme, error) {
	return r.t.Update(ctx, n.Chamber, n.ID, w, fn)
}

// Bodies is the craft body repository.
type Bodies struct {
	t  *store.Table[*craftbody.Body]
	db *store.DB
}

var _ craftbody.Repository = (*Bodies)(nil)

// NewBodies returns the craft body repository on db.
func NewBodies(db *store.DB, p func(*craftbody.Body) proto.Message) *Bodies {
	type B = *craftbody.Body
	str := func(f func(B) string) func(B) any { return func(b B) any { return f(b) } }
	stages := make([]string, 0, len(craftbody.Stages)+1)
	for _, s := range append(append([]craftbody.Stage{}, craftbody.Stages...), craftbody.Dissolved) {
		stages = append(stages, string(s))
	}
	return &Bodies{db: db, t: store.NewTable(db, store.Spec[B]{
		Table: "craft_bodies", Collection: craftbody.Collection, Kind: "CraftBody", Source: Source, EventType: EventType,
		New:     func() B { return &craftbody.Body{} },
		Payload: p,
		Record:  bodyRecord,
		Columns: []store.Column[B]{
			{Name: "level", Value: str(func(b B) string { return string(b.Level) })},
			{Name: "craft", Value: str(func(b B) string { return b.Craft })},
			{Name: "province", Value: str(func(b B) string { return b.Province })},
			{Name: "region", Value: str(func(b B) string { return b.Region })},
			{Name: "stage", Value: str(func(b B) string { return string(b.Stage) })},
			{Name: "programme", Value: str(func(b B) string { return b.Programme })},
			{Name: "phase", Value: func(b B) any { return int64(b.Phase) }},
			{Name: "body_key", Value: str(func(b B) string { return b.Key().String() })},
		},
		Filter: filter.NewSchema(append(timeFields(),
			filter.Field{Name: "level", Column: "level", Type: filter.Enum, Values: []string{"PROVINCIAL", "REGIONAL", "NATIONAL"}},
			filter.Field{Name: "craft", Column: "craft", Type: filter.String},
			filter.Field{Name: "province", Column: "province", Type: filter.String},
			filter.Field{Name: "region", Column: "region", Type: filter.String},
			filter.Field{Name: "state", Column: "stage", Type: filter.Enum, Values: stages},
			filter.Field{Name: "programme", Column: "programme", Type: filter.String},
		)...),
	})}
}

// Create stores a new body; a live body with the same key becomes
// ALREADY_EXISTS CRAFT_BODY_EXISTS naming it.
func (r *Bodies) Create(ctx context.Context, b *craftbody.Body, w change.Write) (*craftbody.Body, error) {
	out, _, err := r.t.Create(ctx, b, w)
	if store.IsUnique(err, "craft_bodies_live_key", "craft_bodies.body_key") {
		return nil, r.duplicate(ctx, b, err)
	}
	return out, err
}

func (r *Bodies) duplicate(ctx context.Context, b *craftbody.Body, cause error) error {
	var chamber, id string
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT chamber, id FROM craft_bodies WHERE body_key = ? AND stage <> "+store.Lit(craftbody.Dissolved)), b.Key().String()).Scan(&chamber, &id)
	if err != nil {
		return fmt.Errorf("find the body holding %s: %w (after %v)", b.Key(), err, cause)
	}
	o := &craftbody.Body{Level: b.Level, Craft: b.Craft, Province: b.Province, Region: b.Region}
	o.Chamber, o.ID = chamber, id
	return craftbody.CheckUnique(b, []*craftbody.Body{o})
}

// Get reads one body.
func (r *Bodies) Get(ctx context.Context, n resource.Name) (*craftbody.Body, error) {
	return r.t.Get(ctx, n.Chamber, n.ID)
}

// List lists bodies.
func (r *Bodies) List(ctx context.Context, q paging.ListQuery) (paging.Page[*craftbody.Body], error) {
	return r.t.List(ctx, q)
}

// Update changes one body.
func (r *Bodies) Update(ctx context.Context, n resource.Name, w change.Write, fn func(*craftbody.Body) error) (*craftbody.Body, error) {
	return r.t.Update(ctx, n.Chamber, n.ID, w, fn)
}

// ByCraft lists every body of level and craft in every chamber, page by page.
func (r *Bodies) ByCraft(ctx context.Context, level craftbody.Level, craft string) ([]*craftbody.Body, error) {
	var out []*craftbody.Body
	q := paging.ListQuery{Chamber: resource.Wildcard, PageSize: store.MaxPageSize, Where: "level = ? AND craft = ?", WhereArgs: []any{string(level), craft}}
	for {
		page, err := r.t.List(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("bodies of craft %s: %w", craft, err)
		}
		out = append(out, page.Items...)
		if page.NextPageToken == "" {
			return out, nil
		}
		q.PageToken = page.NextPageToken
	}
}

// Censuses is the census repository.
type Censuses struct {
	t *store.Table[*census.Snapshot]
}

var _ census.Repository = (*Censuses)(nil)

// NewCensuses returns the census repository on db.
func NewCensuses(db *store.DB, p func(*census.Snapshot) proto.Message) *Censuses {
	type S = *census.Snapshot
	return &Censuses{store.NewTable(db, store.Spec[S]{
		Table: "censuses", Collection: "census", Kind: "Census", Source: Source, EventType: EventType,
		New:     func() S { return &census.Snapshot{} },
		Payload: p,
		Record:  censusRecord,
		NameOf:  func(chamber, id string) string { return bodyName(chamber, id) + "/census" },
		Columns: []store.Column[S]{{Name: "members", Value: func(s S) any { return int64(len(s.Members)) }}},
	})}
}

// Save stores the body's census, replacing an earlier one.
func (r *Censuses) Save(ctx context.Context, body resource.Name, s *census.Snapshot, w change.Write) (*census.Snapshot, error) {
	s.Chamber, s.ID = body.Chamber, body.ID
	out, err := r.t.Update(ctx, body.Chamber, body.ID, w, func(old *census.Snapshot) error {
		meta := old.Meta
		*old = *s
		old.Meta = meta
		return nil
	})
	if fault.Is[*fault.NotFoundError](err) {
		out, _, err = r.t.Create(ctx, s, w)
	}
	return out, err
}

// Get reads the body's census.
func (r *Censuses) Get(ctx context.Context, body resource.Name) (*census.Snapshot, error) {
	return r.t.Get(ctx, body.Chamber, body.ID)
}

// Assemblies is the constitutive assembly repository.
type Assemblies struct {
	t *store.Table[*constitutive.Assembly]
}

var _ constitutive.Repository = (*Assemblies)(nil)

// NewAssemblies returns the constitutive assembly repository on db.
func NewAssemblies(db *store.DB, p func(*constitutive.Assembly) proto.Message) *Assemblies {
	type A = *constitutive.Assembly
	return &Assemblies{store.NewTable(db, store.Spec[A]{
		Table: "constitutive_assemblies", Collection: "assembly", Kind: "ConstitutiveAssembly", Source: Source, EventType: EventType,
		New:     func() A { return &constitutive.Assembly{} },
		Payload: p,
		Record:  constitutiveRecord,
		NameOf:  func(chamber, id string) string { return bodyName(chamber, id) + "/assembly" },
		Columns: []store.Column[A]{{Name: "state", Value: func(a A) any { return string(a.State) }}},
	})}
}

// Create stores the body's assembly.
func (r *Assemblies) Create(ctx context.Context, body resource.Name, a *constitutive.Assembly, w change.Write) (*constitutive.Assembly, error) {
	a.Chamber, a.ID = body.Chamber, body.ID
	out, _, err := r.t.Create(ctx, a, w)
	return out, err
}

// Get reads the body's assembly.
func (r *Assemblies) Get(ctx context.Context, body resource.Name) (*constitutive.Assembly, error) {
	return r.t.Get(ctx, body.Chamber, body.ID)
}

// Update changes the body's assembly.
func (r *Assemblies) Update(ctx context.Context, body resource.Name, w change.Write, fn func(*constitutive.Assembly) error) (*constitutive.Assembly, error) {
	return r.t.Update(ctx, body.Chamber, body.ID, w, fn)
}

// Offices is the bureau office repository.
type Offices struct {
	t *store.Table[*election.Office]
}

var _ election.Repository = (*Offices)(nil)

// NewOffices returns the office repository on db.
func NewOffices(db *store.DB, p func(*election.Office) proto.Message) *Offices {
	type O = *election.Office
	return &Offices{store.NewTable(db, store.Spec[O]{
		Table: "offices", Collection: "offices", Kind: "Office", Source: Source, EventType: EventType,
		New:     func() O { return &election.Office{} },
		Payload: p,
		Record:  officeRecord,
		NameOf:  nestedName("assembly/offices"),
		Columns: []store.Column[O]{
			{Name: "body", Value: func(o O) any { b, _, _ := strings.Cut(o.ID, "."); return b }},
			{Name: "position", Value: func(o O) any { return int64(o.Position) }},
			{Name: "elected", Value: func(o O) any { return o.Elected }},
		},
		Order: map[string]string{"position": "position"},
	})}
}

// Create stores a new office of the body's bureau.
func (r *Offices) Create(ctx context.Context, body resource.Name, o *election.Office, w change.Write) (*election.Office, error) {
	o.Chamber, o.ID = body.Chamber, nestedID(body, o.OfficeID)
	out, _, err := r.t.Create(ctx, o, w)
	if store.IsUnique(err, "offices_pkey", "offices.chamber, offices.id") {
		return nil, &fault.AlreadyExistsError{Reason: election.ReasonOfficeExists, Field: "office_id", Existing: nestedName("assembly/offices")(o.Chamber, o.ID),
			Msg: "the bureau already has the office " + o.OfficeID}
	}
	return out, err
}

// Get reads one office.
func (r *Offices) Get(ctx context.Context, body resource.Name, office string) (*election.Office, error) {
	return r.t.Get(ctx, body.Chamber, nestedID(body, office))
}

// List lists the body's offices by position.
func (r *Offices) List(ctx context.Context, body resource.Name, q paging.ListQuery) (paging.Page[*election.Office], error) {
	q.Chamber, q.OrderBy, q.Where, q.WhereArgs = body.Chamber, "position", "body = ?", []any{body.ID}
	return r.t.List(ctx, q)
}

// Update changes one office.
func (r *Offices) Update(ctx context.Context, body resource.Name, office string, w change.Write, fn func(*election.Office) error) (*election.Office, error) {
	return r.t.Update(ctx, body.Chamber, nestedID(body, office), w, fn)
}

// Meetings is the awareness meeting repository.
type Meetings struct {
	t *store.Table[*awareness.Meeting]
}

var _ awareness.Repository = (*Meetings)(nil)

// NewMeetings returns the awareness meeting repository on db.
func NewMeetings(db *store.DB, p func(*awareness.Meeting) proto.Message) *Meetings {
	type M = *awareness.Meeting
	return &Meetings{store.NewTable(db, store.Spec[M]{
		Table: "awareness_meetings", Collection: awareness.Collection, Kind: "AwarenessMeeting", Source: Source, EventType: EventType,
		New:     func() M { return &awareness.Meeting{} },
		Payload: p,
		Record:  meetingRecord,
		NameOf:  nestedName(awareness.Collection),
		Columns: []store.Column[M]{
			{Name: "body", Value: func(m M) any { b, _, _ := strings.Cut(m.ID, "."); return b }},
			{Name: "day", Value: func(m M) any { return string(m.Date) }},
			{Name: "event", Value: func(m M) any { return m.Event }},
		},
		Order: map[string]string{"date": "day"},
	})}
}

// Create stores a new meeting; an event already linked is refused.
func (r *Meetings) Create(ctx context.Context, body resource.Name, m *awareness.Meeting, w change.Write) (*awareness.Meeting, error) {
	m.Chamber, m.ID, m.Body = body.Chamber, nestedID(body, m.MeetingID), body.String()
	out, _, err := r.t.Create(ctx, m, w)
	if store.IsUnique(err, "awareness_meetings_event", "awareness_meetings.event") {
		return nil, &fault.AlreadyExistsError{Reason: awareness.ReasonEventAlreadyLinked, Field: "awareness_meeting.event",
			Msg: m.Event + " is already linked to an awareness meeting"}
	}
	return out, err
}

// Get reads one meeting.
func (r *Meetings) Get(ctx context.Context, body resource.Name, meeting string) (*awareness.Meeting, error) {
	return r.t.Get(ctx, body.Chamber, nestedID(body, meeting))
}

// List lists the body's meetings by date.
func (r *Meetings) List(ctx context.Context, body resource.Name, q paging.ListQuery) (paging.Page[*awareness.Meeting], error) {
	q.Chamber, q.OrderBy, q.Where, q.WhereArgs = body.Chamber, "date", "body = ?", []any{body.ID}
	return r.t.List(ctx, q)
}
