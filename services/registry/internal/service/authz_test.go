package service

import (
	"context"
	"fmt"
	mathrand "math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

type caller struct {
	name    string
	role    auth.Role
	chamber string
}

var callers = []caller{
	{"fes clerk", auth.RoleChamberClerk, "fes-meknes"},
	{"fes admin", auth.RoleChamberAdmin, "fes-meknes"},
	{"marrakech clerk", auth.RoleChamberClerk, "marrakech-safi"},
	{"fes auditor", auth.RoleAuditor, "fes-meknes"},
	{"ministry", auth.RoleMinistry, ""},
	{"federation", auth.RoleFederation, ""},
	{"odco officer", auth.RoleODCOOfficer, ""},
	{"no token", "", ""},
}

// expected is the documented outcome of a caller on a Fès-Meknès object:
// the policy decides by role, the tenancy guard by chamber.
func expected(a tenancy.Access, c caller, method string) codes.Code {
	switch {
	case a == tenancy.Public:
		return codes.OK
	case c.role == "":
		return codes.Unauthenticated
	case !tenancy.Permits(a, c.role):
		return codes.PermissionDenied
	case a != tenancy.Lookup && !c.role.Chamberless() && c.chamber != "fes-meknes":
		return codes.NotFound // another chamber's objects do not exist for it
	}
	return codes.OK
}

// TestEveryMethodAuthorization walks every method of every registered
// service — from the server's descriptors, so a new RPC cannot escape — with
// tokens of two chambers, national roles, an auditor and no token.
func TestEveryMethodAuthorization(t *testing.T) {
	e := start(t, "")
	info := e.svc.Server.GRPC.GetServiceInfo()
	methods := 0
	for svc, si := range info {
		if strings.HasPrefix(svc, "grpc.") {
			continue
		}
		for _, m := range si.Methods {
			full := "/" + svc + "/" + m.Name
			access, ok := Policy[full]
			if !ok {
				t.Errorf("%s is registered but missing from the access policy", full)
				continue
			}
			methods++
			for _, c := range callers {
				fx := fixtures(t, e)
				req, resp := messages(t, svc, m.Name, fx)
				err := e.conn.Invoke(e.as(t, c.role, c.chamber), full, req, resp)
				got := status.Code(err)
				want := expected(access, c, m.Name)
				denied := got == codes.Unauthenticated || got == codes.PermissionDenied || got == codes.NotFound
				if want == codes.OK {
					if denied {
						t.Errorf("%s as %s: %v, want it allowed", full, c.name, err)
					}
				} else if got != want {
					t.Errorf("%s as %s: %v, want %v", full, c.name, err, want)
				}
			}
		}
	}
	if methods < 40 {
		t.Fatalf("walked %d methods, expected the whole registry API", methods)
	}
}

// fixture holds fresh Fès-Meknès objects in a deletable/transitionable state.
type fixture map[string]string

func fixtures(t *testing.T, e *env) fixture {
	t.Helper()
	ctx := systemContext(context.Background(), auth.RoleChamberClerk, "fes-meknes")
	r := e.svc.App
	a := &artisan.Artisan{GivenNameAR: "س", FamilyNameAR: "ع", GivenNameLatin: "S", FamilyNameLatin: "A",
		CNIE: "Z" + uniqueDigits(), Gender: artisan.Female, BirthDate: uniqueBirthDate(),
		Province: "fes", Activity: "F1.B02.A01", Category: artisan.Experienced, YearsOfPractice: 4}
	art, err := r.CreateArtisan(ctx, "fes-meknes", a, mut())
	if err != nil {
		t.Fatal(err)
	}
	// The same person entered again: an OPEN pair of the duplicate queue.
	twin := *a
	twin.CNIE = "X" + uniqueDigits()
	if _, err := r.CreateArtisan(ctx, "fes-meknes", &twin, mut()); err != nil {
		t.Fatal(err)
	}
	sup := &artisan.Artisan{GivenNameAR: "س", FamilyNameAR: "ع", GivenNameLatin: "S", FamilyNameLatin: "A", CNIE: "Y" + uniqueDigits(),
		Gender: artisan.Male, BirthDate: uniqueBirthDate(), Province: "fes", Activity: "F1.B02.A01", Category: artisan.Experienced, YearsOfPractice: 20}
	sup, err = r.CreateArtisan(ctx, "fes-meknes", sup, mut())
	if err != nil {
		t.Fatal(err)
	}
	if sup, err = r.TransitionArtisan(ctx, resource.Name{Chamber: "fes-meknes", Collection: artisan.Collection, ID: sup.ID}, artisan.Register, mut()); err != nil {
		t.Fatal(err)
	}
	co, err := r.CreateCooperative(ctx, "fes-meknes", &cooperative.Cooperative{DisplayName: l10n.Text{FR: "C"}, Activity: "F1.B02.A01",
		Province: "fes", CapitalCentimes: 100_000, ShareValueCentimes: 10_000, MembersWomen: 5}, mut())
	if err != nil {
		t.Fatal(err)
	}
	as, err := r.CreateAssociation(ctx, "fes-meknes", &association.Association{DisplayName: l10n.Text{FR: "A"}, Object: "O",
		Province: "fes", Category: "OTHER", Receipt: association.Receipt{ProvisionalDate: "2024-01-01"}}, mut())
	if err != nil {
		t.Fatal(err)
	}
	en, err := r.CreateEnterprise(ctx, "fes-meknes", &enterprise.Enterprise{DisplayName: l10n.Text{FR: "E"}, ICE: "1" + digits(resource.NewID() + resource.NewID())[:14],
		Activity: "F1.B02.A01", Province: "fes", SupervisingArtisan: sup.Name()}, mut())
	if err != nil {
		t.Fatal(err)
	}
	op, err := r.StartImport(ctx, app.ImportRequest{Chamber: "fes-meknes", Kind: "artisans", DryRun: true, File: csvOf([][]string{importRow(1)})}, mut())
	if err != nil {
		t.Fatal(err)
	}
	r.WaitImports()
	nr, err := r.CreateNameRequest(ctx, "fes-meknes", &namerequest.Request{Founder: "F", Names: []namerequest.Proposal{{FR: "Coopérative " + uniqueDigits()}}}, mut())
	if err != nil {
		t.Fatal(err)
	}
	return fixture{"NameRequest": nr.Name(), "Artisan": art.Name(), "Cooperative": co.Name(), "Association": as.Name(), "Enterprise": en.Name(),
		"Chamber": "chambers/fes-meknes", "Activity": "activities/F1.B02.A01",
		"ImportOperation": op.Name(), "ImportMapping": "chambers/fes-meknes/importMappings/artisans",
		"DuplicateCandidate": "chambers/fes-meknes/duplicateCandidates/" + duplicate.PairID(art.Name(), twin.Name())}
}

// cnieSeq makes the fixtures' CNIEs distinct within a run (a random start,
// then one apart): random digits alone collided now and then across the few
// hundred fixtures a run creates, failing a create with ALREADY_EXISTS.
var cnieSeq = func() *atomic.Int64 {
	var n atomic.Int64
	n.Store(mathrand.Int64N(5_000_000))
	return &n
}()

func uniqueDigits() string { return fmt.Sprintf("%07d", cnieSeq.Add(1)) }

// uniqueBirthDate spreads the fixtures' people over 50 years of birth
// dates: people born the same day with the same name are duplicate
// candidates, and a run's few hundred fixtures would otherwise pair with
// each other.
func uniqueBirthDate() resource.Date {
	return resource.Date(time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(cnieSeq.Add(1)%18000)).Format(time.DateOnly))
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteByte(byte('0' + r%10))
	}
	return b.String()
}

func mut() app.Mutation { return app.Mutation{Method: "fixture"} }

// messages builds a request aimed at the fixture objects: name and parent
// fields point at Fès-Meknès, reasons are filled, resource bodies are empty
// (so authorised calls fail later on the rules, never on the gate).
func messages(t *testing.T, svc, method string, fx fixture) (proto.Message, proto.Message) {
	t.Helper()
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
	if err != nil {
		t.Fatal(err)
	}
	md := d.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(method))
	in, err := protoregistry.GlobalTypes.FindMessageByName(md.Input().FullName())
	if err != nil {
		t.Fatal(err)
	}
	out, err := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
	if err != nil {
		t.Fatal(err)
	}
	req := in.New()
	kind := ""
	for k := range fx {
		if strings.HasSuffix(method, k) || strings.HasSuffix(method, k+"s") {
			kind = k
		}
	}
	if method == "LookupRegistrant" {
		kind = "Artisan"
	}
	if method == "DownloadImportReport" {
		kind = "ImportOperation"
	}
	if method == "DownloadNameCertificate" {
		kind = "NameRequest"
	}
	fields := req.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		f := fields.Get(i)
		switch {
		case f.Name() == "name":
			req.Set(f, protoreflect.ValueOfString(fx[kind]))
		case f.Name() == "parent" && strings.HasSuffix(method, "Provinces"):
			req.Set(f, protoreflect.ValueOfString("regions/fes-meknes"))
		case f.Name() == "parent":
			req.Set(f, protoreflect.ValueOfString("chambers/fes-meknes"))
		case f.Name() == "activity" && f.Kind() == protoreflect.StringKind:
			req.Set(f, protoreflect.ValueOfString("F1.B02"))
		case f.Name() == "reason":
			req.Set(f, protoreflect.ValueOfString("authorization test"))
		case f.Name() == "other": // MergeArtisan's duplicate: the same Fès-Meknès record
			req.Set(f, protoreflect.ValueOfString(fx[kind]))
		case f.Message() != nil && strings.EqualFold(string(f.Message().Name()), kind):
			body := req.NewField(f).Message()
			if nf := body.Descriptor().Fields().ByName("name"); nf != nil && strings.HasPrefix(method, "Update") {
				body.Set(nf, protoreflect.ValueOfString(fx[kind]))
			}
			req.Set(f, protoreflect.ValueOfMessage(body))
		}
	}
	return req.Interface(), out.New().Interface()
}
