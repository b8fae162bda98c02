package item

import (
	"errors"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
)

func sample() *Item {
	it := &Item{DisplayName: "Tapis de Rabat", Quantity: 3, State: Active}
	it.Chamber, it.ID = "fes-meknes", "i1"
	return it
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Item)
		field  string
		rule   string
	}{
		{"valid", func(*Item) {}, "", ""},
		{"arabic name", func(it *Item) { it.DisplayName = "زربية" }, "", ""},
		{"no name", func(it *Item) { it.DisplayName = "  " }, "item.display_name", fault.RuleRequired},
		{"long name", func(it *Item) { it.DisplayName = strings.Repeat("ز", MaxDisplayName+1) }, "item.display_name", RuleDisplayNameLength},
		{"negative quantity", func(it *Item) { it.Quantity = -1 }, "item.quantity", RuleQuantityNonNegative},
		{"unknown state", func(it *Item) { it.State = "LOST" }, "item.state", RuleStateUnknown},
	}
	for _, tt := range tests {
		it := sample()
		tt.mutate(it)
		err := it.Validate()
		if tt.rule == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var inv *fault.InvalidError
		if !errors.As(err, &inv) || len(inv.Violations) != 1 || inv.Violations[0].Field != tt.field || inv.Violations[0].Rule != tt.rule {
			t.Errorf("%s: got %v, want %s on %s", tt.name, err, tt.rule, tt.field)
		}
	}
}

func TestChangeAndDelete(t *testing.T) {
	tests := []struct {
		name        string
		state       State
		quantity    int
		change, del string
	}{
		{"active in stock", Active, 2, "", ReasonItemInStock},
		{"active empty", Active, 0, "", ""},
		{"archived", Archived, 0, ReasonItemArchived, ""},
	}
	for _, tt := range tests {
		it := sample()
		it.State, it.Quantity = tt.state, tt.quantity
		for _, c := range []struct {
			what, want string
			err        error
		}{{"change", tt.change, it.CheckChange()}, {"delete", tt.del, it.CheckDelete()}} {
			var pe *fault.PreconditionError
			switch {
			case c.want == "" && c.err != nil:
				t.Errorf("%s %s: %v", tt.name, c.what, c.err)
			case c.want != "" && (!errors.As(c.err, &pe) || pe.Reason != c.want):
				t.Errorf("%s %s: got %v, want %s", tt.name, c.what, c.err, c.want)
			}
		}
	}
}
