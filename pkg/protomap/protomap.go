// Package protomap converts the value types every Hirfa API shares
// (hirfa.type.v1 and well-known types) to and from their domain
// counterparts in pkg/resource, so each service's transport maps only its
// own resources.
package protomap

import (
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// EnumName turns a proto enum value name into the domain's value (the names
// are the same by design); the zero value *_UNSPECIFIED becomes "".
func EnumName(name string) string {
	if strings.HasSuffix(name, "_UNSPECIFIED") {
		return ""
	}
	return name
}

// Timestamp renders a time; the zero time is absent.
func Timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// TimestampPtr renders an optional time.
func TimestampPtr(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return Timestamp(*t)
}

// Text renders bilingual text.
func Text(l l10n.Text) *typev1.LocalizedText {
	return &typev1.LocalizedText{Ar: l.AR, Fr: l.FR, En: l.EN}
}

// Localized reads bilingual text.
func Localized(t *typev1.LocalizedText) l10n.Text {
	return l10n.Text{AR: t.GetAr(), FR: t.GetFr(), EN: t.GetEn()}
}

// Contact renders contact details.
func Contact(c l10n.Contact) *typev1.Contact {
	return &typev1.Contact{Phone: c.Phone, Email: c.Email, Address: c.Address}
}

// ContactOf reads contact details.
func ContactOf(c *typev1.Contact) l10n.Contact {
	return l10n.Contact{Phone: c.GetPhone(), Email: c.GetEmail(), Address: c.GetAddress()}
}

// AuditRecord renders an audit record under collection, the service's own
// (auditRecords in the registry, eventAuditRecords in events-and-fairs), so
// one service's records are not mistaken for another's.
func AuditRecord(r store.AuditRecord, collection string) *typev1.AuditRecord {
	return &typev1.AuditRecord{
		Name: "chambers/" + r.Chamber + "/" + collection + "/" + r.ID, Time: Timestamp(r.Time), Actor: r.Actor, Role: r.Role,
		Chamber: r.Chamber, Method: r.Method, Action: r.Action, Resource: r.Resource, RequestId: r.RequestID,
		TraceId: r.TraceID, BeforeDigest: r.BeforeDigest, AfterDigest: r.AfterDigest,
	}
}
