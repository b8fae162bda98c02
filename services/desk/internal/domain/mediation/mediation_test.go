package mediation

import (
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func sample() *Case {
	c := &Case{Subject: "Litige sur un lot de tapis", Mediator: "clerk-1", Parties: []Party{
		{Artisan: "chambers/fes-meknes/artisans/a1"}, {Artisan: "chambers/fes-meknes/artisans/a2"}}}
	c.Chamber, c.ID = "fes-meknes", "c1"
	return c
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Case)
		field  string
		rule   string
	}{
		{"two artisans", func(*Case) {}, "", ""},
		{"artisan and a person", func(c *Case) { c.Parties[1] = Party{DisplayName: "Client"} }, "", ""},
		{"same artisan twice", func(c *Case) { c.Parties[1] = c.Parties[0] }, "mediation_case.parties[1]", RulePartiesDistinct},
		{"same person twice", func(c *Case) {
			c.Parties = []Party{{DisplayName: "Ali  Bennani"}, {DisplayName: "ali bennani"}}
		}, "mediation_case.parties[1]", RulePartiesDistinct},
		{"one party", func(c *Case) { c.Parties = c.Parties[:1] }, "mediation_case.parties", RulePartiesTwo},
		{"artisan of another chamber", func(c *Case) { c.Parties[1].Artisan = "chambers/oriental/artisans/a2" }, "mediation_case.parties[1].artisan", RulePartyArtisan},
		{"a cooperative is not an artisan", func(c *Case) { c.Parties[1].Artisan = "chambers/fes-meknes/cooperatives/c2" }, "mediation_case.parties[1].artisan", RulePartyArtisan},
		{"both artisan and name", func(c *Case) { c.Parties[1].DisplayName = "X" }, "mediation_case.parties[1].display_name", RulePartyOne},
		{"empty party", func(c *Case) { c.Parties[1] = Party{} }, "mediation_case.parties[1].artisan", fault.RuleRequired},
		{"no mediator", func(c *Case) { c.Mediator = "" }, "mediation_case.mediator", fault.RuleRequired},
		{"no subject", func(c *Case) { c.Subject = "" }, "mediation_case.subject", fault.RuleRequired},
	}
	for _, tt := range tests {
		c := sample()
		tt.mutate(c)
		err := c.Open()
		if tt.rule == "" {
			if err != nil || c.State != Open {
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

func TestSessionsAndClose(t *testing.T) {
	c := sample()
	if err := c.Open(); err != nil {
		t.Fatal(err)
	}
	if err := c.AddSession(Session{Notes: "Première séance"}, now); err != nil || len(c.Sessions) != 1 || !c.Sessions[0].Time.Equal(now) {
		t.Fatalf("session: %v %+v", err, c.Sessions)
	}
	var inv *fault.InvalidError
	if err := c.AddSession(Session{Notes: " "}, now); !errors.As(err, &inv) || len(c.Sessions) != 1 {
		t.Fatalf("empty notes: %v", err)
	}
	if err := c.Close("", "rien", now); !errors.As(err, &inv) || inv.Violations[0].Rule != RuleOutcomeRequired || c.State != Open {
		t.Fatalf("close without outcome: %v", err)
	}
	if err := c.Close(Settled, "", now); !errors.As(err, &inv) || inv.Violations[0].Field != "outcome_text" {
		t.Fatalf("close without text: %v", err)
	}
	if err := c.Close(Settled, "Accord amiable", now); err != nil || c.State != Closed || c.Outcome != Settled {
		t.Fatalf("close: %v", err)
	}
	var pe *fault.PreconditionError
	if err := c.AddSession(Session{Notes: "trop tard"}, now); !errors.As(err, &pe) || pe.Reason != fault.ReasonIllegalTransition {
		t.Fatalf("session on a closed case: %v", err)
	}
	if err := c.Close(Failed, "encore", now); !errors.As(err, &pe) || c.Outcome != Settled {
		t.Fatalf("closing twice: %v", err)
	}
}
