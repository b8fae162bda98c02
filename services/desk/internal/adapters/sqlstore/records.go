package sqlstore

import (
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
)

// The records below are what each desk table's data column holds since
// version 1: the stored shape, written out field by field apart from the
// domain structs so that renaming or retyping a domain field is a compile
// error here, never a silent change of what is stored. Version 1 keeps the
// keys version 0 (the domain struct's own JSON) had, so no row needs
// rewriting; a later change of shape is version 2 (see store.Record).

type requestRecordV1 struct {
	Requester   string       `json:"requester,omitempty"`
	WalkInName  string       `json:"walk_in_name,omitempty"`
	Type        string       `json:"type"`
	Channel     string       `json:"channel"`
	Subject     string       `json:"subject"`
	ReceiveTime time.Time    `json:"receive_time"`
	Deadline    time.Time    `json:"deadline_time"`
	Assignee    string       `json:"assignee,omitempty"`
	State       string       `json:"state"`
	Answer      store.TextV1 `json:"answer"`
	ForwardedTo string       `json:"forwarded_to,omitempty"`
	RespondTime time.Time    `json:"respond_time"`
}

var requestRecord = store.RecordV1("service request",
	func(q *request.Request) requestRecordV1 {
		return requestRecordV1{Requester: q.Requester, WalkInName: q.WalkInName, Type: string(q.Type), Channel: string(q.Channel), Subject: q.Subject,
			ReceiveTime: q.ReceiveTime, Deadline: q.Deadline, Assignee: q.Assignee, State: string(q.State), Answer: store.TextV1(q.Answer),
			ForwardedTo: q.ForwardedTo, RespondTime: q.RespondTime}
	},
	func(r requestRecordV1, q *request.Request) {
		q.Requester, q.WalkInName, q.Type, q.Channel, q.Subject = r.Requester, r.WalkInName, request.Type(r.Type), request.Channel(r.Channel), r.Subject
		q.ReceiveTime, q.Deadline, q.Assignee, q.State, q.Answer = r.ReceiveTime, r.Deadline, r.Assignee, request.State(r.State), l10n.Text(r.Answer)
		q.ForwardedTo, q.RespondTime = r.ForwardedTo, r.RespondTime
	})

type partyRecordV1 struct {
	Artisan     string `json:"artisan,omitempty"`
	DisplayName string `json:"display_name,omitempty"`
}

type sessionRecordV1 struct {
	Time  time.Time `json:"time"`
	Notes string    `json:"notes"`
}

type caseRecordV1 struct {
	Subject     string            `json:"subject"`
	Parties     []partyRecordV1   `json:"parties"`
	Mediator    string            `json:"mediator"`
	Sessions    []sessionRecordV1 `json:"sessions,omitempty"`
	State       string            `json:"state"`
	Outcome     string            `json:"outcome,omitempty"`
	OutcomeText string            `json:"outcome_text,omitempty"`
	CloseTime   time.Time         `json:"close_time"`
}

var caseRecord = store.RecordV1("mediation case",
	func(c *mediation.Case) caseRecordV1 {
		return caseRecordV1{Subject: c.Subject, Mediator: c.Mediator, State: string(c.State), Outcome: string(c.Outcome), OutcomeText: c.OutcomeText,
			CloseTime: c.CloseTime,
			Parties:   store.MapSlice(c.Parties, func(p mediation.Party) partyRecordV1 { return partyRecordV1(p) }),
			Sessions:  store.MapSlice(c.Sessions, func(s mediation.Session) sessionRecordV1 { return sessionRecordV1(s) })}
	},
	func(r caseRecordV1, c *mediation.Case) {
		c.Subject, c.Mediator, c.State, c.Outcome = r.Subject, r.Mediator, mediation.State(r.State), mediation.Outcome(r.Outcome)
		c.OutcomeText, c.CloseTime = r.OutcomeText, r.CloseTime
		c.Parties = store.MapSlice(r.Parties, func(p partyRecordV1) mediation.Party { return mediation.Party(p) })
		c.Sessions = store.MapSlice(r.Sessions, func(s sessionRecordV1) mediation.Session { return mediation.Session(s) })
	})

type documentRecordV1 struct {
	Classification string    `json:"classification"`
	Owner          string    `json:"owner"`
	Retention      string    `json:"retention"`
	FileName       string    `json:"file_name,omitempty"`
	MediaType      string    `json:"media_type"`
	Size           int64     `json:"size_bytes"`
	SHA256         string    `json:"sha256"`
	RetainUntil    time.Time `json:"retain_until_time"`
}

var documentRecord = store.RecordV1("document",
	func(d *document.Document) documentRecordV1 {
		return documentRecordV1{Classification: d.Classification, Owner: d.Owner, Retention: string(d.Retention), FileName: d.FileName,
			MediaType: d.MediaType, Size: d.Size, SHA256: d.SHA256, RetainUntil: d.RetainUntil}
	},
	func(r documentRecordV1, d *document.Document) {
		d.Classification, d.Owner, d.Retention, d.FileName = r.Classification, r.Owner, document.Retention(r.Retention), r.FileName
		d.MediaType, d.Size, d.SHA256, d.RetainUntil = r.MediaType, r.Size, r.SHA256, r.RetainUntil
	})

type cardRecordV1 struct {
	Kind          string    `json:"kind"`
	Artisan       string    `json:"artisan"`
	Photo         string    `json:"photo,omitempty"`
	NIA           string    `json:"nia"`
	FullNameAr    string    `json:"full_name_ar"`
	FullNameLatin string    `json:"full_name_latin"`
	Category      string    `json:"category"`
	Activity      string    `json:"activity"`
	ValidFrom     time.Time `json:"valid_from_time"`
	ValidUntil    time.Time `json:"valid_until_time"`
	Code          string    `json:"code"`
	ArtisanState  string    `json:"artisan_state"`
	Issuer        string    `json:"issuer"`
	RevokeTime    time.Time `json:"revoke_time,omitzero"`
	Revoker       string    `json:"revoker,omitempty"`
	RevokeReason  string    `json:"revoke_reason,omitempty"`
}

var cardRecord = store.RecordV1("professional card",
	func(c *card.Card) cardRecordV1 {
		return cardRecordV1{Kind: string(c.Kind), Artisan: c.Artisan, Photo: c.Photo, NIA: c.NIA, FullNameAr: c.FullNameAr,
			FullNameLatin: c.FullNameLatin, Category: c.Category, Activity: c.Activity, ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil,
			Code: c.Code, ArtisanState: c.ArtisanState, Issuer: c.Issuer,
			RevokeTime: c.RevokeTime, Revoker: c.Revoker, RevokeReason: c.RevokeReason}
	},
	func(r cardRecordV1, c *card.Card) {
		c.Kind, c.Artisan, c.Photo, c.NIA, c.FullNameAr, c.FullNameLatin = card.Kind(r.Kind), r.Artisan, r.Photo, r.NIA, r.FullNameAr, r.FullNameLatin
		c.Category, c.Activity, c.ValidFrom, c.ValidUntil = r.Category, r.Activity, r.ValidFrom, r.ValidUntil
		c.Code, c.ArtisanState, c.Issuer = r.Code, r.ArtisanState, r.Issuer
		c.RevokeTime, c.Revoker, c.RevokeReason = r.RevokeTime, r.Revoker, r.RevokeReason
	})
