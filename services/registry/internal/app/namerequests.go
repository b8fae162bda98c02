package app

import (
	"context"
	"errors"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app/certificate"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// Name request reasons.
const (
	// ReasonNotApproved: a certificate was asked of a request that has none.
	ReasonNotApproved = "NAME_REQUEST_NOT_APPROVED"
	// ReasonRendererUnavailable: the certificate PDF needs Chromium, which
	// this server lacks.
	ReasonRendererUnavailable = "RENDERER_UNAVAILABLE"
)

// NameAccess decides who reads and decides name requests (pkg/tenancy's
// Guard): chamber roles their chamber's, national roles and ODCO's
// officers all of them; only ODCO's officers decide.
type NameAccess interface {
	ReadNames(ctx context.Context, chamber, name string) error
	NamesScope(ctx context.Context, requested string) (string, error)
	DecideNames(ctx context.Context) error
	Subject(ctx context.Context) string
}

// Download is a file to send as the body of a download RPC.
type Download struct {
	ContentType, Filename string
	Body                  []byte
}

// Renderer prints HTML to PDF (pkg/render's Browser).
type Renderer interface {
	PDF(ctx context.Context, html []byte) ([]byte, error)
}

// NameSettings are the configured delays of name requests.
type NameSettings struct {
	// Deadline is the time ODCO has to decide (HIRFA_NAME_REQUEST_DEADLINE).
	Deadline time.Duration
	// Validity is how long an approved certificate can be used
	// (HIRFA_NAME_CERTIFICATE_VALIDITY).
	Validity time.Duration
}

// DefaultNameSettings: three days to decide, a certificate valid 90 days.
func DefaultNameSettings() NameSettings {
	return NameSettings{Deadline: 72 * time.Hour, Validity: 90 * 24 * time.Hour}
}

// names is the name request part of the registry; nil until
// EnableNameRequests.
type names struct {
	repo     namerequest.Repository
	access   NameAccess
	settings NameSettings
	renderer Renderer
}

// EnableNameRequests turns on name requests and the certificate check of
// cooperative registration. renderer may be nil: the certificate PDF then
// answers RENDERER_UNAVAILABLE.
func (r *Registry) EnableNameRequests(repo namerequest.Repository, access NameAccess, s NameSettings, renderer Renderer) {
	r.names = &names{repo: repo, access: access, settings: s, renderer: renderer}
}

// CreateNameRequest records a request a chamber's staff submit for a
// cooperative's founders; ODCO's decision is due after the deadline.
func (r *Registry) CreateNameRequest(ctx context.Context, chamber string, q *namerequest.Request, m Mutation) (*namerequest.Request, error) {
	if err := r.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	now := r.now()
	q.Chamber, q.ID, q.State = chamber, resource.NewID(), namerequest.Pending
	q.DueTime = now.Add(r.names.settings.Deadline).Truncate(time.Microsecond)
	q.ApprovedName, q.Certificate, q.ExpiryDate, q.DecideTime, q.Decider, q.RejectReason, q.Cooperative = 0, "", "", time.Time{}, "", "", ""
	if err := q.Validate(); err != nil {
		return nil, err
	}
	out, err := r.names.repo.Create(ctx, q, r.write(ctx, m, "Created"))
	if err == nil {
		r.heldNamesWritten(RequestHeld(out))
	}
	return out, err
}

// GetNameRequest reads one request.
func (r *Registry) GetNameRequest(ctx context.Context, n resource.Name) (*namerequest.Request, error) {
	if err := r.names.access.ReadNames(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.names.repo.Get(ctx, n)
}

// ListNameRequests lists a chamber's requests, or all of them (chambers/-)
// for national roles and ODCO; overdue keeps the PENDING ones past their
// due time, the longest overdue first unless ordered otherwise.
func (r *Registry) ListNameRequests(ctx context.Context, q paging.ListQuery, overdue bool) (paging.Page[*namerequest.Request], error) {
	scope, err := r.names.access.NamesScope(ctx, q.Chamber)
	if err != nil {
		return paging.Page[*namerequest.Request]{}, err
	}
	q.Chamber = scope
	if overdue {
		q.Where = "state = '" + string(namerequest.Pending) + "' AND due_time < ?"
		q.WhereArgs = []any{store.Micros(r.now())}
		if q.OrderBy == "" {
			q.OrderBy = "due_time"
		}
	}
	return r.names.repo.List(ctx, q)
}

// ApproveNameRequest approves the proposed name at position (1-based),
// giving the next certificate number of the year and its expiry date.
func (r *Registry) ApproveNameRequest(ctx context.Context, n resource.Name, position int, m Mutation) (*namerequest.Request, error) {
	cur, err := r.decidable(ctx, n, m.Etag)
	if err != nil {
		return nil, err
	}
	if err := cur.Approve(namerequest.Decision{Name: position, Time: r.now()}); err != nil {
		return nil, err // checked before a certificate number is spent on it
	}
	now := r.now()
	seq, err := r.names.repo.NextCertificate(ctx, now.Year())
	if err != nil {
		return nil, err
	}
	d := namerequest.Decision{Decider: r.names.access.Subject(ctx), Time: now, Name: position,
		Certificate: namerequest.FormatCertificate(now.Year(), seq), Validity: r.names.settings.Validity}
	out, err := r.names.repo.Update(ctx, n, r.write(ctx, m, namerequest.Transitions.Event(namerequest.Approve)),
		resource.WithEtag(n.String(), m.Etag, func(q *namerequest.Request) error { return q.Approve(d) }))
	if err == nil {
		r.heldNamesWritten(RequestHeld(out))
	}
	return out, err
}

// RejectNameRequest refuses the request with its reason.
func (r *Registry) RejectNameRequest(ctx context.Context, n resource.Name, reason string, m Mutation) (*namerequest.Request, error) {
	if _, err := r.decidable(ctx, n, m.Etag); err != nil {
		return nil, err
	}
	d := namerequest.Decision{Decider: r.names.access.Subject(ctx), Time: r.now(), Reason: reason}
	out, err := r.names.repo.Update(ctx, n, r.write(ctx, m, namerequest.Transitions.Event(namerequest.Reject)),
		resource.WithEtag(n.String(), m.Etag, func(q *namerequest.Request) error { return q.Reject(d) }))
	if err == nil {
		r.heldNamesWritten(RequestHeld(out))
	}
	return out, err
}

// WithdrawNameRequest records that the founders gave up a pending request.
func (r *Registry) WithdrawNameRequest(ctx context.Context, n resource.Name, m Mutation) (*namerequest.Request, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	out, err := r.names.repo.Update(ctx, n, r.write(ctx, m, namerequest.Transitions.Event(namerequest.Withdraw)),
		resource.WithEtag(n.String(), m.Etag, (*namerequest.Request).Withdraw))
	if err == nil {
		r.heldNamesWritten(RequestHeld(out))
	}
	return out, err
}

// decidable checks that the caller decides name requests and reads the
// request as it stands.
func (r *Registry) decidable(ctx context.Context, n resource.Name, etag string) (*namerequest.Request, error) {
	if err := r.names.access.DecideNames(ctx); err != nil {
		return nil, err
	}
	cur, err := r.names.repo.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	return cur, cur.CheckEtag(n.String(), etag)
}

// NameCertificate prints the bilingual certificate of an approved (or
// already used) request as PDF.
func (r *Registry) NameCertificate(ctx context.Context, n resource.Name) (Download, error) {
	q, err := r.GetNameRequest(ctx, n)
	if err != nil {
		return Download{}, err
	}
	if q.State != namerequest.Approved && q.State != namerequest.Consumed {
		return Download{}, &fault.PreconditionError{Reason: ReasonNotApproved, Msg: n.String() + " is " + string(q.State) + ": only an approved request has a certificate",
			Meta: map[string]string{"resource": n.String(), "state": string(q.State)}}
	}
	if r.names.renderer == nil {
		return Download{}, fault.Precondition(ReasonRendererUnavailable, "the certificate PDF needs Chromium, which is not installed on this server (tools/dev/chromium.sh installs it)")
	}
	ch, _ := r.terr.Chamber(q.Chamber)
	chosen := q.Chosen()
	html, err := certificate.HTML(certificate.Certificate{
		Number: q.Certificate, NameAR: chosen.AR, NameFR: chosen.FR, ChamberAR: ch.Name.AR, ChamberFR: ch.Name.FR,
		Founder: q.Founder, Request: q.Name(), Decided: q.DecideTime.Format(time.DateOnly), Expires: string(q.ExpiryDate),
	})
	if err != nil {
		return Download{}, err
	}
	pdf, err := r.names.renderer.PDF(ctx, html)
	if err != nil {
		return Download{}, &fault.UnavailableError{What: "certificate renderer", Err: err}
	}
	return Download{ContentType: "application/pdf", Filename: q.Certificate + ".pdf", Body: pdf}, nil
}

// certificateOf finds the certificate a registration names, in the
// cooperative's chamber: another chamber's certificate answers as unknown,
// so its existence does not leak.
func (r *Registry) certificateOf(ctx context.Context, chamber, number string) (*namerequest.Request, error) {
	q, err := r.names.repo.ByCertificate(ctx, number)
	var pe *fault.PreconditionError
	if errors.As(err, &pe) || (err == nil && q.Chamber != chamber) {
		return nil, &fault.PreconditionError{Reason: namerequest.ReasonCertificateUnknown, Msg: "no approved certificate " + number,
			Meta: map[string]string{"certificate": number}}
	}
	return q, err
}
