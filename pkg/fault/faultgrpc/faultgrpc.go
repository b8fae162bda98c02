// Package faultgrpc maps fault errors to gRPC statuses with ErrorInfo and
// BadRequest details, in the request's language (google.rpc.LocalizedMessage).
// It is the single translation point: every service's gRPC port (its
// Server's err method in internal/ports/grpcport) delegates to it.
package faultgrpc

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
)

// Status converts err to a gRPC status. domain is the ErrorInfo domain
// (e.g. "registry.hirfa"). Errors that are not faults become Internal with a
// generic message; they are logged once here, with the request context so the
// trace id is attached.
//
// The message is in the request's language (catalog.FromContext: the gRPC
// server sets it from grpc-accept-language) when the catalogue has the
// reason, English otherwise; a google.rpc.LocalizedMessage detail says which.
func Status(ctx context.Context, log *slog.Logger, domain string, err error) *status.Status {
	if s, ok := status.FromError(err); ok && s.Code() != codes.Unknown {
		return s // already a status (e.g. from an interceptor)
	}
	loc := catalog.FromContext(ctx)
	var (
		inv  *fault.InvalidError
		nf   *fault.NotFoundError
		ae   *fault.AlreadyExistsError
		pre  *fault.PreconditionError
		conf *fault.ConflictError
		den  *fault.DeniedError
		unav *fault.UnavailableError
	)
	switch {
	case errors.As(err, &inv):
		return invalid(loc, domain, inv)
	case errors.As(err, &nf):
		md := map[string]string{"resource": nf.Resource}
		return with(codes.NotFound, nf.Error(), loc, fault.ReasonNotFound, catalog.Params{Named: md}, info(domain, fault.ReasonNotFound, md))
	case errors.As(err, &ae):
		md := map[string]string{"field": ae.Field}
		if ae.Existing != "" {
			md["existing"] = ae.Existing
		}
		p := catalog.Params{Named: map[string]string{"existing": ae.Existing}, Field: ae.Field}
		return with(codes.AlreadyExists, ae.Msg, loc, ae.Reason, p, info(domain, ae.Reason, md))
	case errors.As(err, &pre):
		return with(codes.FailedPrecondition, pre.Msg, loc, pre.Reason, catalog.Params{Args: pre.Args, Named: pre.Meta}, info(domain, pre.Reason, pre.Meta),
			&errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{
				Type: pre.Reason, Subject: pre.Meta["resource"], Description: pre.Msg,
			}}})
	case errors.As(err, &conf):
		md := map[string]string{"resource": conf.Resource}
		return with(codes.Aborted, conf.Error(), loc, fault.ReasonEtagMismatch, catalog.Params{Named: md}, info(domain, fault.ReasonEtagMismatch, md))
	case errors.As(err, &den):
		key := den.Reason
		if key == "" {
			key = fault.ReasonPermissionDenied
		}
		return with(codes.PermissionDenied, den.Msg, loc, key, catalog.Params{Args: den.Args}, info(domain, fault.ReasonPermissionDenied, nil))
	case errors.As(err, &unav):
		log.ErrorContext(ctx, "dependency unavailable", slog.String("what", unav.What), slog.String("error", unav.Err.Error()))
		// A service may name its own reason (e.g. REGISTRY_UNAVAILABLE) for
		// ErrorInfo; the message stays the catalogue's generic one.
		reason := unav.Reason
		if reason == "" {
			reason = fault.ReasonUnavailable
		}
		return with(codes.Unavailable, unav.What+" is unavailable, retry later", loc, fault.ReasonUnavailable,
			catalog.Params{Named: map[string]string{"what": unav.What}}, info(domain, reason, nil))
	case errors.Is(err, context.Canceled):
		return status.New(codes.Canceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.New(codes.DeadlineExceeded, "deadline exceeded")
	}
	log.ErrorContext(ctx, "internal error", slog.String("error", err.Error()))
	return with(codes.Internal, "internal error", loc, fault.ReasonInternal, catalog.Params{}, info(domain, fault.ReasonInternal, nil))
}

// invalid renders field violations: each description in the request's
// language, the message joining them.
func invalid(loc catalog.Localizer, domain string, inv *fault.InvalidError) *status.Status {
	br := &errdetails.BadRequest{}
	parts := make([]string, len(inv.Violations))
	for i, v := range inv.Violations {
		fv := &errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Msg, Reason: v.Rule}
		parts[i] = v.Field + ": " + v.Msg
		if msg, ok := loc.Catalog.Render(loc.Lang, v.Rule, catalog.Params{Args: v.Args, Field: v.Field}); ok {
			fv.Description, parts[i] = msg, msg
			fv.LocalizedMessage = &errdetails.LocalizedMessage{Locale: loc.Lang, Message: msg}
		}
		br.FieldViolations = append(br.FieldViolations, fv)
	}
	reason := fault.ReasonInvalidArgument
	if len(inv.Violations) > 0 && inv.Violations[0].Rule != "" {
		reason = inv.Violations[0].Rule
	}
	sep := "; "
	if loc.Lang == catalog.Arabic {
		sep = "؛ "
	}
	// The message's key is INVALID_ARGUMENT whatever the first rule: it only
	// frames the violations, each rendered under its own rule above.
	p := catalog.Params{Named: map[string]string{"violations": strings.Join(parts, sep)}}
	return with(codes.InvalidArgument, inv.Error(), loc, fault.ReasonInvalidArgument, p, info(domain, reason, nil), br)
}

// Localize gives st, built without the request's language at hand (by the
// auth interceptor, a recovered panic, another package), the message of its
// ErrorInfo reason in loc's language, with the ErrorInfo metadata as named
// parameters, and a LocalizedMessage detail. A status that already has a
// LocalizedMessage, or that has no catalogued reason, is returned as is.
func Localize(loc catalog.Localizer, st *status.Status) *status.Status {
	var reason string
	var md map[string]string
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.LocalizedMessage:
			return st
		case *errdetails.ErrorInfo:
			if reason == "" {
				reason, md = d.GetReason(), d.GetMetadata()
			}
		}
	}
	if reason == "" {
		return st
	}
	msg, ok := loc.Catalog.Render(loc.Lang, reason, catalog.Params{Named: md})
	if !ok {
		return st
	}
	p := st.Proto()
	out := status.New(st.Code(), msg)
	if d, err := out.WithDetails(&errdetails.LocalizedMessage{Locale: loc.Lang, Message: msg}); err == nil {
		out = d
	}
	pp := out.Proto()
	pp.Details = append(p.GetDetails(), pp.GetDetails()...)
	return status.FromProto(pp)
}

// Error is Status(...).Err().
func Error(ctx context.Context, log *slog.Logger, domain string, err error) error {
	return Status(ctx, log, domain, err).Err()
}

func info(domain, reason string, md map[string]string) *errdetails.ErrorInfo {
	return &errdetails.ErrorInfo{Domain: domain, Reason: reason, Metadata: md}
}

// with builds the status: the message in loc's language when the catalogue
// renders reason (English, the code's own message, otherwise), and a
// LocalizedMessage detail naming the language actually used.
func with(c codes.Code, english string, loc catalog.Localizer, reason string, p catalog.Params, details ...protoadapt.MessageV1) *status.Status {
	msg, locale := english, catalog.English
	if m, ok := loc.Catalog.Render(loc.Lang, reason, p); ok {
		msg, locale = m, loc.Lang
	}
	st := status.New(c, msg)
	details = append(details, &errdetails.LocalizedMessage{Locale: locale, Message: msg})
	if withD, err := st.WithDetails(details...); err == nil {
		return withD
	}
	return st
}
