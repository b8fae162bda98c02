package service

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestRequestTypes maintains the national list of request types over gRPC
// on both databases: every role reads the seeded list, only the ministry
// adds, changes and deactivates types (chamber admins and clerks are
// refused), bad types are refused naming the field with nothing written,
// and a request's deadline comes from its type's row — a new type's, a
// changed deadline's — while a deactivated type is refused to new requests.
func TestRequestTypes(t *testing.T) {
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			types := deskv1.NewRequestTypeServiceClient(e.conn)
			rs := deskv1.NewServiceRequestServiceClient(e.conn)
			ministry, admin, clerk := e.as(t, auth.RoleMinistry, ""), e.as(t, auth.RoleChamberAdmin, "fes-meknes"), e.as(t, auth.RoleChamberClerk, "fes-meknes")

			list := must(types.ListRequestTypes(clerk, &deskv1.ListRequestTypesRequest{}))(t)
			if len(list.GetRequestTypes()) != 7 || list.GetRequestTypes()[0].GetName() != "requestTypes/ATTESTATION" ||
				list.GetRequestTypes()[0].GetDeadlineDays() != 7 || !list.GetRequestTypes()[0].GetActive() || list.GetRequestTypes()[0].GetLabel().GetAr() == "" {
				t.Fatalf("seeded list %v", list)
			}
			if c := must(types.GetRequestType(e.as(t, auth.RoleAuditor, "oriental"), &deskv1.GetRequestTypeRequest{Name: "requestTypes/COMPLAINT"}))(t); c.GetDeadlineDays() != 15 {
				t.Fatalf("complaint %v", c)
			}

			licence := &deskv1.RequestType{Label: &typev1.LocalizedText{Ar: "رخصة", Fr: "Licence"}, DeadlineDays: 20}
			typesBefore, outboxBefore := e.rows(t, "request_types"), e.rows(t, "outbox")
			for _, b := range []struct {
				what  string
				ctx   context.Context
				req   *deskv1.CreateRequestTypeRequest
				code  codes.Code
				field string
			}{
				{"chamber admin", admin, &deskv1.CreateRequestTypeRequest{RequestTypeId: "LICENCE", RequestType: licence}, codes.PermissionDenied, ""},
				{"clerk", clerk, &deskv1.CreateRequestTypeRequest{RequestTypeId: "LICENCE", RequestType: licence}, codes.PermissionDenied, ""},
				{"lower-case code", ministry, &deskv1.CreateRequestTypeRequest{RequestTypeId: "licence", RequestType: licence}, codes.InvalidArgument, "request_type.code"},
				{"no French label", ministry, &deskv1.CreateRequestTypeRequest{RequestTypeId: "LICENCE", RequestType: &deskv1.RequestType{
					Label: &typev1.LocalizedText{Ar: "رخصة"}, DeadlineDays: 20}}, codes.InvalidArgument, "request_type.label.fr"},
				{"no deadline", ministry, &deskv1.CreateRequestTypeRequest{RequestTypeId: "LICENCE", RequestType: &deskv1.RequestType{Label: licence.GetLabel()}}, codes.InvalidArgument, "request_type.deadline_days"},
				{"deadline over a year", ministry, &deskv1.CreateRequestTypeRequest{RequestTypeId: "LICENCE", RequestType: &deskv1.RequestType{
					Label: licence.GetLabel(), DeadlineDays: 366}}, codes.InvalidArgument, "request_type.deadline_days"},
				{"existing code", ministry, &deskv1.CreateRequestTypeRequest{RequestTypeId: "COMPLAINT", RequestType: licence}, codes.AlreadyExists, ""},
			} {
				_, err := types.CreateRequestType(b.ctx, b.req)
				wantErr(t, b.what, err, b.code, "")
				if f, _ := violation(err); f != b.field {
					t.Errorf("%s: field %q, want %q", b.what, f, b.field)
				}
			}
			if e.rows(t, "request_types") != typesBefore || e.rows(t, "outbox") != outboxBefore {
				t.Fatal("a refused type wrote something")
			}
			created := must(types.CreateRequestType(ministry, &deskv1.CreateRequestTypeRequest{RequestTypeId: "LICENCE", RequestType: licence}))(t)
			if created.GetName() != "requestTypes/LICENCE" || created.GetDeadlineDays() != 20 || !created.GetActive() {
				t.Fatalf("created %v", created)
			}

			// A request of the new type takes its deadline.
			newRequest := func(code string) (*deskv1.ServiceRequest, error) {
				return rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: &deskv1.ServiceRequest{
					WalkInName: "Ali", RequestType: code, Channel: deskv1.ServiceRequest_IN_PERSON, Subject: "رخصة عرض"}})
			}
			r := must(newRequest("LICENCE"))(t)
			if r.GetRequestType() != "LICENCE" || r.GetType() != deskv1.ServiceRequest_TYPE_UNSPECIFIED || r.GetDeadlineTime().AsTime().Sub(r.GetReceiveTime().AsTime()) != 20*24*time.Hour {
				t.Fatalf("request of a new type %v", r)
			}
			// A changed deadline applies to new requests.
			must(types.UpdateRequestType(ministry, &deskv1.UpdateRequestTypeRequest{RequestType: &deskv1.RequestType{Name: "requestTypes/COMPLAINT", DeadlineDays: 10},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"deadline_days"}}}))(t)
			c := must(rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: &deskv1.ServiceRequest{
				WalkInName: "Ali", Type: deskv1.ServiceRequest_COMPLAINT, Channel: deskv1.ServiceRequest_PHONE, Subject: "شكاية"}}))(t)
			if c.GetRequestType() != "COMPLAINT" || c.GetDeadlineTime().AsTime().Sub(c.GetReceiveTime().AsTime()) != 10*24*time.Hour {
				t.Fatalf("complaint after the change %v", c)
			}
			_, err := types.UpdateRequestType(admin, &deskv1.UpdateRequestTypeRequest{RequestType: &deskv1.RequestType{Name: "requestTypes/COMPLAINT", DeadlineDays: 3}})
			wantErr(t, "an admin changes a type", err, codes.PermissionDenied, "")

			// Deactivated: kept, refused to new requests.
			_, err = types.DeactivateRequestType(ministry, &deskv1.DeactivateRequestTypeRequest{Name: "requestTypes/LICENCE", Etag: `"0"`})
			wantErr(t, "stale etag", err, codes.Aborted, "")
			if d := must(types.DeactivateRequestType(ministry, &deskv1.DeactivateRequestTypeRequest{Name: "requestTypes/LICENCE"}))(t); d.GetActive() {
				t.Fatalf("deactivated %v", d)
			}
			requestsBefore := e.rows(t, "service_requests")
			for code, field := range map[string]string{"LICENCE": "service_request.type", "BRIBE": "service_request.type"} {
				_, err := newRequest(code)
				wantErr(t, "a request of type "+code, err, codes.InvalidArgument, "")
				if f, _ := violation(err); f != field {
					t.Errorf("type %s: field %q", code, f)
				}
			}
			if e.rows(t, "service_requests") != requestsBefore {
				t.Fatal("a refused request was written")
			}
			if got := must(rs.GetServiceRequest(clerk, &deskv1.GetServiceRequestRequest{Name: r.GetName()}))(t); got.GetRequestType() != "LICENCE" {
				t.Fatalf("the request of a deactivated type reads %v", got)
			}
			_, err = types.GetRequestType(clerk, &deskv1.GetRequestTypeRequest{Name: "requestTypes/bad name"})
			wantErr(t, "malformed type name", err, codes.InvalidArgument, "")
			_, err = types.GetRequestType(clerk, &deskv1.GetRequestTypeRequest{Name: "requestTypes/NOTHERE"})
			wantErr(t, "unknown type", err, codes.NotFound, "")
		})
	}
}
