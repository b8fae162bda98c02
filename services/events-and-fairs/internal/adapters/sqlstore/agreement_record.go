package sqlstore

import (
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
)

// agreementRecordV1 is what an agreement row's data holds since version 1:
// the stored shape, written out field by field apart from the domain struct
// so that renaming or retyping a field of agreement.Agreement is a compile
// error here, never a silent change of what is stored. Version 1 keeps the
// keys version 0 (the domain struct's own JSON) had, so no row needs
// rewriting; a later change of shape is version 2 (see store.Record).
type agreementRecordV1 struct {
	Title               store.TextV1         `json:"title"`
	Subject             string               `json:"subject,omitempty"`
	Parties             []partyRecordV1      `json:"parties"`
	Commitments         []commitmentRecordV1 `json:"commitments,omitempty"`
	StartDate           string               `json:"start_date,omitempty"`
	EndDate             string               `json:"end_date,omitempty"`
	ApprovingResolution string               `json:"approving_resolution,omitempty"`
	State               string               `json:"state"`
	StateReason         string               `json:"state_reason,omitempty"`
}

type partyRecordV1 struct {
	Name    store.TextV1 `json:"name"`
	Kind    string       `json:"kind"`
	Country string       `json:"country,omitempty"`
}

type commitmentRecordV1 struct {
	Party          int    `json:"party"`
	Description    string `json:"description,omitempty"`
	AmountCentimes int64  `json:"amount_centimes"`
}

// agreementRecord reads versions 0 and 1 and writes version 1.
var agreementRecord = store.RecordV1("agreement",
	func(a *agreement.Agreement) agreementRecordV1 {
		r := agreementRecordV1{Title: store.TextV1(a.Title), Subject: a.Subject, StartDate: string(a.StartDate), EndDate: string(a.EndDate),
			ApprovingResolution: a.ApprovingResolution, State: string(a.State), StateReason: a.StateReason}
		for _, p := range a.Parties {
			r.Parties = append(r.Parties, partyRecordV1{Name: store.TextV1(p.Name), Kind: string(p.Kind), Country: p.Country})
		}
		for _, c := range a.Commitments {
			r.Commitments = append(r.Commitments, commitmentRecordV1(c))
		}
		return r
	},
	func(r agreementRecordV1, a *agreement.Agreement) {
		a.Title, a.Subject, a.StartDate, a.EndDate = l10n.Text(r.Title), r.Subject, resource.Date(r.StartDate), resource.Date(r.EndDate)
		a.ApprovingResolution, a.State, a.StateReason = r.ApprovingResolution, agreement.State(r.State), r.StateReason
		a.Parties, a.Commitments = nil, nil
		for _, p := range r.Parties {
			a.Parties = append(a.Parties, agreement.Party{Name: l10n.Text(p.Name), Kind: agreement.PartyKind(p.Kind), Country: p.Country})
		}
		for _, c := range r.Commitments {
			a.Commitments = append(a.Commitments, agreement.Commitment(c))
		}
	})
