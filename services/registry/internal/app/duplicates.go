package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"sync"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

// DuplicateQueue stores the review queue of duplicate candidates.
type DuplicateQueue interface {
	// Scan compares up to limit records changed since they were last
	// compared and rewrites their pairs; it returns how many it took.
	Scan(ctx context.Context, limit int) (int, error)
	// List returns up to q.Size+1 pairs in list order.
	List(ctx context.Context, q DuplicateQuery) ([]duplicate.Review, error)
	Get(ctx context.Context, id string) (duplicate.Review, error)
	// Dismiss moves an OPEN pair to DISMISSED with its event and audit
	// record (w); false, writing nothing, if it is not OPEN.
	Dismiss(ctx context.Context, id, reason string, at time.Time, w change.Write) (bool, error)
}

// DuplicateQuery selects a page of the queue.
type DuplicateQuery struct {
	Chamber  string // resource.Wildcard: every chamber, pairs across chambers included
	State    duplicate.State
	MinScore float64
	Size     int
	After    *DuplicateCursor
}

// DuplicateCursor is the last pair of a page, in list order.
type DuplicateCursor struct {
	Score float64 `json:"s"`
	ID    string  `json:"i"`
}

// ListCatchUp bounds the marked records a list compares before answering,
// so that a list after a large import answers while the background scan
// (Scanner) works through the rest.
const ListCatchUp = 5000

// DuplicateReview is the review queue of artisans that may be one person.
// The queue is stored: every change of an artisan marks it (database
// triggers, so imports and merges too), and a scan compares each marked
// record with the records sharing its CNIE or birth date, a few dozen at
// most, instead of recomputing the whole register per call.
type DuplicateReview struct {
	Access Access
	Queue  DuplicateQueue
	Now    func() time.Time
	// scanning serialises this process's scans; scans of other replicas
	// are safe too (they rewrite the same pairs to the same values).
	scanning sync.Mutex
}

// Scan compares up to limit marked records.
func (d *DuplicateReview) Scan(ctx context.Context, limit int) (int, error) {
	d.scanning.Lock()
	defer d.scanning.Unlock()
	return d.Queue.Scan(ctx, limit)
}

// Scanner scans every interval until ctx ends, so the queue follows the
// register without waiting for a list; errors go to report.
func (d *DuplicateReview) Scanner(ctx context.Context, interval time.Duration, report func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for {
				n, err := d.Scan(ctx, ListCatchUp)
				if err != nil && ctx.Err() == nil {
					report(err)
				}
				if err != nil || n < ListCatchUp {
					break
				}
			}
		}
	}
}

// DuplicatePage is one page of candidate pairs.
type DuplicatePage struct {
	Pairs         []duplicate.Review
	NextPageToken string
}

// pageToken binds a cursor to the query it continues.
type duplicateToken struct {
	Chamber  string          `json:"c"`
	State    duplicate.State `json:"st"`
	MinScore float64         `json:"m"`
	After    DuplicateCursor `json:"a"`
}

// List returns the page of pairs of chamber ("-" for every chamber,
// national roles only) in state (OPEN when empty) scoring at least
// minScore, after pageToken, highest score first.
func (d *DuplicateReview) List(ctx context.Context, chamber string, state duplicate.State, minScore float64, pageSize int, pageToken string) (DuplicatePage, error) {
	if state == "" {
		state = duplicate.Open
	}
	q := DuplicateQuery{Chamber: chamber, State: state, MinScore: minScore, Size: pageSize}
	var vs fault.Violations
	if pageSize < 0 {
		vs.Add("page_size", fault.RulePageSize, "must not be negative, got %d", pageSize)
	}
	if pageToken != "" {
		var tok duplicateToken
		raw, err := base64.RawURLEncoding.DecodeString(pageToken)
		if err == nil {
			err = json.Unmarshal(raw, &tok)
		}
		if err != nil || tok.Chamber != chamber || tok.State != state || tok.MinScore != minScore {
			vs.Add("page_token", fault.RulePageToken, "not a token of this list")
		}
		q.After = &tok.After
	}
	if err := vs.Err(); err != nil {
		return DuplicatePage{}, err
	}
	scope, err := d.Access.ListScope(ctx, chamber)
	if err != nil {
		return DuplicatePage{}, err
	}
	q.Chamber = scope
	if _, err := d.Scan(ctx, ListCatchUp); err != nil {
		return DuplicatePage{}, &fault.UnavailableError{What: "duplicate review queue", Err: err}
	}
	switch {
	case q.Size == 0:
		q.Size = store.DefaultPageSize
	case q.Size > store.MaxPageSize:
		q.Size = store.MaxPageSize // AIP-158: coerce, as every list does
	}
	pairs, err := d.Queue.List(ctx, q)
	if err != nil {
		return DuplicatePage{}, &fault.UnavailableError{What: "duplicate review queue", Err: err}
	}
	var page DuplicatePage
	if len(pairs) > q.Size {
		pairs = pairs[:q.Size]
		last := pairs[len(pairs)-1]
		raw, _ := json.Marshal(duplicateToken{Chamber: chamber, State: state, MinScore: minScore, After: DuplicateCursor{Score: last.Pair.Score, ID: last.ID}})
		page.NextPageToken = base64.RawURLEncoding.EncodeToString(raw)
	}
	page.Pairs = pairs
	return page, nil
}

// Dismiss records that the pair's two records are different people. The
// caller must be allowed to merge both records (a clerk within the
// chamber, the ministry across chambers): dismissing is the other outcome
// of the same review.
func (d *DuplicateReview) Dismiss(ctx context.Context, chamber, id string, m change.Mutation) (duplicate.Review, error) {
	name := "chambers/" + chamber + "/" + duplicate.Collection + "/" + id
	if err := d.Access.Read(ctx, chamber, name); err != nil {
		return duplicate.Review{}, err
	}
	if _, err := d.Scan(ctx, ListCatchUp); err != nil {
		return duplicate.Review{}, &fault.UnavailableError{What: "duplicate review queue", Err: err}
	}
	r, err := d.Queue.Get(ctx, id)
	if _, missing := err.(*fault.NotFoundError); missing || (err == nil && r.NameChamber != chamber) {
		return duplicate.Review{}, fault.NotFound(name)
	}
	if err != nil {
		return duplicate.Review{}, err
	}
	for _, ref := range []string{r.Pair.A, r.Pair.B} {
		if err := d.Access.Merge(ctx, duplicate.RefChamber(ref), name); err != nil {
			return duplicate.Review{}, err
		}
	}
	ok, err := d.Queue.Dismiss(ctx, id, m.Reason, d.Now(), m.Write(d.Access.Actor(ctx), "Dismissed"))
	if err != nil {
		return duplicate.Review{}, err
	}
	if r, err = d.Queue.Get(ctx, id); err != nil {
		return duplicate.Review{}, err
	}
	if !ok {
		return duplicate.Review{}, fault.Transition(name, string(r.State), "dismiss")
	}
	return r, nil
}
