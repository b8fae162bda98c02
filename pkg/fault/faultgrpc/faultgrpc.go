// Package faultgrpc maps fault errors to gRPC statuses with ErrorInfo and
// BadRequest details. It is the single translation point every service's
// ports/grpc/errors.go delegates to.
package faultgrpc

import (
	"context"
	"errors"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/fault"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
)

// Status converts err to a gRPC status. domain is the ErrorInfo domain
// (e.g. "registry.hirfa"). Errors that are not faults become Internal with a
// generic message; they are logged once here, with the request context so the
// trace id is attached.
func Status(ctx context.Context, log *slog.Logger, domain string, err error) *status.Status {
	if s, ok := status.FromError(err); ok && s.Code() != codes.Unknown {
		return s // already a status (e.g. from an interceptor)
	}
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
		br := &errdetails.BadRequest{}
		for _, v := range inv.Violations {
			br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{
				Field: v.Field, Description: v.Msg, Reason: v.Rule,
			})
		}
		reason := "INVALID_ARGUMENT"
		if len(inv.Violations) > 0 && inv.Violations[0].Rule != "" {
			reason = inv.Violations[0].Rule
		}
		return with(codes.InvalidArgument, inv.Error(), info(domain, reason, nil), br)
	case errors.As(err, &nf):
		return with(codes.NotFound, nf.Error(), info(domain, "NOT_FOUND", map[string]string{"resource": nf.Resource}))
	case errors.As(err, &ae):
		md := map[string]string{"field": ae.Field}
		if ae.Existing != "" {
			md["existing"] = ae.Existing
		}
		return with(codes.AlreadyExists, ae.Msg, info(domain, ae.Reason, md))
	case errors.As(err, &pre):
		return with(codes.FailedPrecondition, pre.Msg, info(domain, pre.Reason, pre.Meta),
			&errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{
				Type: pre.Reason, Subject: pre.Meta["resource"], Description: pre.Msg,
			}}})
	case errors.As(err, &conf):
		return with(codes.Aborted, conf.Error(), info(domain, "ETAG_MISMATCH", map[string]string{"resource": conf.Resource}))
	case errors.As(err, &den):
		return with(codes.PermissionDenied, den.Msg, info(domain, "PERMISSION_DENIED", nil))
	case errors.As(err, &unav):
		log.ErrorContext(ctx, "dependency unavailable", slog.String("what", unav.What), slog.String("error", unav.Err.Error()))
		reason := unav.Reason
		if reason == "" {
			reason = "UNAVAILABLE"
		}
		return with(codes.Unavailable, unav.What+" is unavailable, retry later", info(domain, reason, nil))
	case errors.Is(err, context.Canceled):
		return status.New(codes.Canceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.New(codes.DeadlineExceeded, "deadline exceeded")
	}
	log.ErrorContext(ctx, "internal error", slog.String("error", err.Error()))
	return with(codes.Internal, "internal error", info(domain, "INTERNAL", nil))
}

// Error is Status(...).Err().
func Error(ctx context.Context, log *slog.Logger, domain string, err error) error {
	return Status(ctx, log, domain, err).Err()
}

func info(domain, reason string, md map[string]string) *errdetails.ErrorInfo {
	return &errdetails.ErrorInfo{Domain: domain, Reason: reason, Metadata: md}
}

func with(c codes.Code, msg string, details ...protoadapt.MessageV1) *status.Status {
	st := status.New(c, msg)
	if withD, err := st.WithDetails(details...); err == nil {
		return withD
	}
	return st
}
