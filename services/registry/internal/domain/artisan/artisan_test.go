package artisan

import (
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

var now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func valid() *Artisan {
	a := &Artisan{GivenNameAR: "محمد", FamilyNameAR: "الفاسي", GivenNameLatin: "Mohammed", FamilyNameLatin: "El Fassi",
		CNIE: "C123456", Gender: Male, BirthDate: "1975-04-10", Province: "fes", Activity: "F1.B03.A01",
		Category: Experienced, YearsOfPractice: 3}
	a.Chamber, a.ID, a.State = "fes-meknes", "abc", Applicant
	return a
}

func violations(err error) map[string]string {
	out := map[string]string{}
	var inv *fault.InvalidError
	if errors.As(err, &inv) {
		for _, v := range inv.Violations {
			out[v.Field] = v.Rule
		}
	}
	return out
}

func TestValidateCategoryEvidence(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*Artisan)
		wantField string
		wantRule  string
	}{
		{"experienced with exactly 3 years", func(a *Artisan) {}, "", ""},
		{"experienced with 2 years", func(a *Artisan) { a.YearsOfPractice = 2 }, "artisan.years_of_practice", "category.experienced.min_years"},
		{"graduate needs a diploma", func(a *Artisan) { a.Category = Graduate }, "artisan.diploma_reference", "category.graduate.diploma"},
		{"graduate with diploma", func(a *Artisan) { a.Category, a.DiplomaReference = Graduate, "DIP-1" }, "", ""},
		{"master with 9 years", func(a *Artisan) {
			a.Category, a.YearsOfPractice, a.AminCertificateReference = Master, 9, "AMIN-1"
		}, "artisan.years_of_practice", "category.master.min_years"},
		{"master without amin certificate", func(a *Artisan) { a.Category, a.YearsOfPractice = Master, 10 }, "artisan.amin_certificate_reference", "category.master.amin_certificate"},
		{"master with 10 years and certificate", func(a *Artisan) {
			a.Category, a.YearsOfPractice, a.AminCertificateReference = Master, 10, "AMIN-1"
		}, "", ""},
		{"no category", func(a *Artisan) { a.Category = "" }, "artisan.category", "required"},
		{"bad CNIE", func(a *Artisan) { a.CNIE = "12AB" }, "artisan.cnie", "cnie.format"},
		{"too young", func(a *Artisan) { a.BirthDate = "2015-01-01" }, "artisan.birth_date", "birth_date.age"},
		{"missing Arabic name", func(a *Artisan) { a.FamilyNameAR = " " }, "artisan.given_name_ar", "required"},
		{"no gender", func(a *Artisan) { a.Gender = "" }, "artisan.gender", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.edit(a)
			err := a.Validate(now)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			got := violations(err)
			if got[tt.wantField] != tt.wantRule {
				t.Fatalf("Validate() violations = %v, want %s=%s", got, tt.wantField, tt.wantRule)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	type step struct {
		do      func(*Artisan) error
		want    State
		illegal bool
	}
	reg := func(a *Artisan) error { return a.Register("03-2026-000001", now) }
	sus := func(a *Artisan) error { return a.Suspend("unpaid fees") }
	rei := func(a *Artisan) error { return a.Reinstate() }
	off := func(a *Artisan) error { return a.StrikeOff("deceased") }
	tests := []struct {
		name  string
		steps []step
	}{
		{"register, suspend, reinstate, strike off", []step{{reg, Registered, false}, {sus, Suspended, false}, {rei, Registered, false}, {off, StruckOff, false}}},
		{"suspend an applicant", []step{{sus, Applicant, true}}},
		{"reinstate a registered artisan", []step{{reg, Registered, false}, {rei, Registered, true}}},
		{"register twice", []step{{reg, Registered, false}, {reg, Registered, true}}},
		{"strike off an applicant", []step{{off, Applicant, true}}},
		{"strike off suspended", []step{{reg, Registered, false}, {sus, Suspended, false}, {off, StruckOff, false}}},
		{"nothing after struck off", []step{{reg, Registered, false}, {off, StruckOff, false}, {rei, StruckOff, true}, {reg, StruckOff, true}, {sus, StruckOff, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			for i, s := range tt.steps {
				err := s.do(a)
				var pre *fault.PreconditionError
				if s.illegal != errors.As(err, &pre) {
					t.Fatalf("step %d: err = %v, illegal = %v", i, err, s.illegal)
				}
				if s.illegal && pre.Reason != "ILLEGAL_TRANSITION" {
					t.Fatalf("step %d: reason = %s", i, pre.Reason)
				}
				if a.State != s.want {
					t.Fatalf("step %d: state = %s, want %s", i, a.State, s.want)
				}
			}
		})
	}
}

func TestRegisterAssignsNIA(t *testing.T) {
	a := valid()
	if err := a.Register(FormatNIA("MA-03", 2026, 42), now); err != nil {
		t.Fatal(err)
	}
	if a.NIA != "03-2026-000042" || a.RegisterTime == nil || !a.RegisterTime.Equal(now) {
		t.Fatalf("after Register: NIA=%q time=%v", a.NIA, a.RegisterTime)
	}
	if err := a.CheckDelete(); err == nil {
		t.Fatal("a registered artisan must not be deletable")
	}
}

// Every action has one row with its event name, and the methods follow the
// table from every state.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Register, Suspend, Reinstate, StrikeOff); err != nil {
		t.Error(err)
	}
	err := Transitions.Walk([]State{Applicant, Registered, Suspended, StruckOff}, func(action Action, from State) (State, error) {
		a := valid()
		a.State = from
		var err error
		switch action {
		case Register:
			err = a.Register("03-2026-000001", now)
		case Suspend:
			err = a.Suspend("unpaid fees")
		case Reinstate:
			err = a.Reinstate()
		default:
			err = a.Apply(action, "deceased")
		}
		return a.State, err
	})
	if err != nil {
		t.Error(err)
	}
}
