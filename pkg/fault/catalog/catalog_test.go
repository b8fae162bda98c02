package catalog_test

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/pkg/fault/catalog/catalogtest"
)

func pkgCatalog() *catalog.Catalog {
	return catalog.New([][]catalog.Entry{catalog.Common, auth.Messages}, catalog.CommonLabels)
}

// The shared entries are translated, and every reason pkg gives is in them.
func TestCommon(t *testing.T) {
	c := pkgCatalog()
	catalogtest.Check(t, c)
	// pkg/store still spells its rule ids inline; their values must be
	// catalogued all the same.
	catalogtest.Used(t, c, false, "../..")
}

func TestMatch(t *testing.T) {
	for accept, want := range map[string]string{
		"":                           catalog.English,
		"ar":                         catalog.Arabic,
		"ar-MA":                      catalog.Arabic,
		"fr-CA;q=0.9, ar;q=0.8":      catalog.French,
		"ar;q=0.8, fr-CA;q=0.9":      catalog.French,
		"fr;q=0, ar;q=0.1":           catalog.Arabic,
		"fr;q=0":                     catalog.English,
		"de":                         catalog.English,
		"de, en;q=0.1":               catalog.English,
		"*":                          catalog.English,
		"not a language tag ;;; q=x": catalog.English,
	} {
		if got := catalog.Match(accept); got != want {
			t.Errorf("Match(%q) = %s, want %s", accept, got, want)
		}
	}
}

func TestRender(t *testing.T) {
	c := catalog.New([][]catalog.Entry{catalog.Common, {
		catalog.Reason("QUORUM", 9, "النصاب {1} من {2}", "quorum {1} sur {2}"),
	}}, catalog.CommonLabels, []catalog.Label{catalog.Field("capital", "رأس المال", "capital")})
	if got, ok := c.Render(catalog.Arabic, "QUORUM", catalog.Params{Args: []string{"3", "10"}}); !ok || got != "النصاب 3 من 10" {
		t.Errorf("Render = %q, %v", got, ok)
	}
	if _, ok := c.Render(catalog.French, "QUORUM", catalog.Params{Args: []string{"3"}}); ok {
		t.Error("a missing parameter must fall back to English")
	}
	if _, ok := c.Render(catalog.English, "QUORUM", catalog.Params{Args: []string{"3", "10"}}); ok {
		t.Error("English is the code's own message")
	}
	got, ok := c.Render(catalog.Arabic, fault.RuleRequired, catalog.Params{Field: "cooperative.capital"})
	if !ok || got != "رأس المال: حقل إلزامي" {
		t.Errorf("Render required = %q, %v", got, ok)
	}
	if got := c.Label(catalog.French, "x.booth_quotas[2].criterion"); got != "x.booth_quotas[2].criterion" {
		t.Errorf("an unlabelled field keeps its path, got %q", got)
	}
}

// An enum word in a message (a state, an action) is shown in the caller's
// language; other parameters stay as given.
func TestRenderWords(t *testing.T) {
	c := pkgCatalog()
	p := catalog.Params{Named: map[string]string{"resource": "chambers/fes-meknes/cooperatives/c1", "state": "SUSPENDED", "action": "strike off"}}
	for lang, want := range map[string]string{
		catalog.French: "chambers/fes-meknes/cooperatives/c1 est à l'état SUSPENDU : impossible de « radier »",
		catalog.Arabic: "chambers/fes-meknes/cooperatives/c1 في الحالة موقوف: لا يمكن تنفيذ «التشطيب»",
	} {
		if got, ok := c.Render(lang, fault.ReasonIllegalTransition, p); !ok || got != want {
			t.Errorf("Render %s = %q, %v; want %q", lang, got, ok, want)
		}
	}
	if got, ok := c.Render(catalog.French, fault.ReasonNotDeletable, catalog.Params{Args: []string{"chambers/x/events/e", "RUNNING"}}); !ok || got != "chambers/x/events/e ne peut pas être supprimé à l'état EN COURS" {
		t.Errorf("Render positional = %q, %v", got, ok)
	}
}
