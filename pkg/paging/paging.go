// Package paging is the standard List request of every collection
// (AIP-132/158): the query a repository pages through and one page of it.
package paging

import "github.com/hirfa/hirfa/pkg/resource"

// ListQuery is one page request (AIP-132 List, AIP-158 paging, AIP-160
// filtering). Chamber is Wildcard for a national read.
type ListQuery struct {
	Chamber   string
	Filter    string
	OrderBy   string
	PageSize  int
	PageToken string
	// Where adds a trusted SQL condition (written by the service, never by
	// the caller) with its arguments, e.g. a tenancy scope.
	Where     string
	WhereArgs []any
}

// Page is one page of results.
type Page[T any] struct {
	Items         []T
	NextPageToken string
}

// ListQueryOf reads the standard List request fields; parent may be a
// chamber or chambers/- (the national read, which the tenancy check
// restricts to national roles).
func ListQueryOf(parent string, pageSize int32, token, filter, orderBy string) (ListQuery, error) {
	chamber, err := resource.ParseParent(parent, "parent", true)
	if err != nil {
		return ListQuery{}, err
	}
	return ListQuery{Chamber: chamber, PageSize: int(pageSize), PageToken: token, Filter: filter, OrderBy: orderBy}, nil
}
