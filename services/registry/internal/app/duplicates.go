package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

// PeopleSource reads the registrations of a chamber (resource.Wildcard:
// all) for duplicate detection.
type PeopleSource interface {
	People(ctx context.Context, chamber string) ([]duplicate.Person, error)
}

// DuplicateReview lists duplicate candidates computed from the register
// when asked: it reads the chamber's artisans (or all of them), fills a
// duplicate.Finder and returns its pairs, one page at a time.
type DuplicateReview struct {
	Access Access
	Source PeopleSource
}

// DuplicatePage is one page of candidate pairs.
type DuplicatePage struct {
	Pairs         []duplicate.Pair
	NextPageToken string
}

// List returns the page of candidate pairs of parent's chamber ("-" for
// every chamber, national roles only) after pageToken.
func (d DuplicateReview) List(ctx context.Context, chamber string, pageSize int, pageToken string) (DuplicatePage, error) {
	var vs fault.Violations
	if pageSize < 0 {
		vs.Add("page_size", fault.RulePageSize, "must not be negative, got %d", pageSize)
	}
	offset := 0
	if pageToken != "" {
		c, n, ok := strings.Cut(pageToken, "@")
		o, err := strconv.Atoi(n)
		if !ok || err != nil || o < 0 || c != chamber {
			vs.Add("page_token", fault.RulePageToken, "not a token of this list")
		}
		offset = o
	}
	if err := vs.Err(); err != nil {
		return DuplicatePage{}, err
	}
	scope, err := d.Access.ListScope(ctx, chamber)
	if err != nil {
		return DuplicatePage{}, err
	}
	people, err := d.Source.People(ctx, scope)
	if err != nil {
		return DuplicatePage{}, &fault.UnavailableError{What: "artisan register", Err: err}
	}
	f := duplicate.NewFinder()
	for _, p := range people {
		f.Add(p)
	}
	pairs := f.Pairs()
	switch {
	case pageSize == 0:
		pageSize = store.DefaultPageSize
	case pageSize > store.MaxPageSize:
		pageSize = store.MaxPageSize // AIP-158: coerce, as every list does
	}
	var page DuplicatePage
	if offset < len(pairs) {
		end := min(len(pairs), offset+pageSize)
		page.Pairs = pairs[offset:end]
		if end < len(pairs) {
			page.NextPageToken = chamber + "@" + strconv.Itoa(end)
		}
	}
	return page, nil
}
