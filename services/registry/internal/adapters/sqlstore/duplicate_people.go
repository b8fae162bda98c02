package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

// ArtisanPeople reads what duplicate detection needs of the artisans of a
// chamber, or of every chamber.
type ArtisanPeople struct{ DB *store.DB }

var _ app.PeopleSource = ArtisanPeople{}

// People returns the artisans of chamber (resource.Wildcard: all).
func (s ArtisanPeople) People(ctx context.Context, chamber string) ([]duplicate.Person, error) {
	q, args := "SELECT chamber, id, data FROM artisans", []any{}
	if chamber != resource.Wildcard {
		q, args = q+" WHERE chamber = ?", append(args, chamber)
	}
	rows, err := s.DB.SQL.QueryContext(ctx, s.DB.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("read artisans: %w", err)
	}
	defer rows.Close()
	var out []duplicate.Person
	for rows.Next() {
		var (
			ch, id string
			data   []byte
			a      struct {
				GivenNameAR     string `json:"given_name_ar"`
				FamilyNameAR    string `json:"family_name_ar"`
				GivenNameLatin  string `json:"given_name_latin"`
				FamilyNameLatin string `json:"family_name_latin"`
				CNIE            string `json:"cnie"`
				BirthDate       string `json:"birth_date"`
			}
		)
		if err := rows.Scan(&ch, &id, &data); err != nil {
			return nil, fmt.Errorf("read artisans: %w", err)
		}
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, fmt.Errorf("artisan %s/%s: %w", ch, id, err)
		}
		out = append(out, duplicate.Person{
			Ref: "chambers/" + ch + "/artisans/" + id, CNIE: a.CNIE, BirthDate: a.BirthDate,
			GivenAR: a.GivenNameAR, FamilyAR: a.FamilyNameAR, GivenLatin: a.GivenNameLatin, FamilyLatin: a.FamilyNameLatin,
		})
	}
	return out, rows.Err()
}
