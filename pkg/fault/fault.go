// Package fault is the error vocabulary shared by Hirfa's domain and
// application layers. Domain code returns these typed errors; each service
// turns them into gRPC status codes in exactly one place (package faultgrpc),
// so a rule violation is never flattened into codes.Internal.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

// Violation names one field and the rule it breaks.
type Violation struct {
	Field string // proto field path, e.g. "artisan.years_of_practice"
	Rule  string // stable rule id, e.g. "category.experienced.min_years"
	Msg   string // human message in English; the default language
	// Args are the format arguments of Msg, as text: the parameters {1},
	// {2}, … of the rule's Arabic and French templates in the catalogue.
	Args []string
}

// InvalidError is a request that breaks field rules. Nothing was written.
type InvalidError struct{ Violations []Violation }

func (e *InvalidError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Field + ": " + v.Msg
	}
	return "invalid argument: " + strings.Join(parts, "; ")
}

// Invalid builds an InvalidError with one violation.
func Invalid(field, rule, format string, args ...any) error {
	return &InvalidError{Violations: []Violation{{Field: field, Rule: rule, Msg: fmt.Sprintf(format, args...), Args: texts(args)}}}
}

// Violations accumulates field violations and returns them as one error.
type Violations []Violation

// Add records a violation.
func (vs *Violations) Add(field, rule, format string, args ...any) {
	*vs = append(*vs, Violation{Field: field, Rule: rule, Msg: fmt.Sprintf(format, args...), Args: texts(args)})
}

// Err returns nil when empty, an *InvalidError otherwise.
func (vs Violations) Err() error {
	if len(vs) == 0 {
		return nil
	}
	return &InvalidError{Violations: vs}
}

// NotFoundError means the resource does not exist (or the caller may not
// know it exists: tenancy checks answer NotFound, never PermissionDenied).
type NotFoundError struct{ Resource string }

func (e *NotFoundError) Error() string { return e.Resource + " not found" }

// NotFound builds a NotFoundError.
func NotFound(resource string) error { return &NotFoundError{Resource: resource} }

// AlreadyExistsError means a uniqueness rule refused the write; Existing
// names the resource that already holds the value when the caller may see it.
type AlreadyExistsError struct {
	Reason   string // e.g. "CNIE_ALREADY_REGISTERED"
	Field    string
	Existing string
	Msg      string
}

func (e *AlreadyExistsError) Error() string { return e.Msg }

// PreconditionError means the resource's state forbids the operation
// (an illegal transition, a missing prerequisite).
type PreconditionError struct {
	Reason string // stable, e.g. "ILLEGAL_TRANSITION"
	Msg    string
	Meta   map[string]string
	// Args are the format arguments of Msg as text ({1}, {2}, … in the
	// catalogue's templates); Meta entries are the named parameters.
	Args []string
}

func (e *PreconditionError) Error() string { return e.Msg }

// Precondition builds a PreconditionError.
func Precondition(reason, format string, args ...any) error {
	return &PreconditionError{Reason: reason, Msg: fmt.Sprintf(format, args...), Args: texts(args)}
}

// Transition is the error for a state machine move that is not allowed.
func Transition(resource, from, action string) error {
	return &PreconditionError{
		Reason: ReasonIllegalTransition,
		Msg:    fmt.Sprintf("%s is %s: cannot %s", resource, from, action),
		Meta:   map[string]string{"resource": resource, "state": from, "action": action},
	}
}

// ConflictError means the caller's etag is stale: someone else changed the
// resource since it was read.
type ConflictError struct{ Resource, Etag string }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s was changed by someone else (etag %q is stale): read it again", e.Resource, e.Etag)
}

// DeniedError means the caller is known but may not perform the action.
// Reason, when set, names the refusal more precisely than PERMISSION_DENIED
// for the catalogue's message (the ErrorInfo reason stays PERMISSION_DENIED).
type DeniedError struct {
	Msg    string
	Reason string
	Args   []string
}

func (e *DeniedError) Error() string { return e.Msg }

// UnavailableError means a dependency (database, another service) is down;
// the caller may retry.
type UnavailableError struct {
	What string
	Err  error
	// Reason, when set, is the caller's own ErrorInfo reason (e.g.
	// "REGISTRY_UNAVAILABLE"), so a dependency's outage is named by the
	// service that depends on it; empty means "UNAVAILABLE".
	Reason string
}

func (e *UnavailableError) Error() string { return e.What + " unavailable: " + e.Err.Error() }
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is reports whether err is, or wraps, a fault of type T.
func Is[T error](err error) bool {
	var t T
	return errors.As(err, &t)
}

// texts renders format arguments as the text they print as.
func texts(args []any) []string {
	if len(args) == 0 {
		return nil
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = fmt.Sprint(a)
	}
	return out
}

// Join merges the field violations of several checks into one InvalidError,
// so a clerk sees every problem of a form at once. A nil error is skipped;
// any error that is not an InvalidError wins as is (it is not about fields).
func Join(errs ...error) error {
	var all Violations
	for _, err := range errs {
		if err == nil {
			continue
		}
		var inv *InvalidError
		if !errors.As(err, &inv) {
			return err
		}
		all = append(all, inv.Violations...)
	}
	return all.Err()
}
