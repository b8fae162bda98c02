package sqlstore

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/vitality"
)

// Inventory reads the evidence of the associations and cooperatives: the
// registry's facts, the dated evidence of the desk and the events'
// registrations, and accepted exhibitors at events that have started.
// Three grouped reads, merged in memory: the inventory of a chamber is a
// few thousand rows.
type Inventory struct{ db *store.DB }

var _ vitality.Repository = (*Inventory)(nil)

// NewInventory returns the inventory reader on db.
func NewInventory(db *store.DB) *Inventory { return &Inventory{db: db} }

// Inventory implements vitality.Repository.
func (r *Inventory) Inventory(ctx context.Context, chamber, today string) ([]vitality.Entry, error) {
	where, args := "", []any{}
	if chamber != "" {
		where, args = " AND chamber = ?", []any{chamber}
	}
	rows, err := r.db.SQL.QueryContext(ctx, r.db.Rebind(`SELECT registrant_type, chamber, id, name_ar, name_fr, province, state, state_reason,
			state_actor, state_date, founded_date, definitive_date, receipt_due, assembly_date, bureau_date
		FROM organisation_facts WHERE deleted = 0`+where+` ORDER BY chamber, registrant_type, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	var out []vitality.Entry
	index := map[string]int{}
	for rows.Next() {
		var e vitality.Entry
		if err := rows.Scan(&e.Type, &e.Chamber, &e.ID, &e.DisplayName.AR, &e.DisplayName.FR, &e.Province, &e.State, &e.StateReason,
			&e.StateActor, &e.StateDate, &e.FoundedDate, &e.DefinitiveDate, &e.ReceiptDue, &e.AssemblyDate, &e.BureauDate); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("inventory: %w", err)
		}
		if !vitality.Inventoried(e.Type, e.State) {
			continue
		}
		index[e.Name()] = len(out)
		out = append(out, e)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	// Evidence other services hold.
	eargs := append([]any{today}, args...)
	rows, err = r.db.SQL.QueryContext(ctx, r.db.Rebind(`SELECT registrant, kind, MAX(day) FROM evidence_facts
		WHERE deleted = 0 AND day <> '' AND day <= ?`+where+` GROUP BY registrant, kind`), eargs...)
	if err != nil {
		return nil, fmt.Errorf("inventory evidence: %w", err)
	}
	for rows.Next() {
		var name, kind, day string
		if err := rows.Scan(&name, &kind, &day); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("inventory evidence: %w", err)
		}
		i, ok := index[name]
		if !ok {
			continue
		}
		e := &out[i].Evidence
		switch kind {
		case projection.EvidenceParticipation:
			e.Participation = vitality.Later(e.Participation, day)
			continue
		case projection.EvidenceAssemblyMinutes:
			e.AssemblyDate = vitality.Later(e.AssemblyDate, day)
		case projection.EvidenceDefinitiveReceipt:
			e.DefinitiveFiled = true
		}
		e.DocumentDate = vitality.Later(e.DocumentDate, day)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("inventory evidence: %w", err)
	}
	// Accepted exhibitors at events that have started: the event's first day.
	xwhere, xargs := "", []any{today}
	if chamber != "" {
		xwhere, xargs = " AND x.applicant LIKE ?", append(xargs, "chambers/"+chamber+"/%")
	}
	rows, err = r.db.SQL.QueryContext(ctx, r.db.Rebind(`SELECT x.applicant, MAX(e.start_date) FROM exhibitor_facts x
		JOIN event_facts e ON e.chamber = x.chamber AND e.id = x.event
		WHERE x.deleted = 0 AND e.deleted = 0 AND x.state = 'ACCEPTED' AND e.state <> 'CANCELLED' AND e.start_date <> ''
			AND e.start_date <= ? AND x.applicant_type IN ('ASSOCIATION', 'COOPERATIVE')`+xwhere+` GROUP BY x.applicant`), xargs...)
	if err != nil {
		return nil, fmt.Errorf("inventory exhibitors: %w", err)
	}
	for rows.Next() {
		var name, day string
		if err := rows.Scan(&name, &day); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("inventory exhibitors: %w", err)
		}
		if i, ok := index[name]; ok {
			out[i].Participation = vitality.Later(out[i].Participation, day)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("inventory exhibitors: %w", err)
	}
	return out, rows.Err()
}
