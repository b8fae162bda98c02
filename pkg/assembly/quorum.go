package assembly

import (
	"errors"
	"fmt"
)

// MaxDenominator bounds the denominator of a quorum fraction. It is far
// beyond any real statute (halves, thirds, percentages, basis points) and
// keeps every intermediate product of the quorum arithmetic well inside int,
// so Required is exact for any member count.
const MaxDenominator = 10_000

// Convocation says whether a sitting is held on the first convocation or,
// after a first sitting failed its quorum, on a second one. The zero value is
// not a convocation, so a caller that forgets to set it is told so by
// [QuorumRule.Check].
type Convocation int

const (
	// FirstConvocation is the ordinary sitting; the full quorum applies.
	FirstConvocation Convocation = iota + 1
	// SecondConvocation is the sitting called again after the first did not
	// reach its quorum; the lower second-convocation requirement applies.
	SecondConvocation
)

// String returns "first" or "second".
func (c Convocation) String() string {
	switch c {
	case FirstConvocation:
		return "first"
	case SecondConvocation:
		return "second"
	default:
		return fmt.Sprintf("Convocation(%d)", int(c))
	}
}

// Fraction is an exact non-negative ratio Numerator/Denominator. The zero
// value (0/0) means "no fraction" where a Fraction is optional.
type Fraction struct {
	Numerator, Denominator int
}

// validate checks 0 <= Numerator <= Denominator and 1 <= Denominator <=
// MaxDenominator; a fraction above one would require more members than the
// body has.
func (f Fraction) validate(name string) error {
	var errs []error
	if f.Denominator < 1 || f.Denominator > MaxDenominator {
		errs = append(errs, fmt.Errorf("%s denominator %d: must be between 1 and %d", name, f.Denominator, MaxDenominator))
	}
	if f.Numerator < 0 {
		errs = append(errs, fmt.Errorf("%s numerator %d: must not be negative", name, f.Numerator))
	} else if f.Denominator >= 1 && f.Numerator > f.Denominator {
		errs = append(errs, fmt.Errorf("%s %d/%d: must not exceed 1", name, f.Numerator, f.Denominator))
	}
	return errors.Join(errs...)
}

// ceilOf returns ceil(members * f) exactly, for a valid f and members >= 0.
// It splits members by the denominator so that no product exceeds members
// or Denominator², which rules out overflow.
func (f Fraction) ceilOf(members int) int {
	if f.Numerator == 0 {
		return 0
	}
	q, r := members/f.Denominator, members%f.Denominator
	return q*f.Numerator + (r*f.Numerator+f.Denominator-1)/f.Denominator
}

// QuorumRule is a body's quorum setting. Law 18.09 requires the quorum to be
// checked before proceedings but the threshold is left to each body's rules,
// so it is data, not code.
//
// On a first convocation, at least Numerator/Denominator of the members
// (rounded up) must be present. On a second convocation, at least
// SecondConvocationFraction of the members (rounded up) and at least
// SecondConvocationMinimum members must be present; both zero means the
// second sitting proceeds whatever the attendance.
//
// For example, the common "half on first call, no quorum on second call" is
//
//	QuorumRule{Numerator: 1, Denominator: 2}
//
// and "two thirds, then one third but never fewer than ten" is
//
//	QuorumRule{Numerator: 2, Denominator: 3,
//		SecondConvocationFraction: Fraction{1, 3}, SecondConvocationMinimum: 10}
//
// SecondConvocationMinimum is an absolute head count and is not capped at the
// body's size: a body with fewer members than the minimum cannot meet on a
// second convocation, and Check says so.
type QuorumRule struct {
	Numerator, Denominator int

	// SecondConvocationFraction is the share of members required on a second
	// convocation. The zero value requires no share. It may not exceed the
	// first-convocation fraction: a second call lowers the bar, never raises it.
	SecondConvocationFraction Fraction
	// SecondConvocationMinimum is the least number of members present on a
	// second convocation; zero means no minimum.
	SecondConvocationMinimum int
}

// Validate reports every problem with the rule at once.
func (r QuorumRule) Validate() error {
	first := Fraction{r.Numerator, r.Denominator}
	errs := []error{first.validate("quorum")}
	second := r.SecondConvocationFraction
	if second != (Fraction{}) {
		if err := second.validate("second convocation quorum"); err != nil {
			errs = append(errs, err)
		} else if first.validate("") == nil && second.Numerator*first.Denominator > first.Numerator*second.Denominator {
			// Both are valid, so the cross products stay below MaxDenominator².
			errs = append(errs, fmt.Errorf("second convocation quorum %d/%d: must not exceed the first convocation quorum %d/%d",
				second.Numerator, second.Denominator, first.Numerator, first.Denominator))
		}
	}
	if r.SecondConvocationMinimum < 0 {
		errs = append(errs, fmt.Errorf("second convocation minimum %d: must not be negative", r.SecondConvocationMinimum))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid quorum rule: %w", err)
	}
	return nil
}

// Required returns how many of members must be present for the sitting to
// proceed on convocation c: the fraction of members rounded up, so that 41
// is required of 82 with a one-half quorum, and 28 of 82 with one third.
//
// Required assumes a valid rule and members >= 0; [QuorumRule.Check]
// verifies both. Any convocation other than SecondConvocation gets the
// first-convocation requirement.
func (r QuorumRule) Required(members int, c Convocation) int {
	if c != SecondConvocation {
		return Fraction{r.Numerator, r.Denominator}.ceilOf(members)
	}
	return max(r.SecondConvocationFraction.ceilOf(members), r.SecondConvocationMinimum)
}

// Sentinel errors of the quorum check.
var (
	// ErrQuorumNotMet is wrapped by every *QuorumError.
	ErrQuorumNotMet = errors.New("quorum not met")
	// ErrInvalidCount reports impossible head counts: no members, a negative
	// count, or more members present than the body has.
	ErrInvalidCount = errors.New("invalid head count")
	// ErrInvalidConvocation reports a Convocation that is neither first nor second.
	ErrInvalidConvocation = errors.New("invalid convocation")
)

// QuorumError says that a sitting cannot proceed: Present of Members are
// present and Required are needed on this Convocation. It wraps
// [ErrQuorumNotMet].
type QuorumError struct {
	Required, Present, Members int
	Convocation                Convocation
}

func (e *QuorumError) Error() string {
	return fmt.Sprintf("quorum not met on %s convocation: %d of %d members present, %d required",
		e.Convocation, e.Present, e.Members, e.Required)
}

// Unwrap lets errors.Is(err, ErrQuorumNotMet) match.
func (e *QuorumError) Unwrap() error { return ErrQuorumNotMet }

// Check returns nil when present of members meet the quorum on convocation c,
// a *QuorumError when they do not, and another error when the rule, the
// counts or the convocation are invalid (a body must have at least one
// member, and no more members can be present than it has).
func (r QuorumRule) Check(members, present int, c Convocation) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("check quorum: %w", err)
	}
	if c != FirstConvocation && c != SecondConvocation {
		return fmt.Errorf("check quorum: %w: %d", ErrInvalidConvocation, int(c))
	}
	switch {
	case members < 1:
		return fmt.Errorf("check quorum: %w: %d members", ErrInvalidCount, members)
	case present < 0:
		return fmt.Errorf("check quorum: %w: %d present", ErrInvalidCount, present)
	case present > members:
		return fmt.Errorf("check quorum: %w: %d present of %d members", ErrInvalidCount, present, members)
	}
	if req := r.Required(members, c); present < req {
		return &QuorumError{Required: req, Present: present, Members: members, Convocation: c}
	}
	return nil
}
