package grpcport

import (
	"github.com/hirfa/hirfa/pkg/protomap"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
)

// ServiceRequestPB renders a request as its public message; the
// composition root also hands it to the repository as the outbox payload,
// so events carry the same contract as clients.
func ServiceRequestPB(r *request.Request) *deskv1.ServiceRequest {
	out := &deskv1.ServiceRequest{
		Name:         r.Name(),
		Requester:    r.Requester,
		WalkInName:   r.WalkInName,
		Type:         deskv1.ServiceRequest_Type(deskv1.ServiceRequest_Type_value[string(r.Type)]),
		Channel:      deskv1.ServiceRequest_Channel(deskv1.ServiceRequest_Channel_value[string(r.Channel)]),
		Subject:      r.Subject,
		ReceiveTime:  protomap.Timestamp(r.ReceiveTime),
		DeadlineTime: protomap.Timestamp(r.Deadline),
		Assignee:     r.Assignee,
		State:        deskv1.ServiceRequest_State(deskv1.ServiceRequest_State_value[string(r.State)]),
		ForwardedTo:  r.ForwardedTo,
		RespondTime:  protomap.Timestamp(r.RespondTime),
		CreateTime:   protomap.Timestamp(r.CreateTime),
		UpdateTime:   protomap.Timestamp(r.UpdateTime),
		Etag:         r.Etag(),
		RequestType:  string(r.Type),
	}
	if r.Answer.AR != "" || r.Answer.FR != "" || r.Answer.EN != "" {
		out.Answer = protomap.Text(r.Answer)
	}
	return out
}

// requestFields copies the writable fields of a new request.
func requestFields(p *deskv1.ServiceRequest) *request.Request {
	r := &request.Request{
		Requester: p.GetRequester(), WalkInName: p.GetWalkInName(), Subject: p.GetSubject(),
	}
	switch {
	case p.GetRequestType() != "":
		r.Type = request.Type(p.GetRequestType())
	case p.GetType() != deskv1.ServiceRequest_TYPE_UNSPECIFIED:
		r.Type = request.Type(p.GetType().String())
	}
	if p.GetChannel() != deskv1.ServiceRequest_CHANNEL_UNSPECIFIED {
		r.Channel = request.Channel(p.GetChannel().String())
	}
	if p.GetReceiveTime() != nil {
		r.ReceiveTime = p.GetReceiveTime().AsTime()
	}
	return r
}

// MediationCasePB renders a case as its public message (and outbox payload).
func MediationCasePB(c *mediation.Case) *deskv1.MediationCase {
	out := &deskv1.MediationCase{
		Name:        c.Name(),
		Subject:     c.Subject,
		Mediator:    c.Mediator,
		State:       deskv1.MediationCase_State(deskv1.MediationCase_State_value[string(c.State)]),
		Outcome:     deskv1.MediationCase_Outcome(deskv1.MediationCase_Outcome_value[string(c.Outcome)]),
		OutcomeText: c.OutcomeText,
		CloseTime:   protomap.Timestamp(c.CloseTime),
		CreateTime:  protomap.Timestamp(c.CreateTime),
		UpdateTime:  protomap.Timestamp(c.UpdateTime),
		Etag:        c.Etag(),
	}
	for _, p := range c.Parties {
		out.Parties = append(out.Parties, &deskv1.MediationParty{Artisan: p.Artisan, DisplayName: p.DisplayName})
	}
	for _, s := range c.Sessions {
		out.Sessions = append(out.Sessions, &deskv1.MediationSession{SessionTime: protomap.Timestamp(s.Time), Notes: s.Notes})
	}
	return out
}

// caseFields copies the writable fields of a new case.
func caseFields(p *deskv1.MediationCase) *mediation.Case {
	c := &mediation.Case{Subject: p.GetSubject(), Mediator: p.GetMediator()}
	for _, pt := range p.GetParties() {
		c.Parties = append(c.Parties, mediation.Party{Artisan: pt.GetArtisan(), DisplayName: pt.GetDisplayName()})
	}
	return c
}

func sessionOf(p *deskv1.MediationSession) mediation.Session {
	s := mediation.Session{Notes: p.GetNotes()}
	if p.GetSessionTime() != nil {
		s.Time = p.GetSessionTime().AsTime()
	}
	return s
}
