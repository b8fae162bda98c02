package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
)

// upload sends content in chunks of 32 KiB after the metadata.
func upload(ctx context.Context, c deskv1.DocumentServiceClient, parent string, d *deskv1.Document, content []byte) (*deskv1.Document, error) {
	st, err := c.UploadDocument(ctx)
	if err != nil {
		return nil, err
	}
	if err := st.Send(&deskv1.UploadDocumentRequest{Content: &deskv1.UploadDocumentRequest_Metadata{Metadata: &deskv1.DocumentUpload{Parent: parent, Document: d}}}); err != nil {
		return nil, err
	}
	for len(content) > 0 {
		n := min(32<<10, len(content))
		if err := st.Send(&deskv1.UploadDocumentRequest{Content: &deskv1.UploadDocumentRequest_Chunk{Chunk: content[:n]}}); err != nil {
			break // the server answered early; CloseAndRecv has its status
		}
		content = content[n:]
	}
	return st.CloseAndRecv()
}

// pdf is a small PDF-looking content (the archive sniffs the signature).
var pdf = append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("statuts de l'association "), 4000)...)

// TestDocuments archives, reads, lists and downloads documents over gRPC on
// both databases: size and SHA-256 computed, the type sniffed from the
// content, the object key made by the service; a mediation case's
// documents follow the case's access; refused uploads (an executable named
// .pdf, an empty file, an oversized one, an owner in another chamber)
// store and record nothing; deletion only by retention.
func TestDocuments(t *testing.T) {
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			docs := deskv1.NewDocumentServiceClient(e.conn)
			cs := deskv1.NewMediationCaseServiceClient(e.conn)
			clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
			other := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
			ministry := e.as(t, auth.RoleMinistry, "")

			meta := func(owner string) *deskv1.Document {
				return &deskv1.Document{Classification: deskv1.Document_STATUTES, Owner: owner, Retention: deskv1.Document_TEN_YEARS, FileName: "../../etc/passwd.pdf"}
			}
			d := must(upload(clerk, docs, "chambers/fes-meknes", meta("chambers/fes-meknes/associations/a1"), pdf))(t)
			sum := sha256.Sum256(pdf)
			if d.GetMediaType() != "application/pdf" || d.GetSizeBytes() != int64(len(pdf)) || d.GetSha256() != hex.EncodeToString(sum[:]) || d.GetRetainUntilTime() == nil {
				t.Fatalf("archived %v", d)
			}
			// The object is under chamber/id inside the archive folder, whatever the file name said.
			id := filepath.Base(d.GetName())
			if b, err := os.ReadFile(filepath.Join(e.archive, "fes-meknes", id)); err != nil || !bytes.Equal(b, pdf) {
				t.Fatalf("stored object: %v", err)
			}
			body := must(docs.DownloadDocument(clerk, &deskv1.DownloadDocumentRequest{Name: d.GetName()}))(t)
			if body.GetContentType() != "application/pdf" || !bytes.Equal(body.GetData(), pdf) {
				t.Fatalf("downloaded %s, %d bytes", body.GetContentType(), len(body.GetData()))
			}
			must(docs.GetDocument(ministry, &deskv1.GetDocumentRequest{Name: d.GetName()}))(t)
			_, err := docs.DownloadDocument(other, &deskv1.DownloadDocumentRequest{Name: d.GetName()})
			wantErr(t, "another chamber's download", err, codes.NotFound, "")

			// A PNG attached to a mediation case: its mediator and the admin see it; another clerk does not.
			c := must(cs.CreateMediationCase(admin, &deskv1.CreateMediationCaseRequest{Parent: "chambers/fes-meknes", MediationCase: &deskv1.MediationCase{
				Subject: "Litige", Mediator: "mediator-1", Parties: []*deskv1.MediationParty{{DisplayName: "A"}, {DisplayName: "B"}}}}))(t)
			mediator := e.asSubject(t, "mediator-1", auth.RoleChamberClerk, "fes-meknes")
			png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
			pm := meta(c.GetName())
			pm.Classification, pm.Retention = deskv1.Document_AGREEMENT, deskv1.Document_PERMANENT
			cd := must(upload(mediator, docs, "chambers/fes-meknes", pm, png))(t)
			if cd.GetMediaType() != "image/png" || cd.GetRetainUntilTime() != nil {
				t.Fatalf("case document %v", cd)
			}
			must(docs.DownloadDocument(admin, &deskv1.DownloadDocumentRequest{Name: cd.GetName()}))(t)
			_, err = docs.GetDocument(clerk, &deskv1.GetDocumentRequest{Name: cd.GetName()})
			wantErr(t, "another clerk reads a case document", err, codes.NotFound, "")
			_, err = upload(clerk, docs, "chambers/fes-meknes", pm, png)
			wantErr(t, "another clerk attaches to the case", err, codes.NotFound, "")
			if l := must(docs.ListDocuments(clerk, &deskv1.ListDocumentsRequest{Parent: "chambers/fes-meknes"}))(t); len(l.GetDocuments()) != 1 {
				t.Fatalf("a clerk lists %d documents", len(l.GetDocuments()))
			}
			if l := must(docs.ListDocuments(admin, &deskv1.ListDocumentsRequest{Parent: "chambers/fes-meknes", Filter: "classification = AGREEMENT"}))(t); len(l.GetDocuments()) != 1 {
				t.Fatalf("the admin's filtered list: %d", len(l.GetDocuments()))
			}

			// Refused uploads and deletions write nothing.
			tables := []string{"documents", "outbox", "audit_records"}
			count := func() []int {
				var n []int
				for _, tb := range tables {
					n = append(n, e.rows(t, tb))
				}
				entries, _ := os.ReadDir(filepath.Join(e.archive, "fes-meknes"))
				return append(n, len(entries))
			}
			before := count()
			exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 1000)...)
			for _, tt := range []struct {
				name    string
				parent  string
				meta    *deskv1.Document
				content []byte
				code    codes.Code
				field   string
			}{
				{"an executable named .pdf", "chambers/fes-meknes", meta("chambers/fes-meknes/artisans/a1"), exe, codes.InvalidArgument, "chunk"},
				{"a 0-byte file", "chambers/fes-meknes", meta("chambers/fes-meknes/artisans/a1"), nil, codes.InvalidArgument, "chunk"},
				{"an oversized file", "chambers/fes-meknes", meta("chambers/fes-meknes/artisans/a1"), append([]byte("%PDF-"), make([]byte, 10<<20)...), codes.InvalidArgument, "chunk"},
				{"attached across chambers", "chambers/fes-meknes", meta("chambers/marrakech-safi/artisans/a1"), pdf, codes.InvalidArgument, "document.owner"},
				{"attached to a fair", "chambers/fes-meknes", meta("chambers/fes-meknes/fairs/f1"), pdf, codes.InvalidArgument, "document.owner"},
				{"no classification", "chambers/fes-meknes", &deskv1.Document{Owner: "chambers/fes-meknes/artisans/a1", Retention: deskv1.Document_ONE_YEAR}, pdf, codes.InvalidArgument, "document.classification"},
				{"unknown request", "chambers/fes-meknes", meta("chambers/fes-meknes/serviceRequests/nope"), pdf, codes.NotFound, ""},
				{"another chamber's parent", "chambers/marrakech-safi", meta("chambers/marrakech-safi/artisans/a1"), pdf, codes.NotFound, ""},
			} {
				_, err := upload(clerk, docs, tt.parent, tt.meta, tt.content)
				wantErr(t, tt.name, err, tt.code, "")
				if f, _ := violation(err); f != tt.field {
					t.Errorf("%s: violation on %q, want %q", tt.name, f, tt.field)
				}
			}
			_, err = docs.DeleteDocument(clerk, &deskv1.DeleteDocumentRequest{Name: d.GetName()})
			wantErr(t, "delete within retention", err, codes.FailedPrecondition, "RETENTION_ACTIVE")
			_, err = docs.DeleteDocument(admin, &deskv1.DeleteDocumentRequest{Name: cd.GetName()})
			wantErr(t, "delete a permanent document", err, codes.FailedPrecondition, "RETENTION_ACTIVE")
			_, err = docs.DeleteDocument(ministry, &deskv1.DeleteDocumentRequest{Name: d.GetName()})
			wantErr(t, "the ministry deletes", err, codes.PermissionDenied, "")
			if after := count(); !slices.Equal(after, before) {
				t.Fatalf("refused calls wrote %v → %v (%v and objects)", before, after, tables)
			}
		})
	}
}
