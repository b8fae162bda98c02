package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
)

// Objects keeps the archive's file contents under keys the service makes.
type Objects interface {
	Put(ctx context.Context, key string, r io.Reader) error
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// ownerAccess checks that the owner exists when it is one of this
// service's records, and that the caller may see it: a mediation case's
// documents follow the case's narrower access.
func (a *App) ownerAccess(ctx context.Context, owner resource.Name) error {
	switch owner.Collection {
	case mediation.Collection:
		_, err := a.GetCase(ctx, owner)
		return err
	case request.Collection:
		_, err := a.GetRequest(ctx, owner)
		return err
	}
	return a.access.Read(ctx, owner.Chamber, owner.String())
}

// UploadDocument archives content with d's metadata: content is spooled
// to a temporary file while its size and SHA-256 are computed and its
// first bytes kept for sniffing, then stored under a generated key and
// recorded. Nothing is stored or recorded for a refused upload.
func (a *App) UploadDocument(ctx context.Context, chamber string, d *document.Document, content io.Reader, m Mutation) (*document.Document, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	d.Chamber, d.ID = chamber, resource.NewID()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := a.ownerAccess(ctx, d.OwnerName()); err != nil {
		return nil, err
	}
	if o := d.OwnerName(); o.Collection != mediation.Collection && o.Collection != request.Collection {
		if err := a.registrants.Check(ctx, "document.owner", d.Owner); err != nil {
			return nil, err
		}
	}
	tmp, err := os.CreateTemp("", "hirfa-desk-upload-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	var head bytes.Buffer
	size, err := io.Copy(io.MultiWriter(tmp, h, &limitedBuffer{&head, 16}), io.LimitReader(content, document.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if err := d.Accept(size, head.Bytes(), hex.EncodeToString(h.Sum(nil)), a.now()); err != nil {
		return nil, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	// The object first, then its record: a failure between the two leaves
	// an unreferenced object, never a record without its content.
	if err := a.objects.Put(ctx, d.Key(), tmp); err != nil {
		return nil, err
	}
	out, err := a.repos.Documents.Create(ctx, d, a.write(ctx, m, "Archived"))
	if err != nil {
		_ = a.objects.Delete(ctx, d.Key())
		return nil, err
	}
	return out, nil
}

// limitedBuffer keeps the first n bytes written to it.
type limitedBuffer struct {
	b *bytes.Buffer
	n int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if rest := l.n - l.b.Len(); rest > 0 {
		l.b.Write(p[:min(rest, len(p))])
	}
	return len(p), nil
}

// GetDocument reads a document's record with its owner's tenancy.
func (a *App) GetDocument(ctx context.Context, n resource.Name) (*document.Document, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	d, err := a.repos.Documents.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := a.ownerAccess(ctx, d.OwnerName()); err != nil {
		// A document whose owner the caller may not see is not there.
		return nil, notFound(n.String())
	}
	return d, nil
}

// DownloadDocument returns a document's record and content.
func (a *App) DownloadDocument(ctx context.Context, n resource.Name) (*document.Document, []byte, error) {
	d, err := a.GetDocument(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	r, err := a.objects.Open(ctx, d.Key())
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, document.MaxSize+1))
	return d, b, err
}

// ListDocuments lists a chamber's documents. Documents of mediation cases
// are listed only for the chamber's admins (their mediators read them by
// name).
func (a *App) ListDocuments(ctx context.Context, q paging.ListQuery) (paging.Page[*document.Document], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*document.Document]{}, err
	}
	if a.access.Mediate(ctx, q.Chamber, "chambers/"+q.Chamber, "") != nil {
		q.Where = "owner NOT LIKE ?"
		q.WhereArgs = []any{"%/" + mediation.Collection + "/%"}
	}
	return a.repos.Documents.List(ctx, q)
}

// DeleteDocument deletes a document whose retention has run out: the
// record (audited, with its event), then the object.
func (a *App) DeleteDocument(ctx context.Context, n resource.Name, m Mutation) error {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	if _, err := a.GetDocument(ctx, n); err != nil {
		return err
	}
	var key string
	err := a.repos.Documents.Delete(ctx, n, a.write(ctx, m, "Deleted"), resource.WithEtag(n.String(), m.Etag, func(d *document.Document) error {
		key = d.Key()
		return d.CheckDelete(a.now())
	}))
	if err != nil {
		return err
	}
	return a.objects.Delete(ctx, key)
}
