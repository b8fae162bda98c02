package filter

import "fmt"

// Error describes why a filter was rejected. Services report it as
// INVALID_ARGUMENT on the request's filter field.
type Error struct {
	// Field is the filter field at fault, e.g. "state"; "" for syntax
	// errors and exceeded limits.
	Field string
	// Pos is the byte offset in the filter where the problem starts.
	Pos int
	// Msg says what is wrong, without the "filter:" prefix.
	Msg string
}

// Error returns e.g. `filter: unknown field "colour" (known: activity,
// category)` or `filter: syntax error at 12: expected value`.
func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("filter: syntax error at %d: %s", e.Pos, e.Msg)
	}
	return "filter: " + e.Msg
}

func syntaxErr(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

func fieldErr(field string, pos int, format string, args ...any) *Error {
	return &Error{Field: field, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
