package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/vitality"
)

// Inventory page sizes (AIP-158: a larger size is coerced, not refused).
const (
	inventoryDefaultPage = 50
	inventoryMaxPage     = 1000
)

// InventoryQuery asks for the inventory of a chamber (or resource.Wildcard).
type InventoryQuery struct {
	Chamber   string
	Type      string            // vitality.Association, vitality.Cooperative, or "" for both
	Standing  vitality.Standing // "" for every standing
	PageSize  int
	PageToken string
}

// InventoryItem is one organisation with its computed standing.
type InventoryItem struct {
	vitality.Entry
	vitality.Assessment
}

// InventoryPage is one page of the inventory.
type InventoryPage struct {
	Items         []InventoryItem
	NextPageToken string
	TotalSize     int
}

// today is the UTC day the standings are computed for.
func (a *Reporting) today() time.Time {
	now := time.Now
	if a.Clock != nil {
		now = a.Clock
	}
	y, m, d := now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// assessed reads the inventory of the query's scope and computes every
// standing, keeping the items that match its type and standing.
func (a *Reporting) assessed(ctx context.Context, q InventoryQuery) ([]InventoryItem, string, error) {
	scope, err := a.Access.ListScope(ctx, q.Chamber)
	if err != nil {
		return nil, "", err
	}
	chamber := scope
	if chamber == resource.Wildcard {
		chamber = ""
	}
	today := a.today()
	entries, err := a.Inventory.Inventory(ctx, chamber, today.Format(time.DateOnly))
	if err != nil {
		return nil, "", err
	}
	var out []InventoryItem
	for _, e := range entries {
		if q.Type != "" && e.Type != q.Type {
			continue
		}
		as := vitality.Assess(a.Vitality, e.Evidence, today)
		if q.Standing != "" && as.Standing != q.Standing {
			continue
		}
		out = append(out, InventoryItem{Entry: e, Assessment: as})
	}
	return out, scope, nil
}

// inventoryToken is a page token: the query it belongs to and the last
// item handed out (entries come ordered by chamber, type and id).
type inventoryToken struct {
	Bound string `json:"b"`
	After string `json:"a"`
}

func inventoryKey(e vitality.Entry) string { return e.Chamber + "\x00" + e.Type + "\x00" + e.ID }

func inventoryBound(q InventoryQuery) string {
	h := sha256.Sum256([]byte(q.Chamber + "\x00" + q.Type + "\x00" + string(q.Standing)))
	return hex.EncodeToString(h[:8])
}

// ListInventory pages through the associations and cooperatives of a
// chamber (national roles: chambers/-) with their standing.
func (a *Reporting) ListInventory(ctx context.Context, q InventoryQuery) (InventoryPage, error) {
	if q.PageSize < 0 {
		return InventoryPage{}, fault.Invalid("page_size", fault.RulePageSize, "must not be negative, got %d", q.PageSize)
	}
	var after string
	if q.PageToken != "" {
		var t inventoryToken
		b, err := base64.RawURLEncoding.DecodeString(q.PageToken)
		if err == nil {
			err = json.Unmarshal(b, &t)
		}
		if err != nil || t.Bound != inventoryBound(q) {
			return InventoryPage{}, fault.Invalid("page_token", fault.RulePageToken, "page token is not valid for this query")
		}
		after = t.After
	}
	items, _, err := a.assessed(ctx, q)
	if err != nil {
		return InventoryPage{}, err
	}
	size := q.PageSize
	switch {
	case size == 0:
		size = inventoryDefaultPage
	case size > inventoryMaxPage:
		size = inventoryMaxPage
	}
	page := InventoryPage{TotalSize: len(items)}
	start := 0
	if after != "" {
		for start < len(items) && inventoryKey(items[start].Entry) <= after {
			start++
		}
	}
	end := min(start+size, len(items))
	page.Items = items[start:end]
	if end < len(items) {
		b, _ := json.Marshal(inventoryToken{Bound: inventoryBound(q), After: inventoryKey(items[end-1].Entry)}) // strings only: cannot fail
		page.NextPageToken = base64.RawURLEncoding.EncodeToString(b)
	}
	return page, nil
}

// InventoryDownload renders the inventory (every matching organisation) as
// CSV or XLSX in lang.
func (a *Reporting) InventoryDownload(ctx context.Context, q InventoryQuery, lang render.Language, f Format) (Download, error) {
	if f != CSV && f != XLSX {
		return Download{}, fault.Invalid("format", "format.inventory", "the inventory comes as CSV or XLSX, got %s", f)
	}
	if lang != render.Arabic && lang != render.French {
		return Download{}, fault.Invalid("language", "language.known", "must be ar or fr, got %q", string(lang))
	}
	items, scope, err := a.assessed(ctx, q)
	if err != nil {
		return Download{}, err
	}
	doc := inventoryDocument(items, lang, scope)
	base := "inventory-" + scopeFile(scope) + "-" + a.today().Format(time.DateOnly) + "-" + string(lang)
	if f == CSV {
		body, err := render.CSV(doc.Sections[0].Table)
		if err != nil {
			return Download{}, err
		}
		return Download{ContentType: "text/csv; charset=utf-8", Filename: base + ".csv", Body: body}, nil
	}
	body, err := render.XLSX(doc)
	if err != nil {
		return Download{}, err
	}
	return Download{ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Filename: base + ".xlsx", Body: body}, nil
}

// inventoryHeadings are the inventory table's columns.
var inventoryHeadings = map[render.Language][]string{
	render.Arabic: {"المرجع", "النوع", "الاسم بالعربية", "الاسم بالفرنسية", "الإقليم", "الوضعية في السجل", "التصنيف", "الأسباب", "الوصل النهائي متأخر"},
	render.French: {"Référence", "Type", "Nom (arabe)", "Nom (français)", "Province", "Situation au registre", "Classement", "Motifs", "Récépissé définitif en retard"},
}

func inventoryDocument(items []InventoryItem, lang render.Language, scope string) render.Document {
	ar := lang == render.Arabic
	pick := func(t l10n.Text) string {
		if ar {
			return t.AR
		}
		return t.FR
	}
	title := pick(l10n.Text{AR: "الجرد الشامل للجمعيات والتعاونيات", FR: "Inventaire des associations et coopératives"})
	yes, no := pick(l10n.Text{AR: "نعم", FR: "oui"}), pick(l10n.Text{AR: "لا", FR: "non"})
	t := render.Table{ID: "inventory", Title: title, Columns: inventoryHeadings[lang]}
	for _, it := range items {
		reasons := make([]string, 0, len(it.Reasons))
		for _, r := range it.Reasons {
			s := pick(vitality.Words(r.Code))
			var extra []string
			for _, v := range []string{r.Date, r.Text, r.Actor} {
				if v != "" {
					extra = append(extra, v)
				}
			}
			if len(extra) > 0 {
				s += " (" + strings.Join(extra, ", ") + ")"
			}
			reasons = append(reasons, s)
		}
		overdue := no
		if it.ReceiptOverdue {
			overdue = yes
		}
		t.Rows = append(t.Rows, []string{it.Name(), pick(vitality.Words(it.Type)), it.DisplayName.AR, it.DisplayName.FR, it.Province,
			it.State, pick(vitality.Words(string(it.Standing))), strings.Join(reasons, "; "), overdue})
	}
	sub := scope
	if scope == resource.Wildcard {
		sub = pick(l10n.Text{AR: "المستوى الوطني", FR: "Niveau national"})
	}
	return render.Document{Language: lang, Title: title, Subtitle: sub, Sections: []render.Section{{Heading: title, Table: t}}}
}
