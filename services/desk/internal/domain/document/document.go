// Package document is the chamber's document archive: a file's
// classification, owner (a record of the same chamber), retention class,
// and the facts established from its content — size, SHA-256 and a media
// type sniffed from the first bytes, never taken from the client. Rules
// only: no proto, gRPC, SQL or storage.
package document

import (
	"bytes"
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of document names.
const Collection = "documents"

// MaxSize is the largest document accepted, in bytes: scans of statutes
// and receipts fit well within it.
const MaxSize = 10 << 20

// Classifications, as the proto enum names them.
var Classifications = []string{"STATUTES", "PROVISIONAL_RECEIPT", "DEFINITIVE_RECEIPT", "ODCO_CERTIFICATE",
	"COURT_CLERK_REGISTRATION", "ASSEMBLY_MINUTES", "DIPLOMA", "PRACTICE_ATTESTATION", "AMIN_CERTIFICATE",
	"AGREEMENT", "PHOTO", "OTHER"}

// Retention is how long the chamber keeps a document.
type Retention string

// Retention classes, with their duration (0: never deleted).
const (
	Permanent Retention = "PERMANENT"
	TenYears  Retention = "TEN_YEARS"
	FiveYears Retention = "FIVE_YEARS"
	OneYear   Retention = "ONE_YEAR"
)

// Years is each retention class's duration in years; PERMANENT is 0.
var Years = map[Retention]int{Permanent: 0, TenYears: 10, FiveYears: 5, OneYear: 1}

// Owners are the collections a document may be attached to.
var Owners = []string{"artisans", "cooperatives", "associations", "enterprises", "serviceRequests", "mediationCases"}

// Document is an archived file's record.
type Document struct {
	resource.Meta
	Classification string    `json:"classification"`
	Owner          string    `json:"owner"`
	Retention      Retention `json:"retention"`
	FileName       string    `json:"file_name,omitempty"`
	MediaType      string    `json:"media_type"`
	Size           int64     `json:"size_bytes"`
	SHA256         string    `json:"sha256"`
	RetainUntil    time.Time `json:"retain_until_time"`
}

// Name is the resource name.
func (d *Document) Name() string {
	return resource.Name{Chamber: d.Chamber, Collection: Collection, ID: d.ID}.String()
}

// Key is the object's storage key: the chamber and the generated id only,
// never anything the client sent.
func (d *Document) Key() string { return d.Chamber + "/" + d.ID }

// OwnerName splits the owner's resource name (checked by Validate).
func (d *Document) OwnerName() resource.Name {
	p := strings.Split(d.Owner, "/")
	return resource.Name{Chamber: p[1], Collection: p[2], ID: p[3]}
}

// Validate checks the metadata given with an upload, reporting every
// violation at once: a known classification and retention class, and an
// owner of the document's own chamber.
func (d *Document) Validate() error {
	var vs fault.Violations
	const p = "document."
	known := false
	for _, c := range Classifications {
		known = known || d.Classification == c
	}
	if !known {
		vs.Add(p+"classification", fault.RuleRequired, "is required")
	}
	if _, ok := Years[d.Retention]; !ok {
		vs.Add(p+"retention", fault.RuleRequired, "is required")
	}
	if d.Owner == "" {
		vs.Add(p+"owner", fault.RuleRequired, "is required")
	} else if !ownerOf(d.Owner, d.Chamber) {
		vs.Add(p+"owner", RuleOwnerChamber, "must be a registrant, request or mediation case of chambers/%s", d.Chamber)
	}
	if n := utf8.RuneCountInString(d.FileName); n > 200 {
		vs.Add(p+"file_name", RuleFileNameLength, "must be at most %d characters, got %d", 200, n)
	}
	return vs.Err()
}

func ownerOf(name, chamber string) bool {
	p := strings.Split(name, "/")
	if len(p) != 4 || p[0] != "chambers" || p[1] != chamber || p[3] == "" {
		return false
	}
	for _, c := range Owners {
		if p[2] == c {
			return true
		}
	}
	return false
}

// Sniff returns the media type of content from its first bytes: PDF, JPEG
// or PNG, "" for anything else (an executable renamed .pdf included).
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	}
	return ""
}

// Accept records the facts established from the received content and
// the retention date; it refuses an empty, oversized or unrecognised file.
func (d *Document) Accept(size int64, head []byte, sha string, now time.Time) error {
	var vs fault.Violations
	switch {
	case size == 0:
		vs.Add("chunk", RuleContentEmpty, "the file is empty")
	case size > MaxSize:
		vs.Add("chunk", RuleContentTooLarge, "the file exceeds %d bytes", MaxSize)
	case Sniff(head) == "":
		vs.Add("chunk", RuleContentType, "the content is not a PDF, JPEG or PNG file")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	d.Size, d.MediaType, d.SHA256 = size, Sniff(head), sha
	if y := Years[d.Retention]; y > 0 {
		d.RetainUntil = now.AddDate(y, 0, 0)
	}
	return nil
}

// CheckDelete allows deleting a document only once its retention has run
// out; a PERMANENT document is never deleted.
func (d *Document) CheckDelete(now time.Time) error {
	if d.Retention == Permanent || d.RetainUntil.IsZero() || now.Before(d.RetainUntil) {
		until := "PERMANENT"
		if !d.RetainUntil.IsZero() {
			until = d.RetainUntil.UTC().Format(time.DateOnly)
		}
		return &fault.PreconditionError{Reason: ReasonRetentionActive,
			Msg:  d.Name() + " is kept until " + until + ": it cannot be deleted before its retention runs out",
			Meta: map[string]string{"resource": d.Name(), "until": until}}
	}
	return nil
}

// Repository stores document records with their outbox events and audit
// records.
type Repository interface {
	Create(ctx context.Context, d *Document, w change.Write) (*Document, error)
	Get(ctx context.Context, n resource.Name) (*Document, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Document], error)
	Delete(ctx context.Context, n resource.Name, w change.Write, fn func(*Document) error) error
}
