package load

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"google.golang.org/grpc/codes"
)

// Verification is what a check after a run found.
type Verification struct {
	Acked int // acknowledged creates of the run
	// Missing are acknowledged creates that Get no longer finds: lost
	// writes.
	Missing []Ack
	// Listed is how many cooperatives of the run (by request id) a full
	// listing of the chamber shows.
	Listed int
	// Duplicates are request ids recorded more than once, with their count.
	Duplicates map[string]int
	// Mismatched are acknowledged creates whose request id is recorded
	// under another resource name than the one acknowledged.
	Mismatched []Ack
	// Unacknowledged counts records of the run whose create was never
	// acknowledged (the answer was lost, the client gave up): allowed,
	// since the server may apply a request whose answer never arrives.
	Unacknowledged int
}

// OK reports whether every acknowledged create is present exactly once.
func (v Verification) OK() bool {
	return len(v.Missing) == 0 && len(v.Duplicates) == 0 && len(v.Mismatched) == 0
}

func (v Verification) String() string {
	return fmt.Sprintf("acknowledged=%d missing(lost)=%d listed=%d duplicates=%d mismatched=%d unacknowledged-but-present=%d",
		v.Acked, len(v.Missing), v.Listed, len(v.Duplicates), len(v.Mismatched), v.Unacknowledged)
}

// Verify checks rep against the registry: each acknowledged create is read
// back with Get, and the chamber is listed to count the records of each
// request id of the run. Reads retry with retry, so verification can run
// while a service is still settling.
func Verify(ctx context.Context, c Client, parent string, rep *Report, retry Retry) (Verification, error) {
	acks := rep.Acked()
	v := Verification{Acked: len(acks), Duplicates: map[string]int{}}

	missing, err := getAll(ctx, c, acks, retry)
	if err != nil {
		return v, err
	}
	v.Missing = missing

	var listed int
	byID := map[string][]string{}
	_, err = retry.Do(ctx, func(ctx context.Context) error {
		all, err := ListAll(ctx, c, parent, rep.RunID+"-")
		if err != nil {
			return err
		}
		listed = len(all)
		clear(byID)
		for _, co := range all {
			id := RequestIDOf(co)
			byID[id] = append(byID[id], co.GetName())
		}
		return nil
	})
	if err != nil {
		return v, fmt.Errorf("verify: %w", err)
	}
	v.Listed = listed
	ackedName := map[string]string{}
	for _, a := range acks {
		ackedName[a.RequestID] = a.Name
	}
	for id, names := range byID {
		if len(names) > 1 {
			v.Duplicates[id] = len(names)
		}
		want, ok := ackedName[id]
		switch {
		case !ok:
			v.Unacknowledged++
		case len(names) == 1 && names[0] != want:
			v.Mismatched = append(v.Mismatched, Ack{RequestID: id, Name: want})
		}
	}
	sort.Slice(v.Mismatched, func(i, j int) bool { return v.Mismatched[i].RequestID < v.Mismatched[j].RequestID })
	return v, nil
}

// getAll reads every acknowledged cooperative with a few workers and
// returns the ones that are not found.
func getAll(ctx context.Context, c Client, acks []Ack, retry Retry) ([]Ack, error) {
	const workers = 8
	var (
		mu      sync.Mutex
		missing []Ack
		errs    []string
		wg      sync.WaitGroup
	)
	next := make(chan Ack)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range next {
				_, err := retry.Do(ctx, func(ctx context.Context) error {
					_, err := c.GetCooperative(ctx, a.Name)
					return err
				})
				mu.Lock()
				switch {
				case err == nil:
				case IsCode(err, codes.NotFound):
					missing = append(missing, a)
				default:
					errs = append(errs, fmt.Sprintf("%s: %v", a.Name, err))
				}
				mu.Unlock()
			}
		}()
	}
	for _, a := range acks {
		select {
		case next <- a:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if len(errs) > 0 {
		return missing, fmt.Errorf("verify: %d reads failed, first: %s", len(errs), strings.Join(errs[:1], ""))
	}
	if err := ctx.Err(); err != nil {
		return missing, fmt.Errorf("verify: %w", err)
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].RequestID < missing[j].RequestID })
	return missing, nil
}
