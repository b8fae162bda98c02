package console

import (
	"strconv"
	"strings"
)

// The four registers (cooperatives, artisans, associations, enterprises)
// share one set of screens: search, record page, create and edit forms.
// What differs between them is data, described once per register here:
// the API's collection and body field, its states and lifecycle actions,
// which filters the API's ListX accepts, and the form's fields with the
// JSON path each one fills.

// inputType is how a form field is typed and how its value travels.
type inputType int

const (
	inText     inputType = iota // string as typed
	inTextarea                  // long string
	inDate                      // ISO date
	inInt                       // JSON number (int32 fields)
	inMAD                       // dirhams typed, centimes sent (int64 as a JSON string)
	inEnum                      // one of Options; omitted when empty
	inProvince                  // a province of the user's chamber
)

// regField is one input of a register's form and one row of its record page.
type regField struct {
	Name    string // input name and label key "field."+Name
	Path    string // JSON path in the resource: "display_name.ar", "capital_centimes"
	Type    inputType
	Lang    string   // script of a text input: ar or fr (direction follows)
	Options []string // enum values; labels under "<register>.<Name>.<value>"
	Labels  string   // when set, the enum labels' key prefix instead ("kind.")
}

// regAction is a lifecycle action (the API's custom method) and whether it
// carries a reason (the API requires one of at least 3 characters).
type regAction struct {
	Verb   string
	Reason bool
}

// register describes one register for the shared screens.
type register struct {
	ID       string // API collection and console URL segment: cooperatives…
	Singular string // the API's body field and field-violation prefix
	States   []string
	// Filters beyond name, state and province that ListX accepts.
	Filters []string
	Actions map[string][]regAction // by state
	Fields  []regField
	// Columns of the search results after name, province and state.
	Columns []string
	// Nav is the menu entry its forms belong to; "" is the register's.
	Nav string
}

// nav is the menu entry highlighted on the register's forms, refused or not.
func (k *register) nav() string {
	if k.Nav == "" {
		return "register"
	}
	return k.Nav
}

var artisanCategories = []string{"GRADUATE", "EXPERIENCED", "MASTER"}

var registers = []*register{
	{
		ID: "cooperatives", Singular: "cooperative",
		States:  []string{"FORMING", "REGISTERED", "ACTIVE", "DORMANT", "DISSOLVED", "IN_LIQUIDATION"},
		Filters: []string{"activity"},
		Actions: map[string][]regAction{
			"FORMING":    {{Verb: "register"}},
			"REGISTERED": {{Verb: "activate"}},
			"ACTIVE":     {{Verb: "markDormant", Reason: true}, {Verb: "dissolve", Reason: true}},
			"DORMANT":    {{Verb: "reactivate"}, {Verb: "dissolve", Reason: true}},
			"DISSOLVED":  {{Verb: "liquidate", Reason: true}},
		},
		Fields: []regField{
			{Name: "name_ar", Path: "display_name.ar", Lang: langAR},
			{Name: "name_fr", Path: "display_name.fr", Lang: langFR},
			{Name: "activity", Path: "activity"},
			{Name: "province", Path: "province", Type: inProvince},
			{Name: "founding_date", Path: "founding_date", Type: inDate},
			{Name: "capital", Path: "capital_centimes", Type: inMAD},
			{Name: "share_value", Path: "share_value_centimes", Type: inMAD},
			{Name: "members_women", Path: "members_women", Type: inInt},
			{Name: "members_men", Path: "members_men", Type: inInt},
			{Name: "union_name", Path: "union_name"},
		},
		Columns: []string{"capital", "founding_date"},
	},
	{
		ID: "artisans", Singular: "artisan",
		States:  []string{"APPLICANT", "REGISTERED", "SUSPENDED", "STRUCK_OFF"},
		Filters: []string{"activity", "category", "gender"},
		Actions: map[string][]regAction{
			"APPLICANT":  {{Verb: "register"}},
			"REGISTERED": {{Verb: "suspend", Reason: true}, {Verb: "strikeOff", Reason: true}},
			"SUSPENDED":  {{Verb: "reinstate"}, {Verb: "strikeOff", Reason: true}},
		},
		Fields: []regField{
			{Name: "given_name_ar", Path: "given_name_ar", Lang: langAR},
			{Name: "family_name_ar", Path: "family_name_ar", Lang: langAR},
			{Name: "given_name_latin", Path: "given_name_latin", Lang: langFR},
			{Name: "family_name_latin", Path: "family_name_latin", Lang: langFR},
			{Name: "cnie", Path: "cnie"},
			{Name: "gender", Path: "gender", Type: inEnum, Options: []string{"FEMALE", "MALE"}},
			{Name: "birth_date", Path: "birth_date", Type: inDate},
			{Name: "province", Path: "province", Type: inProvince},
			{Name: "activity", Path: "activity"},
			{Name: "category", Path: "category", Type: inEnum, Options: artisanCategories},
			{Name: "diploma_reference", Path: "diploma_reference"},
			{Name: "years_of_practice", Path: "years_of_practice", Type: inInt},
			{Name: "amin_certificate_reference", Path: "amin_certificate_reference"},
		},
		Columns: []string{"category", "gender"},
	},
	{
		ID: "associations", Singular: "association",
		States:  []string{"DECLARED", "ACTIVE", "STAGNANT", "DISSOLVED"},
		Filters: []string{"category"},
		Actions: map[string][]regAction{
			"DECLARED": {{Verb: "activate"}, {Verb: "dissolve", Reason: true}},
			"ACTIVE":   {{Verb: "markStagnant", Reason: true}, {Verb: "dissolve", Reason: true}},
			"STAGNANT": {{Verb: "reactivate"}, {Verb: "dissolve", Reason: true}},
		},
		Fields: []regField{
			{Name: "name_ar", Path: "display_name.ar", Lang: langAR},
			{Name: "name_fr", Path: "display_name.fr", Lang: langFR},
			{Name: "object", Path: "object", Type: inTextarea},
			{Name: "province", Path: "province", Type: inProvince},
			{Name: "category", Path: "category", Type: inEnum, Options: []string{"PROFESSIONAL", "DEVELOPMENT", "WOMEN", "YOUTH", "OTHER"}},
			{Name: "president", Path: "president"},
			{Name: "receipt_number", Path: "receipt.number"},
			{Name: "provisional_date", Path: "receipt.provisional_date", Type: inDate},
			{Name: "definitive_date", Path: "receipt.definitive_date", Type: inDate},
			{Name: "last_general_assembly_date", Path: "last_general_assembly_date", Type: inDate},
		},
		Columns: []string{"category"},
	},
	{
		ID: "enterprises", Singular: "enterprise",
		States:  []string{"ACTIVE", "CLOSED"},
		Filters: []string{"activity"},
		Actions: map[string][]regAction{"ACTIVE": {{Verb: "close", Reason: true}}},
		Fields: []regField{
			{Name: "name_ar", Path: "display_name.ar", Lang: langAR},
			{Name: "name_fr", Path: "display_name.fr", Lang: langFR},
			{Name: "ice", Path: "ice"},
			{Name: "rc", Path: "rc"},
			{Name: "activity", Path: "activity"},
			{Name: "province", Path: "province", Type: inProvince},
			{Name: "supervising_artisan", Path: "supervising_artisan"},
		},
		Columns: []string{"ice"},
	},
}

func registerByID(id string) *register {
	for _, k := range registers {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// HasFilter reports whether the register's list accepts the filter.
func (k *register) HasFilter(f string) bool {
	for _, x := range k.Filters {
		if x == f {
			return true
		}
	}
	return false
}

// Options lists a filter's enum values (category, gender).
func (k *register) Options(name string) []string {
	for _, f := range k.Fields {
		if f.Name == name {
			return f.Options
		}
	}
	return nil
}

// action finds a verb among the register's lifecycle actions.
func (k *register) action(verb string) (regAction, bool) {
	for _, as := range k.Actions {
		for _, a := range as {
			if a.Verb == verb {
				return a, true
			}
		}
	}
	return regAction{}, false
}

func (k *register) field(name string) (regField, bool) {
	for _, f := range k.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return regField{}, false
}

// lookup reads a dotted JSON path of an API answer.
func lookup(rec map[string]any, path string) any {
	var v any = rec
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// setPath writes a dotted JSON path into a request body.
func setPath(body map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	m := body
	for _, p := range parts[:len(parts)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[parts[len(parts)-1]] = v
}

// formValues turns a record into the form's inputs (amounts in dirhams).
func (k *register) formValues(rec map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, f := range k.Fields {
		v := lookup(rec, f.Path)
		s := ""
		switch f.Type {
		case inMAD:
			if c, ok := toInt(v); ok && v != nil {
				s = strconv.FormatInt(c/100, 10)
				if c%100 != 0 {
					s += "." + pad2(c%100)
				}
			}
		case inInt:
			if n, ok := toInt(v); ok && v != nil {
				s = strconv.FormatInt(n, 10)
			}
		default:
			s, _ = v.(string)
		}
		out[f.Name] = []string{s}
	}
	return out
}

// body builds the API's JSON body from the submitted form. An empty input
// is left out: the API names it as missing when the rules need it, and an
// update clears it (the update mask names every field of the form). Empty
// strings are never sent, as the contract's patterns (dates, CNIE, ICE)
// do not admit them. A value that is not a number is sent as text: the
// API's decoding rejects it and the form shows that answer.
func (k *register) body(get func(string) string) map[string]any {
	body := map[string]any{}
	for _, f := range k.Fields {
		t := strings.TrimSpace(get(f.Name))
		if t == "" {
			continue
		}
		switch f.Type {
		case inInt:
			if n, err := strconv.ParseInt(t, 10, 32); err == nil {
				setPath(body, f.Path, n)
			} else {
				setPath(body, f.Path, t)
			}
		case inMAD:
			setPath(body, f.Path, madCentimes(t))
		default:
			setPath(body, f.Path, t)
		}
	}
	return body
}

// mask is the update mask of the edit form: the top-level fields it
// holds. Sent explicitly, so the record's name and etag in the body are
// never taken for fields to change.
func (k *register) mask() string {
	var out []string
	seen := map[string]bool{}
	for _, f := range k.Fields {
		top, _, _ := strings.Cut(f.Path, ".")
		if !seen[top] {
			seen[top] = true
			out = append(out, top)
		}
	}
	return strings.Join(out, ",")
}

// madCentimes reads dirhams as people type them ("1 500", "1500,50") into
// centimes, the API's unit; anything else is passed through for the API
// to reject.
func madCentimes(t string) string {
	t = strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(t, " ", ""), "\u202f", ""), ",", ".")
	whole, frac, _ := strings.Cut(t, ".")
	if len(frac) > 2 {
		return t
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 {
		return t
	}
	c := int64(0)
	if frac != "" {
		if c, err = strconv.ParseInt((frac + "0")[:2], 10, 64); err != nil {
			return t
		}
	}
	return strconv.FormatInt(w*100+c, 10)
}

// fieldErrors places the API's field violations on the form's inputs: the
// violation's path (e.g. "artisan.cnie", "cooperative.display_name.ar")
// without the body prefix is matched to the field with that JSON path, or
// the first field under it ("display_name" → name_ar). Violations that fit
// no input stay in the page's error line.
func (k *register) fieldErrors(e *apiError) map[string]string {
	out := map[string]string{}
	for _, d := range e.Details {
		for _, v := range d.FieldViolations {
			p := strings.TrimPrefix(v.Field, k.Singular+".")
			name := ""
			for _, f := range k.Fields {
				if f.Path == p || (name == "" && strings.HasPrefix(f.Path, p+".")) {
					name = f.Name
				}
			}
			if name == "" {
				continue
			}
			if out[name] == "" {
				out[name] = v.Description
			} else {
				out[name] += " — " + v.Description
			}
		}
	}
	return out
}

// title is a record's name in the locale: the display name, or an
// artisan's given and family names in the locale's script.
func (k *register) title(l locale, rec map[string]any) string {
	if k.ID != "artisans" {
		return l.L(rec["display_name"])
	}
	s := func(key string) string { v, _ := rec[key].(string); return v }
	ar := strings.TrimSpace(s("given_name_ar") + " " + s("family_name_ar"))
	fr := strings.TrimSpace(s("given_name_latin") + " " + s("family_name_latin"))
	if l.Lang == langFR && fr != "" || ar == "" {
		return fr
	}
	return ar
}

// show formats one field of a record for reading: labels for enums,
// province names, dates (with the Hijri date), amounts and numbers in the
// locale.
func (c *Console) show(l locale, k *register, name string, rec map[string]any) string {
	f, ok := k.field(name)
	if !ok {
		return ""
	}
	v := lookup(rec, f.Path)
	if v == nil || v == "" {
		return ""
	}
	switch f.Type {
	case inEnum:
		s, _ := v.(string)
		return l.T(k.ID + "." + f.Name + "." + s)
	case inProvince:
		s, _ := v.(string)
		if p, ok := c.terr.Province(s); ok {
			if l.Lang == langFR {
				return p.Name.FR
			}
			return p.Name.AR
		}
		return s
	case inDate:
		return l.Date(v)
	case inMAD:
		return l.MAD(v)
	case inInt:
		return l.Num(v)
	}
	s, _ := v.(string)
	return s
}

// Select reports a field chosen from a list (an enum or a province).
func (f regField) Select() bool { return f.Type == inEnum || f.Type == inProvince }

// Province reports the province list.
func (f regField) Province() bool { return f.Type == inProvince }

// Textarea reports a long text.
func (f regField) Textarea() bool { return f.Type == inTextarea }

// Date reports a date (shown with its Hijri date).
func (f regField) Date() bool { return f.Type == inDate }

// Input is the HTML input type of a one-line field.
func (f regField) Input() string {
	switch f.Type {
	case inDate:
		return "date"
	case inInt:
		return "number"
	}
	return "text"
}
