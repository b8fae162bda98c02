package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

// DuplicateQueue is the stored review queue of duplicate candidates
// (migration 0010). Triggers mark every changed artisan in
// duplicate_pending; Scan compares the marked records with the records
// sharing their CNIE or birth date and rewrites their pairs.
type DuplicateQueue struct {
	DB  *store.DB
	Now func() time.Time
	// Event renders a pair as its outbox event's message (the public
	// DuplicateCandidate); set by the composition root. nil stores the JSON.
	Event func(duplicate.Review) proto.Message
}

var _ app.DuplicateQueue = DuplicateQueue{}

// scanBatch is how many marked records one pass compares: large enough
// that the passes are not the cost.
const scanBatch = 200

// scanWrites bounds the statements of one of the scan's write transactions
// on SQLite (a record's pairs are never split), so an import's batches and
// the creates interleave with a scan instead of waiting for all of it.
const scanWrites = 500

// Scan compares up to limit marked records (a batch more at most) and
// returns how many it took.
func (q DuplicateQueue) Scan(ctx context.Context, limit int) (int, error) {
	done := 0
	for done < limit {
		n, err := q.scanBatch(ctx)
		if err != nil {
			return done, fmt.Errorf("scan duplicate candidates: %w", err)
		}
		if n == 0 {
			break
		}
		done += n
	}
	return done, nil
}

type pendingRecord struct {
	chamber, id string
	seq         int64
}

// rescored is what a scan writes for one marked record: the statements
// that rewrite its pairs.
type rescored struct {
	p     pendingRecord
	stmts []scanStmt
}

type scanStmt struct {
	q    string
	args []any
}

func (q DuplicateQueue) scanBatch(ctx context.Context) (int, error) {
	// Most lists find nothing to scan: a read says so without taking
	// SQLite's single writer.
	var marked int
	err := q.DB.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM duplicate_pending LIMIT 1) AS m").Scan(&marked)
	if err != nil || marked == 0 {
		return 0, err
	}
	if q.DB.Dialect == store.Postgres {
		// One transaction: replicas scanning at once take different
		// records (SKIP LOCKED), and PostgreSQL's writers do not wait for
		// one another's unrelated rows.
		var n int
		err = q.DB.Tx(ctx, func(tx *sql.Tx) error {
			batch, err := q.marked(ctx, tx, " FOR UPDATE SKIP LOCKED")
			if err != nil {
				return err
			}
			rs, err := q.rescoreAll(ctx, tx, batch)
			if err != nil {
				return err
			}
			n = len(batch)
			return q.write(ctx, tx, rs, false)
		})
		return n, err
	}
	// SQLite has one writer, and comparing a batch takes long (hundreds of
	// records of one birth date each): the comparison reads on the read
	// pool, holding nothing, and only the rewritten pairs take the writer,
	// in short transactions. A record changed meanwhile is marked again
	// with a later seq: write skips it and the next pass compares it anew.
	// Scans of one process do not overlap (app.DuplicateReview), so a pair
	// written from an earlier read is rewritten by the scan of whichever
	// of its records changed.
	batch, err := q.marked(ctx, q.DB.SQL, "")
	if err != nil {
		return 0, err
	}
	rs, err := q.rescoreAll(ctx, q.DB.SQL, batch)
	if err != nil {
		return 0, err
	}
	for len(rs) > 0 {
		n, stmts := 0, 0
		for n < len(rs) && (n == 0 || stmts+len(rs[n].stmts) <= scanWrites) {
			stmts += len(rs[n].stmts) + 2
			n++
		}
		part := rs[:n]
		rs = rs[n:]
		if err := q.DB.Tx(ctx, func(tx *sql.Tx) error { return q.write(ctx, tx, part, true) }); err != nil {
			return 0, err
		}
	}
	return len(batch), nil
}

// marked reads the next batch of marked records.
func (q DuplicateQueue) marked(ctx context.Context, r store.Reader, lock string) ([]pendingRecord, error) {
	rows, err := r.QueryContext(ctx, q.DB.Rebind("SELECT chamber, id, seq FROM duplicate_pending ORDER BY chamber, id LIMIT ?"+lock), scanBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var batch []pendingRecord
	for rows.Next() {
		var p pendingRecord
		if err := rows.Scan(&p.chamber, &p.id, &p.seq); err != nil {
			return nil, err
		}
		batch = append(batch, p)
	}
	return batch, rows.Err()
}

// rescoreAll compares every record of batch, reading through r: the
// scan's transaction on PostgreSQL, the read pool on SQLite.
func (q DuplicateQueue) rescoreAll(ctx context.Context, r store.Reader, batch []pendingRecord) ([]rescored, error) {
	now := q.Now().UnixMicro()
	people := personCache{}
	out := make([]rescored, 0, len(batch))
	for _, p := range batch {
		stmts, err := q.rescore(ctx, r, p, now, people)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", p.chamber, p.id, err)
		}
		out = append(out, rescored{p: p, stmts: stmts})
	}
	return out, nil
}

// write runs the rescored records' statements and unmarks them. With
// check, a record marked again since it was read (a later seq) is left for
// the next pass, unwritten.
func (q DuplicateQueue) write(ctx context.Context, tx *sql.Tx, rs []rescored, check bool) error {
	for _, r := range rs {
		p := r.p
		if check {
			var seq int64
			err := tx.QueryRowContext(ctx, q.DB.Rebind("SELECT seq FROM duplicate_pending WHERE chamber = ? AND id = ?"), p.chamber, p.id).Scan(&seq)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && seq != p.seq) {
				continue
			}
			if err != nil {
				return err
			}
		}
		for _, st := range r.stmts {
			if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
				return fmt.Errorf("%s/%s: %w", p.chamber, p.id, err)
			}
		}
		// Unmarked only if not changed again meanwhile: a later change
		// has a higher seq and stays for the next scan.
		if _, err := tx.ExecContext(ctx, q.DB.Rebind("DELETE FROM duplicate_pending WHERE chamber = ? AND id = ? AND seq = ?"), p.chamber, p.id, p.seq); err != nil {
			return err
		}
	}
	return nil
}

// personCache keeps the records a batch decoded, by reference and stored
// bytes: the records of one birth date are read again for each of them.
type personCache map[string]cachedPerson

type cachedPerson struct {
	version int64
	data    string
	p       duplicate.Person
}

func (c personCache) person(chamber, id string, version int64, data []byte) (duplicate.Person, error) {
	key := chamber + "/" + id
	if e, ok := c[key]; ok && e.version == version && e.data == string(data) {
		return e.p, nil
	}
	p, err := person(chamber, id, version, data)
	if err != nil {
		return p, err
	}
	c[key] = cachedPerson{version: version, data: string(data), p: p}
	return p, nil
}

// storedPair is what rescore reads of a record's existing pairs.
type storedPair struct {
	a, b        string
	state       duplicate.State
	fingerprint string
}

// rescore returns the statements that rewrite the pairs of one record: a deleted record loses them, a
// merged one marks them MERGED, any other gets its current candidates
// (new pairs OPEN; a pair whose records' identity changed reopens; a
// dismissed pair whose identity did not change stays dismissed) and loses
// the pairs that no longer match.
func (q DuplicateQueue) rescore(ctx context.Context, tx store.Reader, p pendingRecord, now int64, people personCache) ([]scanStmt, error) {
	var out []scanStmt
	exec := func(query string, args ...any) { out = append(out, scanStmt{q.DB.Rebind(query), args}) }
	ref := resource.Name{Chamber: p.chamber, Collection: artisan.Collection, ID: p.id}.String()
	var (
		state   string
		data    []byte
		version int64
	)
	err := tx.QueryRowContext(ctx, q.DB.Rebind("SELECT state, data, data_version FROM artisans WHERE chamber = ? AND id = ?"), p.chamber, p.id).Scan(&state, &data, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		exec("DELETE FROM duplicate_candidates WHERE id IN ("+pairsOfRef+")", ref, ref)
		return out, nil
	case err != nil:
		return nil, err
	case artisan.State(state) == artisan.Merged:
		exec("UPDATE duplicate_candidates SET state = ?, update_time = ? WHERE id IN ("+pairsOfRef+") AND state <> ?",
			duplicate.Merged, now, ref, ref, duplicate.Merged)
		return out, nil
	}
	self, err := people.person(p.chamber, p.id, version, data)
	if err != nil {
		return nil, err
	}
	others, err := q.alike(ctx, tx, self, people)
	if err != nil {
		return nil, err
	}
	f := duplicate.NewFinder()
	byRef := make(map[string]duplicate.Person, len(others))
	for _, o := range others {
		f.Add(o)
		byRef[o.Ref] = o
	}
	existing, err := q.pairsOf(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	for _, c := range f.Find(self) {
		a, b := ref, c.Ref
		if b < a {
			a, b = b, a
		}
		id, fp := duplicate.PairID(a, b), duplicate.Fingerprint(self, byRef[c.Ref])
		old, seen := existing[id]
		delete(existing, id)
		switch {
		case !seen:
			// ON CONFLICT: the other record's scan, on another replica, may
			// have found the pair at the same time.
			ca, cb := duplicate.RefChamber(a), duplicate.RefChamber(b)
			chamber := ca
			if ca != cb {
				chamber = ""
			}
			exec(`INSERT INTO duplicate_candidates
				(id, name_chamber, chamber, artisan, other_artisan, score, reasons, state, fingerprint, create_time, update_time)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				id, ca, chamber, a, b, c.Score, joinReasons(c.Reasons), duplicate.Open, fp, now, now)
		case old.state == duplicate.Merged || old.fingerprint == fp:
			continue // unchanged, or settled by a merge
		default:
			exec(`UPDATE duplicate_candidates SET score = ?, reasons = ?, state = ?, fingerprint = ?,
				dismissed_by = '', dismiss_reason = '', dismiss_time = 0, update_time = ? WHERE id = ?`,
				c.Score, joinReasons(c.Reasons), duplicate.Open, fp, now, id)
		}
	}
	// The pairs that no longer match: settled if the other record was
	// merged (whichever of the two the scan reaches first), else gone.
	for id, old := range existing {
		if old.state == duplicate.Merged {
			continue // kept as the record of what the merge settled
		}
		other := old.a
		if other == ref {
			other = old.b
		}
		var otherState string
		n, err := resource.ParseName(other, artisan.Collection, "other_artisan")
		if err != nil {
			return nil, err
		}
		err = tx.QueryRowContext(ctx, q.DB.Rebind("SELECT state FROM artisans WHERE chamber = ? AND id = ?"), n.Chamber, n.ID).Scan(&otherState)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if artisan.State(otherState) == artisan.Merged {
			exec("UPDATE duplicate_candidates SET state = ?, update_time = ? WHERE id = ?", duplicate.Merged, now, id)
		} else {
			exec("DELETE FROM duplicate_candidates WHERE id = ?", id)
		}
	}
	return out, nil
}

// birthDateExpr is the indexed expression of migration 0010.
func (q DuplicateQueue) birthDateExpr() string {
	if q.DB.Dialect == store.Postgres {
		return "data->>'birth_date'"
	}
	return "json_extract(data, '$.birth_date')"
}

// sameBirthDateBound is how many records of one birth date a record is
// compared with.
const sameBirthDateBound = 500

// alike reads the records other than self that share its CNIE (the live
// holder, struck-off records) or its birth date, merged ones aside: the
// only ones duplicate.Finder can pair with it. One branch per index (an OR
// would scan the register).
func (q DuplicateQueue) alike(ctx context.Context, tx store.Reader, self duplicate.Person, people personCache) ([]duplicate.Person, error) {
	var (
		branches []string
		args     []any
	)
	const sel = "SELECT chamber, id, data, data_version FROM artisans WHERE "
	if self.CNIE != "" {
		branches = append(branches,
			sel+"cnie = ? AND state NOT IN ("+store.Lit(artisan.StruckOff)+", "+store.Lit(artisan.Merged)+")",
			sel+"cnie = ? AND state = "+store.Lit(artisan.StruckOff))
		args = append(args, self.CNIE, self.CNIE)
	}
	if self.BirthDate != "" {
		// Bounded: a birth date a register holds thousands of times (a
		// placeholder such as 1 January, or a generated file) would make
		// every scan of that date compare each record with all the others,
		// and on SQLite hold the single writer while it does. Past the bound
		// such a date pairs only by CNIE and with its first records.
		branches = append(branches, "SELECT * FROM ("+sel+q.birthDateExpr()+" = ? AND state <> "+store.Lit(artisan.Merged)+
			" ORDER BY id LIMIT "+strconv.Itoa(sameBirthDateBound)+") AS same_birth_date")
		args = append(args, self.BirthDate)
	}
	if len(branches) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, q.DB.Rebind(strings.Join(branches, " UNION ")), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []duplicate.Person
	for rows.Next() {
		var (
			ch, id  string
			data    []byte
			version int64
		)
		if err := rows.Scan(&ch, &id, &data, &version); err != nil {
			return nil, err
		}
		p, err := people.person(ch, id, version, data)
		if err != nil {
			return nil, err
		}
		if p.Ref != self.Ref {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// pairsOfRef selects the ids of ref's pairs from either side, one branch
// per index.
const pairsOfRef = "SELECT id FROM duplicate_candidates WHERE artisan = ? UNION ALL SELECT id FROM duplicate_candidates WHERE other_artisan = ?"

func (q DuplicateQueue) pairsOf(ctx context.Context, tx store.Reader, ref string) (map[string]storedPair, error) {
	rows, err := tx.QueryContext(ctx, q.DB.Rebind("SELECT id, artisan, other_artisan, state, fingerprint FROM duplicate_candidates WHERE id IN ("+pairsOfRef+")"), ref, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]storedPair{}
	for rows.Next() {
		var (
			id string
			p  storedPair
		)
		if err := rows.Scan(&id, &p.a, &p.b, &p.state, &p.fingerprint); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}

// person decodes what duplicate detection reads of an artisan record.
// person reads a stored artisan through its versioned record, so every
// stored version compares the same.
func person(chamber, id string, version int64, data []byte) (duplicate.Person, error) {
	var a artisan.Artisan
	if err := artisanRecord.Decode(version, data, &a); err != nil {
		return duplicate.Person{}, fmt.Errorf("artisan %s/%s: %w", chamber, id, err)
	}
	return duplicate.Person{
		Ref: resource.Name{Chamber: chamber, Collection: artisan.Collection, ID: id}.String(), CNIE: a.CNIE, BirthDate: string(a.BirthDate),
		GivenAR: a.GivenNameAR, FamilyAR: a.FamilyNameAR, GivenLatin: a.GivenNameLatin, FamilyLatin: a.FamilyNameLatin,
	}, nil
}

func joinReasons(rs []duplicate.Reason) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

const reviewColumns = "id, name_chamber, chamber, artisan, other_artisan, score, reasons, state, dismissed_by, dismiss_reason, dismiss_time, create_time, update_time"

func scanReview(s interface{ Scan(...any) error }) (duplicate.Review, error) {
	var (
		r                     duplicate.Review
		reasons               string
		dismissed, created, u int64
	)
	err := s.Scan(&r.ID, &r.NameChamber, &r.Chamber, &r.Pair.A, &r.Pair.B, &r.Pair.Score, &reasons, &r.State,
		&r.DismissedBy, &r.DismissReason, &dismissed, &created, &u)
	if err != nil {
		return r, err
	}
	for _, x := range strings.Split(reasons, ",") {
		if x != "" {
			r.Pair.Reasons = append(r.Pair.Reasons, duplicate.Reason(x))
		}
	}
	if dismissed != 0 {
		r.DismissTime = time.UnixMicro(dismissed).UTC()
	}
	r.CreateTime, r.UpdateTime = time.UnixMicro(created).UTC(), time.UnixMicro(u).UTC()
	return r, nil
}

// List returns a page of pairs in list order (score descending, then id),
// after q.After when set, with one more than q.Size when there are more.
func (q DuplicateQueue) List(ctx context.Context, l app.DuplicateQuery) ([]duplicate.Review, error) {
	where, args := []string{"state = ?"}, []any{l.State}
	if l.Chamber != resource.Wildcard {
		where, args = append(where, "chamber = ?"), append(args, l.Chamber)
	}
	if l.MinScore > 0 {
		where, args = append(where, "score >= ?"), append(args, l.MinScore)
	}
	if l.After != nil {
		where, args = append(where, "(score < ? OR (score = ? AND id > ?))"), append(args, l.After.Score, l.After.Score, l.After.ID)
	}
	rows, err := q.DB.SQL.QueryContext(ctx, q.DB.Rebind("SELECT "+reviewColumns+" FROM duplicate_candidates WHERE "+
		strings.Join(where, " AND ")+" ORDER BY score DESC, id LIMIT ?"), append(args, l.Size+1)...)
	if err != nil {
		return nil, fmt.Errorf("list duplicate candidates: %w", err)
	}
	defer rows.Close()
	var out []duplicate.Review
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, fmt.Errorf("list duplicate candidates: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Get reads one pair; fault.NotFoundError when there is none.
func (q DuplicateQueue) Get(ctx context.Context, id string) (duplicate.Review, error) {
	r, err := scanReview(q.DB.SQL.QueryRowContext(ctx, q.DB.Rebind("SELECT "+reviewColumns+" FROM duplicate_candidates WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fault.NotFound(duplicate.Collection + "/" + id)
	}
	if err != nil {
		return r, fmt.Errorf("get duplicate candidate: %w", err)
	}
	return r, nil
}

// Dismiss moves an OPEN pair to DISMISSED with who (w's actor) and why,
// writing its DuplicateCandidateDismissed event and audit record in the
// same transaction; it reports false, writing nothing, when the pair is no
// longer OPEN (a concurrent dismissal or merge).
func (q DuplicateQueue) Dismiss(ctx context.Context, id, reason string, at time.Time, w change.Write) (bool, error) {
	done := false
	err := q.DB.Tx(ctx, func(tx *sql.Tx) error {
		get := q.DB.Rebind("SELECT " + reviewColumns + " FROM duplicate_candidates WHERE id = ?")
		before, err := scanReview(tx.QueryRowContext(ctx, get, id))
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, q.DB.Rebind(`UPDATE duplicate_candidates SET state = ?, dismissed_by = ?, dismiss_reason = ?,
			dismiss_time = ?, update_time = ? WHERE id = ? AND state = ?`),
			duplicate.Dismissed, w.Actor.Subject, reason, at.UnixMicro(), at.UnixMicro(), id, duplicate.Open)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return err
		}
		after, err := scanReview(tx.QueryRowContext(ctx, get, id))
		if err != nil {
			return err
		}
		c, err := q.change(after, before, w)
		if err != nil {
			return err
		}
		done = true
		return q.DB.RecordChange(ctx, tx, c)
	})
	if err != nil {
		return false, fmt.Errorf("dismiss duplicate candidate: %w", err)
	}
	return done, nil
}

// change is the outbox event and audit record of the move of a pair from
// before to after.
func (q DuplicateQueue) change(after, before duplicate.Review, w change.Write) (store.Change, error) {
	b, err := json.Marshal(before)
	if err != nil {
		return store.Change{}, err
	}
	a, err := json.Marshal(after)
	if err != nil {
		return store.Change{}, err
	}
	c := store.Change{Name: after.Name(), Chamber: after.NameChamber, Time: after.UpdateTime,
		Type: EventType + "DuplicateCandidate" + w.Action, Source: Source, Data: a, Write: w, Before: b, After: a}
	if q.Event != nil {
		if c.Data, err = proto.Marshal(q.Event(after)); err != nil {
			return store.Change{}, fmt.Errorf("encode event: %w", err)
		}
		c.DataType = EventType + "DuplicateCandidate"
	}
	return c, nil
}
