package sqlstore

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

// ArtisanPeople reads what duplicate detection needs of the artisans of a
// chamber, or of every chamber.
type ArtisanPeople struct{ DB *store.DB }

var _ app.PeopleSource = ArtisanPeople{}

// People returns the artisans of chamber (resource.Wildcard: all).
func (s ArtisanPeople) People(ctx context.Context, chamber string) ([]duplicate.Person, error) {
	q, args := "SELECT chamber, id, data, data_version FROM artisans", []any{}
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
			ch, id  string
			data    []byte
			version int64
			a       artisan.Artisan
		)
		if err := rows.Scan(&ch, &id, &data, &version); err != nil {
			return nil, fmt.Errorf("read artisans: %w", err)
		}
		// Through the stored record, so that every version reads the same.
		if err := artisanRecord.Decode(version, data, &a); err != nil {
			return nil, fmt.Errorf("artisan %s/%s: %w", ch, id, err)
		}
		out = append(out, duplicate.Person{
			Ref: "chambers/" + ch + "/artisans/" + id, CNIE: a.CNIE, BirthDate: string(a.BirthDate),
			GivenAR: a.GivenNameAR, FamilyAR: a.FamilyNameAR, GivenLatin: a.GivenNameLatin, FamilyLatin: a.FamilyNameLatin,
		})
	}
	return out, rows.Err()
}
