package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// Imports keeps import operations and mappings.
type Imports struct {
	db       *store.DB
	artisans *Artisans
	now      func() time.Time
	// RowPath turns the PostgreSQL COPY path off, so imports take the row
	// path of SQLite (tests compare the two on the same file).
	RowPath bool
}

var _ bulkimport.Store = (*Imports)(nil)

// NewImports returns the import store; artisans explains held CNIEs.
func NewImports(db *store.DB, artisans *Artisans) *Imports {
	return &Imports{db: db, artisans: artisans, now: func() time.Time { return time.Now().UTC() }}
}

// CreateOperation stores a new RUNNING operation with its file. The file
// has a table of its own (migration 0025): SQLite writes a row anew on each
// UPDATE, and each progress save would otherwise read and compare the
// whole file.
func (s *Imports) CreateOperation(ctx context.Context, o *bulkimport.Operation) error {
	now := s.now().Truncate(time.Microsecond)
	o.CreateTime, o.UpdateTime = now, now
	actor, err := json.Marshal(o.Actor)
	if err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO import_operations (chamber, id, kind, dry_run, encoding, state,
			total, rows_read, accepted, rejected, problems, error, actor, method, attempts, create_time, update_time, file_name, row_id_width)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, '[]', '', ?, ?, ?, ?, ?, ?, ?)`),
			o.Chamber, o.ID, o.Kind, boolInt(o.DryRun), o.Encoding, o.State, o.Summary.Total, string(actor), o.Method, o.Attempts,
			store.Micros(now), store.Micros(now), o.FileName, o.RowIDWidth); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO import_files (chamber, id, file) VALUES (?, ?, ?)`), o.Chamber, o.ID, fileBytes(o.File))
		return err
	})
	return wrapf("create import operation", err)
}

// fileBytes is file, never nil: the column is NOT NULL, and an empty upload
// is refused before an operation is created anyway.
func fileBytes(file []byte) []byte {
	if file == nil {
		return []byte{}
	}
	return file
}

// SaveProgress writes the counts; a finished operation also writes its
// report and drops its file (a running one is re-run from its file, so its
// partial report need not be kept). The file is in import_files, so a save
// writes only the operation's small row.
func (s *Imports) SaveProgress(ctx context.Context, o *bulkimport.Operation) error {
	o.UpdateTime = s.now().Truncate(time.Microsecond)
	q := `UPDATE import_operations SET state = ?, rows_read = ?, accepted = ?, rejected = ?, error = ?, update_time = ?`
	args := []any{o.State, o.Summary.Read, o.Summary.Accepted, o.Summary.Rejected, o.Error, store.Micros(o.UpdateTime)}
	if !o.Done() {
		_, err := s.db.Exec(ctx, s.db.Rebind(q+` WHERE chamber = ? AND id = ?`), append(args, o.Chamber, o.ID)...)
		return wrapf("save import progress", err)
	}
	problems := o.Problems
	if problems == nil {
		problems = []bulkimport.Problem{}
	}
	p, err := json.Marshal(problems)
	if err != nil {
		return err
	}
	done := o.UpdateTime
	if o.DoneTime != nil {
		done = *o.DoneTime
	}
	q += `, problems = ?, done_time = ?`
	args = append(args, string(p), store.Micros(done), o.Chamber, o.ID)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.Rebind(q+` WHERE chamber = ? AND id = ?`), args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM import_files WHERE chamber = ? AND id = ?`), o.Chamber, o.ID)
		return err
	})
	return wrapf("save import progress", err)
}

// opColumns are an operation's columns; its file is read apart (Unfinished),
// only to run it again.
const opColumns = `chamber, id, kind, dry_run, encoding, state, total, rows_read, accepted, rejected, problems, error, actor, method, attempts, create_time, update_time, done_time, file_name, row_id_width`

// historyColumns are opColumns without the report, which a page of the
// history does not show.
var historyColumns = strings.Replace(opColumns, "problems,", "'[]',", 1)

func scanOperation(row interface{ Scan(...any) error }) (*bulkimport.Operation, error) {
	o := &bulkimport.Operation{}
	var dry, ct, ut int64
	var done sql.NullInt64
	var problems, actor string
	if err := row.Scan(&o.Chamber, &o.ID, &o.Kind, &dry, &o.Encoding, &o.State, &o.Summary.Total, &o.Summary.Read,
		&o.Summary.Accepted, &o.Summary.Rejected, &problems, &o.Error, &actor, &o.Method, &o.Attempts, &ct, &ut, &done, &o.FileName, &o.RowIDWidth); err != nil {
		return nil, err
	}
	o.DryRun, o.CreateTime, o.UpdateTime = dry != 0, store.FromMicros(ct), store.FromMicros(ut)
	if done.Valid {
		t := store.FromMicros(done.Int64)
		o.DoneTime = &t
	}
	if err := json.Unmarshal([]byte(problems), &o.Problems); err != nil {
		return nil, err
	}
	var a change.Actor
	if err := json.Unmarshal([]byte(actor), &a); err != nil {
		return nil, err
	}
	o.Actor = a
	return o, nil
}

// GetOperation reads one operation, without its file.
func (s *Imports) GetOperation(ctx context.Context, n resource.Name) (*bulkimport.Operation, error) {
	o, err := scanOperation(s.db.SQL.QueryRowContext(ctx, s.db.Rebind(`SELECT `+opColumns+` FROM import_operations WHERE chamber = ? AND id = ?`), n.Chamber, n.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.NotFound(n.String())
	}
	return o, wrapf("get import operation", err)
}

// historyToken is the position after the last operation of a page, bound
// to the chamber listed.
type historyToken struct {
	Parent  string `json:"p"`
	Time    int64  `json:"t"`
	Chamber string `json:"c"`
	ID      string `json:"i"`
}

// ListOperations returns a page of chamber's operations (every chamber's
// for resource.Wildcard), newest first, without their files and reports.
func (s *Imports) ListOperations(ctx context.Context, chamber string, size int, token string) ([]*bulkimport.Operation, string, error) {
	switch {
	case size < 0:
		return nil, "", fault.Invalid("page_size", fault.RulePageSize, "must not be negative, got %d", size)
	case size == 0:
		size = store.DefaultPageSize
	case size > store.MaxPageSize:
		size = store.MaxPageSize
	}
	var where []string
	var args []any
	if chamber != resource.Wildcard {
		where, args = append(where, "chamber = ?"), append(args, chamber)
	}
	if token != "" {
		var tok historyToken
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err == nil {
			err = json.Unmarshal(b, &tok)
		}
		if err != nil || tok.Parent != chamber {
			return nil, "", fault.Invalid("page_token", fault.RulePageToken, "page token is not valid for this query")
		}
		if chamber != resource.Wildcard {
			where, args = append(where, "(create_time < ? OR (create_time = ? AND id < ?))"), append(args, tok.Time, tok.Time, tok.ID)
		} else {
			where = append(where, "(create_time < ? OR (create_time = ? AND (chamber < ? OR (chamber = ? AND id < ?))))")
			args = append(args, tok.Time, tok.Time, tok.Chamber, tok.Chamber, tok.ID)
		}
	}
	q := `SELECT ` + historyColumns + ` FROM import_operations`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY create_time DESC, chamber DESC, id DESC LIMIT %d", size+1)
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return nil, "", wrapf("list import operations", err)
	}
	defer rows.Close()
	var out []*bulkimport.Operation
	next := ""
	for rows.Next() {
		o, err := scanOperation(rows)
		if err != nil {
			return nil, "", wrapf("list import operations", err)
		}
		if len(out) == size {
			last := out[size-1]
			b, _ := json.Marshal(historyToken{Parent: chamber, Time: store.Micros(last.CreateTime), Chamber: last.Chamber, ID: last.ID}) // strings and a number: cannot fail
			next = base64.RawURLEncoding.EncodeToString(b)
			break
		}
		out = append(out, o)
	}
	return out, next, wrapf("list import operations", rows.Err())
}

// Unfinished returns the RUNNING operations, counting one more attempt.
func (s *Imports) Unfinished(ctx context.Context) ([]*bulkimport.Operation, error) {
	var out []*bulkimport.Operation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.db.Rebind(`SELECT `+opColumns+` FROM import_operations WHERE state = ?`), bulkimport.Running)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOperation(rows)
			if err != nil {
				return err
			}
			out = append(out, o)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, o := range out {
			if err := tx.QueryRowContext(ctx, s.db.Rebind(`SELECT file FROM import_files WHERE chamber = ? AND id = ?`), o.Chamber, o.ID).Scan(&o.File); err != nil {
				return fmt.Errorf("the file of %s: %w", o.Name(), err)
			}
			o.Attempts++
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`UPDATE import_operations SET attempts = ? WHERE chamber = ? AND id = ?`), o.Attempts, o.Chamber, o.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, wrapf("unfinished imports", err)
}

// GetMapping returns the saved mapping, or nil.
func (s *Imports) GetMapping(ctx context.Context, chamber, kind string) (*bulkimport.Mapping, error) {
	var headers string
	var ut int64
	err := s.db.SQL.QueryRowContext(ctx, s.db.Rebind(`SELECT headers, update_time FROM import_mappings WHERE chamber = ? AND kind = ?`), chamber, kind).Scan(&headers, &ut)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrapf("get import mapping", err)
	}
	m := &bulkimport.Mapping{Kind: kind}
	m.Chamber, m.UpdateTime = chamber, store.FromMicros(ut)
	return m, json.Unmarshal([]byte(headers), &m.Headers)
}

// PutMapping saves (creates or replaces) a mapping.
func (s *Imports) PutMapping(ctx context.Context, m *bulkimport.Mapping) error {
	h, err := json.Marshal(m.Headers)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, s.db.Rebind(`INSERT INTO import_mappings (chamber, kind, headers, update_time) VALUES (?, ?, ?, ?)
		ON CONFLICT (chamber, kind) DO UPDATE SET headers = excluded.headers, update_time = excluded.update_time`),
		m.Chamber, m.Kind, string(h), store.Micros(m.UpdateTime))
	return wrapf("put import mapping", err)
}

// CheckCNIE answers as Create would for a CNIE a live artisan holds.
func (s *Imports) CheckCNIE(ctx context.Context, writer, cnie string) error {
	var one int
	err := s.db.SQL.QueryRowContext(ctx, s.db.Rebind("SELECT 1 FROM artisans WHERE cnie = ? AND "+liveCNIE), cnie).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return wrapf("check CNIE", err)
	}
	return s.artisans.duplicateCNIE(ctx, writer, cnie, errors.New("held"))
}

// HeldCNIEs returns those of cnies a live artisan holds.
func (s *Imports) HeldCNIEs(ctx context.Context, cnies []string) (map[string]bool, error) {
	return s.inSet(ctx, "SELECT cnie FROM artisans WHERE "+liveCNIE+" AND cnie IN ", nil, cnies)
}

// registerTables are the tables of the kinds ExistingRecords answers for.
var registerTables = map[string]string{
	bulkimport.Artisans: "artisans", bulkimport.Cooperatives: "cooperatives", bulkimport.Associations: "associations", bulkimport.Enterprises: "enterprises",
}

// ExistingRecords returns those of ids stored in chamber's register of kind.
func (s *Imports) ExistingRecords(ctx context.Context, kind, chamber string, ids []string) (map[string]bool, error) {
	table, ok := registerTables[kind]
	if !ok {
		return nil, fmt.Errorf("no register of kind %q", kind)
	}
	out := map[string]bool{}
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)] // within SQLite's bound parameters
		ids = ids[len(part):]
		got, err := s.inSet(ctx, "SELECT id FROM "+table+" WHERE chamber = ? AND id IN ", []any{chamber}, part)
		if err != nil {
			return nil, err
		}
		for id := range got {
			out[id] = true
		}
	}
	return out, nil
}

// CheckICE answers as an enterprise's Create would for an ICE a live
// enterprise holds.
func (s *Imports) CheckICE(ctx context.Context, ice string) error {
	var one int
	err := s.db.SQL.QueryRowContext(ctx, s.db.Rebind("SELECT 1 FROM enterprises WHERE ice = ? AND state <> "+store.Lit(enterprise.Closed)), ice).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return wrapf("check ICE", err)
	}
	return iceTaken(&enterprise.Enterprise{ICE: ice})
}

// ArtisanByCNIE returns the name of the live artisan holding cnie, or
// NotFound.
func (s *Imports) ArtisanByCNIE(ctx context.Context, cnie string) (resource.Name, error) {
	n := resource.Name{Collection: artisan.Collection}
	err := s.db.SQL.QueryRowContext(ctx, s.db.Rebind("SELECT chamber, id FROM artisans WHERE cnie = ? AND "+liveCNIE), cnie).Scan(&n.Chamber, &n.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return n, fault.NotFound("CNIE " + cnie)
	}
	return n, wrapf("artisan by CNIE", err)
}

func (s *Imports) inSet(ctx context.Context, query string, args []any, values []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(values) == 0 {
		return out, nil
	}
	for _, v := range values {
		args = append(args, v)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(query+"("+strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ")+")"), args...)
	if err != nil {
		return nil, wrapf("import look-up", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, wrapf("import look-up", rows.Err())
}

// CreateArtisans stores artisans in one transaction with their events and
// audit records; a held CNIE fails the batch as AlreadyExists.
func (s *Imports) CreateArtisans(ctx context.Context, as []*artisan.Artisan, w change.Write) error {
	err := s.artisans.Repo.T.CreateMany(ctx, as, w)
	if store.IsUnique(err, "artisans_live_cnie", "artisans.cnie") {
		return &fault.AlreadyExistsError{Reason: artisan.ReasonCNIEAlreadyRegistered, Field: "artisan.cnie", Msg: "a CNIE of the batch is already in a register"}
	}
	return err
}

// CopyArtisans is the PostgreSQL path of a batch (see bulkimport.Store):
// the rows an earlier run of the operation stored (resumed) and those whose
// CNIE a live record holds are found by two set-based statements over the
// batch's keys and set aside, and the rest are copied with their outbox
// events and audit records, in one transaction.
//
// Each statement probes the index once per key of the batch (a LATERAL
// subquery with LIMIT 1, which the planner cannot turn into a join): given
// "= ANY($1)" over 10,000 keys it chose to read the whole register for
// each batch (0.6 s a batch at 100,000 rows, against 0.1 s by the index),
// so an import's cost grew with the square of its size. The unique indexes
// hold at most one row per key, so LIMIT 1 drops nothing.
func (s *Imports) CopyArtisans(ctx context.Context, chamber string, as []*artisan.Artisan, w change.Write, resumed, dryRun bool) (*bulkimport.Copied, error) {
	if !s.Copies() {
		return nil, bulkimport.ErrNoCopy
	}
	out := &bulkimport.Copied{Done: map[string]bool{}, Refused: map[string]error{}}
	check := func(ctx context.Context, c *sql.Conn) (map[int]bool, error) {
		// A batch's CNIEs are distinct: the file's duplicates were refused.
		at, byCNIE := make(map[string]int, len(as)), make(map[string]int, len(as))
		ids, cnies := make([]string, len(as)), make([]string, len(as))
		for i, a := range as {
			at[a.ID], byCNIE[a.CNIE], ids[i], cnies[i] = i, i, a.ID, a.CNIE
		}
		if !dryRun {
			for _, set := range importSettings {
				if _, err := c.ExecContext(ctx, set); err != nil {
					return nil, err
				}
			}
		}
		refused := map[int]bool{}
		if resumed {
			// Before the CNIE check: a row stored by the earlier run holds
			// its own CNIE.
			if err := eachRow(ctx, c, storedRowsQuery, []any{chamber, ids},
				func(scan func(...any) error) error {
					var id string
					err := scan(&id)
					out.Done[id], refused[at[id]] = true, true
					return err
				}); err != nil {
				return nil, err
			}
		}
		err := eachRow(ctx, c, heldCNIEsQuery, []any{cnies},
			func(scan func(...any) error) error {
				var cnie, holder, holderID string
				if err := scan(&cnie, &holder, &holderID); err != nil {
					return err
				}
				if i := byCNIE[cnie]; !out.Done[as[i].ID] {
					out.Refused[as[i].ID], refused[i] = cnieHeld(chamber, holder, holderID), true
				}
				return nil
			})
		return refused, err
	}
	err := s.artisans.Repo.T.CopyMany(ctx, as, w, check, !dryRun)
	if store.IsUnique(err, "artisans_live_cnie", "artisans.cnie") {
		return nil, &fault.AlreadyExistsError{Reason: artisan.ReasonCNIEAlreadyRegistered, Field: "artisan.cnie", Msg: "a CNIE of the batch is already in a register"}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// importSettings are set for each transaction of CopyArtisans that
// writes. The GIN index on the artisans' name trigrams (migration 0008)
// takes most of an import's index time when each row's 20-odd trigrams are
// inserted one by one. Its pending list (fast update) defers them: when the
// list is full, the backend that filled it merges it into the index,
// grouped by trigram, as many rows per descent as work_mem holds; the
// larger both are, the fewer descents per row. Searches read the pending
// entries meanwhile, so the import merges what is left when it is done
// (SettleArtisans).
var importSettings = []string{
	"SET LOCAL gin_pending_list_limit = '64MB'",
	"SET LOCAL work_mem = '64MB'",
}

// SettleArtisans merges the name trigrams an import's batches left in the
// index's pending list (importSettings), through migration 0024's function
// (the merge is the index owner's to run). SQLite has no such list.
func (s *Imports) SettleArtisans(ctx context.Context) error {
	if s.db.Dialect != store.Postgres {
		return nil
	}
	_, err := s.db.SQL.ExecContext(ctx, "SELECT registry_merge_artisan_name_grams()")
	return wrapf("merge the imported names' trigrams", err)
}

// The look-ups of CopyArtisans: the batch's rows already stored ($1 the
// chamber, $2 the ids), and the live holders of its CNIEs ($1).
var (
	storedRowsQuery = `SELECT k.id FROM unnest($2::text[]) AS k(id)
		CROSS JOIN LATERAL (SELECT 1 FROM artisans WHERE chamber = $1 AND id = k.id LIMIT 1) AS a`
	heldCNIEsQuery = `SELECT k.cnie, a.chamber, a.id FROM unnest($1::text[]) AS k(cnie)
		CROSS JOIN LATERAL (SELECT chamber, id FROM artisans WHERE cnie = k.cnie AND ` + liveCNIE + ` LIMIT 1) AS a`
)

// Copies reports whether CopyArtisans is available: on PostgreSQL unless
// RowPath is set.
func (s *Imports) Copies() bool { return s.db.Dialect == store.Postgres && !s.RowPath }

// eachRow runs a query on c and calls fn for every row.
func eachRow(ctx context.Context, c *sql.Conn, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
