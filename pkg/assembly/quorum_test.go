package assembly

import (
	"errors"
	"strings"
	"testing"
	"testing/quick"

	"github.com/google/go-cmp/cmp"
)

func TestQuorumRuleValidate(t *testing.T) {
	tests := []struct {
		name    string
		rule    QuorumRule
		wantErr bool
	}{
		{"half", QuorumRule{Numerator: 1, Denominator: 2}, false},
		{"no quorum at all", QuorumRule{Numerator: 0, Denominator: 1}, false},
		{"everyone", QuorumRule{Numerator: 1, Denominator: 1}, false},
		{"percent", QuorumRule{Numerator: 51, Denominator: 100}, false},
		{"max denominator", QuorumRule{Numerator: 1, Denominator: MaxDenominator}, false},
		{"second lower with minimum", QuorumRule{Numerator: 2, Denominator: 3, SecondConvocationFraction: Fraction{1, 3}, SecondConvocationMinimum: 10}, false},
		{"second equal to first", QuorumRule{Numerator: 1, Denominator: 2, SecondConvocationFraction: Fraction{2, 4}}, false},
		{"second zero over n", QuorumRule{Numerator: 1, Denominator: 2, SecondConvocationFraction: Fraction{0, 5}}, false},
		{"minimum only", QuorumRule{Numerator: 1, Denominator: 2, SecondConvocationMinimum: 5}, false},

		{"zero value", QuorumRule{}, true},
		{"zero denominator", QuorumRule{Numerator: 1}, true},
		{"negative denominator", QuorumRule{Numerator: 1, Denominator: -2}, true},
		{"denominator too large", QuorumRule{Numerator: 1, Denominator: MaxDenominator + 1}, true},
		{"negative numerator", QuorumRule{Numerator: -1, Denominator: 2}, true},
		{"above one", QuorumRule{Numerator: 3, Denominator: 2}, true},
		{"second above first", QuorumRule{Numerator: 1, Denominator: 3, SecondConvocationFraction: Fraction{1, 2}}, true},
		{"second zero denominator", QuorumRule{Numerator: 1, Denominator: 2, SecondConvocationFraction: Fraction{1, 0}}, true},
		{"second above one", QuorumRule{Numerator: 1, Denominator: 1, SecondConvocationFraction: Fraction{2, 1}}, true},
		{"second negative", QuorumRule{Numerator: 1, Denominator: 2, SecondConvocationFraction: Fraction{-1, 2}}, true},
		{"negative minimum", QuorumRule{Numerator: 1, Denominator: 2, SecondConvocationMinimum: -1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rule.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestQuorumRuleValidateReportsEveryProblem(t *testing.T) {
	err := QuorumRule{Numerator: -1, Denominator: 0, SecondConvocationFraction: Fraction{3, 0}, SecondConvocationMinimum: -4}.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want error")
	}
	for _, want := range []string{
		"quorum denominator 0",
		"quorum numerator -1",
		"second convocation quorum denominator 0",
		"second convocation minimum -4",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %q, want it to mention %q", err, want)
		}
	}
}

func TestQuorumRuleRequired(t *testing.T) {
	half := QuorumRule{Numerator: 1, Denominator: 2}
	third := QuorumRule{Numerator: 1, Denominator: 3, SecondConvocationFraction: Fraction{1, 4}}
	twoThirds := QuorumRule{Numerator: 2, Denominator: 3, SecondConvocationFraction: Fraction{1, 3}, SecondConvocationMinimum: 10}
	minimumOnly := QuorumRule{Numerator: 1, Denominator: 2, SecondConvocationMinimum: 5}
	tests := []struct {
		name    string
		rule    QuorumRule
		members int
		c       Convocation
		want    int
	}{
		{"half of 82 is exactly 41", half, 82, FirstConvocation, 41},
		{"half of 83 rounds up", half, 83, FirstConvocation, 42},
		{"half of 1", half, 1, FirstConvocation, 1},
		{"half of 0", half, 0, FirstConvocation, 0},
		{"half, no second quorum", half, 82, SecondConvocation, 0},
		{"third of 82 rounds up", third, 82, FirstConvocation, 28},
		{"third of 81 exact", third, 81, FirstConvocation, 27},
		{"third of 80 rounds up", third, 80, FirstConvocation, 27},
		{"quarter on second call", third, 82, SecondConvocation, 21},
		{"two thirds of 82", twoThirds, 82, FirstConvocation, 55},
		{"two thirds of 81 exact", twoThirds, 81, FirstConvocation, 54},
		{"two thirds of 80", twoThirds, 80, FirstConvocation, 54},
		{"second: third beats minimum", twoThirds, 82, SecondConvocation, 28},
		{"second: minimum beats third", twoThirds, 20, SecondConvocation, 10},
		{"second: minimum above body size", twoThirds, 6, SecondConvocation, 10},
		{"minimum only", minimumOnly, 82, SecondConvocation, 5},
		{"everyone", QuorumRule{Numerator: 1, Denominator: 1}, 82, FirstConvocation, 82},
		{"no quorum", QuorumRule{Numerator: 0, Denominator: 1}, 82, FirstConvocation, 0},
		{"51 percent of 82", QuorumRule{Numerator: 51, Denominator: 100}, 82, FirstConvocation, 42},
		{"50 percent of 82", QuorumRule{Numerator: 50, Denominator: 100}, 82, FirstConvocation, 41},
		{"unknown convocation counts as first", half, 82, Convocation(0), 41},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.Required(tt.members, tt.c); got != tt.want {
				t.Errorf("Required(%d, %v) = %d, want %d", tt.members, tt.c, got, tt.want)
			}
		})
	}
}

// TestRequiredIsSmallestSufficientCount checks Required against its
// definition, ceil(members·n/d), on random inputs: the smallest k with
// k·d >= members·n.
func TestRequiredIsSmallestSufficientCount(t *testing.T) {
	f := func(m uint32, n, d uint16) bool {
		members := int(m)
		den := int(d)%MaxDenominator + 1
		num := int(n) % (den + 1)
		k := Fraction{num, den}.ceilOf(members)
		need := int64(members) * int64(num)
		if int64(k)*int64(den) < need {
			return false
		}
		return k == 0 || int64(k-1)*int64(den) < need
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 20000}); err != nil {
		t.Error(err)
	}
}

func TestRequiredDoesNotOverflow(t *testing.T) {
	const members = int(^uint(0) >> 1) // the largest int
	f := Fraction{MaxDenominator - 1, MaxDenominator}
	got := f.ceilOf(members)
	if got <= 0 || got > members {
		t.Fatalf("ceilOf(maxint) = %d, want in (0, maxint]", got)
	}
	if all := (Fraction{1, 1}).ceilOf(members); all != members {
		t.Errorf("ceilOf(maxint) with 1/1 = %d, want %d", all, members)
	}
}

func TestQuorumRuleCheck(t *testing.T) {
	half := QuorumRule{Numerator: 1, Denominator: 2}
	third := QuorumRule{Numerator: 1, Denominator: 3}
	twoThirds := QuorumRule{Numerator: 2, Denominator: 3, SecondConvocationFraction: Fraction{1, 3}, SecondConvocationMinimum: 10}
	tests := []struct {
		name             string
		rule             QuorumRule
		members, present int
		c                Convocation
		want             *QuorumError // nil: quorum met
		wantErr          error        // another failure
	}{
		{"41 of 82 meets one half", half, 82, 41, FirstConvocation, nil, nil},
		{"40 of 82 misses one half", half, 82, 40, FirstConvocation, &QuorumError{41, 40, 82, FirstConvocation}, nil},
		{"all present", half, 82, 82, FirstConvocation, nil, nil},
		{"nobody present on first call", half, 82, 0, FirstConvocation, &QuorumError{41, 0, 82, FirstConvocation}, nil},
		{"nobody present on second call without quorum", half, 82, 0, SecondConvocation, nil, nil},
		{"28 of 82 meets one third", third, 82, 28, FirstConvocation, nil, nil},
		{"27 of 82 misses one third", third, 82, 27, FirstConvocation, &QuorumError{28, 27, 82, FirstConvocation}, nil},
		{"55 of 82 meets two thirds", twoThirds, 82, 55, FirstConvocation, nil, nil},
		{"54 of 82 misses two thirds", twoThirds, 82, 54, FirstConvocation, &QuorumError{55, 54, 82, FirstConvocation}, nil},
		{"28 of 82 meets second call third", twoThirds, 82, 28, SecondConvocation, nil, nil},
		{"27 of 82 misses second call third", twoThirds, 82, 27, SecondConvocation, &QuorumError{28, 27, 82, SecondConvocation}, nil},
		{"10 of 20 meets second call minimum", twoThirds, 20, 10, SecondConvocation, nil, nil},
		{"9 of 20 misses second call minimum", twoThirds, 20, 9, SecondConvocation, &QuorumError{10, 9, 20, SecondConvocation}, nil},
		{"small body cannot reach minimum", twoThirds, 6, 6, SecondConvocation, &QuorumError{10, 6, 6, SecondConvocation}, nil},

		{"invalid rule", QuorumRule{}, 82, 41, FirstConvocation, nil, errAny},
		{"zero convocation", half, 82, 41, Convocation(0), nil, ErrInvalidConvocation},
		{"unknown convocation", half, 82, 41, Convocation(3), nil, ErrInvalidConvocation},
		{"no members", half, 0, 0, FirstConvocation, nil, ErrInvalidCount},
		{"negative members", half, -1, 0, FirstConvocation, nil, ErrInvalidCount},
		{"negative present", half, 82, -1, FirstConvocation, nil, ErrInvalidCount},
		{"more present than members", half, 82, 83, FirstConvocation, nil, ErrInvalidCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rule.Check(tt.members, tt.present, tt.c)
			switch {
			case tt.wantErr != nil:
				if err == nil {
					t.Fatalf("Check() = nil, want %v", tt.wantErr)
				}
				if tt.wantErr != errAny && !errors.Is(err, tt.wantErr) {
					t.Errorf("Check() = %v, want %v", err, tt.wantErr)
				}
				if errors.Is(err, ErrQuorumNotMet) {
					t.Errorf("Check() = %v: an invalid input must not read as a missed quorum", err)
				}
			case tt.want == nil:
				if err != nil {
					t.Errorf("Check() = %v, want nil", err)
				}
			default:
				var qe *QuorumError
				if !errors.As(err, &qe) {
					t.Fatalf("Check() = %v, want *QuorumError", err)
				}
				if diff := cmp.Diff(tt.want, qe); diff != "" {
					t.Errorf("QuorumError mismatch (-want +got):\n%s", diff)
				}
				if !errors.Is(err, ErrQuorumNotMet) {
					t.Errorf("errors.Is(%v, ErrQuorumNotMet) = false", err)
				}
			}
		})
	}
}

func TestQuorumErrorMessage(t *testing.T) {
	err := QuorumRule{Numerator: 1, Denominator: 2}.Check(82, 40, FirstConvocation)
	want := "quorum not met on first convocation: 40 of 82 members present, 41 required"
	if err == nil || err.Error() != want {
		t.Errorf("Check() = %v, want %q", err, want)
	}
}

// errAny marks a table case that must fail without a specific sentinel.
var errAny = errors.New("any error")
