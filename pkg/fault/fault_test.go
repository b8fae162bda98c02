package fault

import (
	"errors"
	"testing"
)

func TestJoin(t *testing.T) {
	a := Invalid("x.capital", "capital.minimum", "too small")
	b := Invalid("x.province", "province.unknown", "unknown")
	var inv *InvalidError
	if err := Join(a, nil, b); !errors.As(err, &inv) || len(inv.Violations) != 2 || inv.Violations[1].Field != "x.province" {
		t.Fatalf("Join = %v", err)
	}
	other := NotFound("chambers/x")
	if err := Join(a, other); err != other {
		t.Fatalf("a non-field error must win: %v", err)
	}
	if Join(nil, nil) != nil {
		t.Fatal("Join of nothing must be nil")
	}
}
