package load

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// StatusError is a call that got an answer, and the answer was an error:
// a gRPC status, or an HTTP error status with the edge's JSON body.
type StatusError struct {
	Code       codes.Code
	HTTPStatus int // 0 for gRPC calls
	Message    string
	// RetryAfter is the server's Retry-After hint (REST), zero if none.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.HTTPStatus != 0 {
		return fmt.Sprintf("HTTP %d %s: %s", e.HTTPStatus, e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// TransportError is a call that got no answer: the connection was refused
// or cut. A create may or may not have been applied; retrying it with the
// same request_id is safe.
type TransportError struct{ Err error }

func (e *TransportError) Error() string { return "transport: " + e.Err.Error() }
func (e *TransportError) Unwrap() error { return e.Err }

// attemptTimeout marks an attempt that ran out of its own time budget (not
// the caller's): worth another attempt.
type attemptTimeout struct{ err error }

func (e *attemptTimeout) Error() string { return "attempt timed out: " + e.err.Error() }
func (e *attemptTimeout) Unwrap() error { return e.err }

// Retryable reports whether err may go away by itself, so that the same
// request (with the same request_id) should be sent again: the service is
// unavailable (restarting, draining), the edge answered 502/503/504 or 429,
// the connection failed, or one attempt timed out.
func Retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		switch se.HTTPStatus {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusTooManyRequests:
			return true
		}
		return se.Code == codes.Unavailable
	}
	var te *TransportError
	var at *attemptTimeout
	return errors.As(err, &te) || errors.As(err, &at)
}

// Code returns the gRPC code of err: the status code for StatusError,
// Unavailable for transport failures, Unknown otherwise.
func Code(err error) codes.Code {
	var se *StatusError
	switch {
	case err == nil:
		return codes.OK
	case errors.As(err, &se):
		return se.Code
	case Retryable(err):
		return codes.Unavailable
	case errors.Is(err, context.DeadlineExceeded):
		return codes.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		return codes.Canceled
	}
	return codes.Unknown
}

// fromGRPC converts an error of a generated gRPC client. Statuses whose
// message says the connection could not be made are still statuses
// (UNAVAILABLE), which Retryable already covers.
func fromGRPC(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return &TransportError{Err: err}
	}
	return &StatusError{Code: st.Code(), Message: st.Message()}
}
