package app

import (
	"context"
	"errors"
	"io"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
)

// Artisans reads an artisan's register facts from the registry (the
// caller's token), for what a card prints and whether it may be issued.
// field is the request field that named the artisan, carried in refusals.
type Artisans interface {
	Artisan(ctx context.Context, field, name string) (card.Facts, error)
}

// Printer prints a card's bilingual PDF; photo is its photograph's
// content (JPEG or PNG, mediaType), nil for an attestation without one.
type Printer interface {
	CardPDF(ctx context.Context, c *card.Card, photo []byte, mediaType string) ([]byte, error)
}

// WithCards adds the professional cards' collaborators: the registry's
// artisan records and the PDF printer.
func (a *App) WithCards(artisans Artisans, printer Printer) *App {
	a.artisans, a.printer = artisans, printer
	return a
}

// IssueCard issues a card or an attestation to a registered artisan of
// the chamber: the request is checked, then the photograph (an archived
// JPEG or PNG classified PHOTO and attached to the artisan), then the
// artisan's record in the registry, which must be REGISTERED — all before
// anything is written.
func (a *App) IssueCard(ctx context.Context, chamber string, c *card.Card, m Mutation) (*card.Card, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	c.Chamber, c.ID = chamber, resource.NewID()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Photo != "" {
		if _, err := a.cardPhoto(ctx, c); err != nil {
			return nil, err
		}
	}
	facts, err := a.artisans.Artisan(ctx, "professional_card.artisan", c.Artisan)
	if err != nil {
		return nil, err
	}
	if err := c.Issue(facts, a.access.Subject(ctx), a.now()); err != nil {
		return nil, err
	}
	out, err := a.repos.Cards.Create(ctx, c, a.write(ctx, m, "Issued"))
	if err != nil {
		return nil, err
	}
	// The state just read is the freshest the desk has: an older event
	// not yet consumed must not make the new card answer invalid.
	return out, a.repos.Cards.NoteState(ctx, c.Artisan, facts.State, facts.Updated)
}

// cardPhoto reads the card's photograph record with the caller's access
// and checks it can be printed on this artisan's card.
func (a *App) cardPhoto(ctx context.Context, c *card.Card) (*document.Document, error) {
	n, err := resource.ParseName(c.Photo, document.Collection, "professional_card.photo")
	if err != nil {
		return nil, err
	}
	d, err := a.GetDocument(ctx, n)
	var nf *fault.NotFoundError
	if errors.As(err, &nf) {
		return nil, photoUnusable(c, "is not in the archive")
	}
	if err != nil {
		return nil, err
	}
	switch {
	case d.Classification != "PHOTO":
		return nil, photoUnusable(c, "is classified "+d.Classification+", not PHOTO")
	case d.MediaType != "image/jpeg" && d.MediaType != "image/png":
		return nil, photoUnusable(c, "is "+d.MediaType+", not a JPEG or PNG image")
	case d.Owner != c.Artisan:
		return nil, photoUnusable(c, "is attached to "+d.Owner+", not to "+c.Artisan)
	}
	return d, nil
}

func photoUnusable(c *card.Card, why string) error {
	return &fault.PreconditionError{Reason: card.ReasonPhotoUnusable, Msg: "professional_card.photo: " + c.Photo + " " + why,
		Meta: map[string]string{"resource": c.Photo, "request_field": "professional_card.photo"}}
}

// GetCard reads a card in the caller's chamber (national roles anywhere).
func (a *App) GetCard(ctx context.Context, n resource.Name) (*card.Card, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Cards.Get(ctx, n)
}

// ListCards lists a chamber's cards.
func (a *App) ListCards(ctx context.Context, q paging.ListQuery) (paging.Page[*card.Card], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*card.Card]{}, err
	}
	return a.repos.Cards.List(ctx, q)
}

// DownloadCard prints a card's PDF with its photograph from the archive.
func (a *App) DownloadCard(ctx context.Context, n resource.Name) ([]byte, error) {
	c, err := a.GetCard(ctx, n)
	if err != nil {
		return nil, err
	}
	var photo []byte
	var mediaType string
	if c.Photo != "" {
		d, err := a.GetDocument(ctx, resource.Name{Chamber: c.Chamber, Collection: document.Collection, ID: lastSegment(c.Photo)})
		if err != nil {
			return nil, err
		}
		r, err := a.objects.Open(ctx, d.Key())
		if err != nil {
			return nil, err
		}
		defer r.Close()
		if photo, err = io.ReadAll(io.LimitReader(r, document.MaxSize+1)); err != nil {
			return nil, err
		}
		mediaType = d.MediaType
	}
	return a.printer.CardPDF(ctx, c, photo, mediaType)
}

func lastSegment(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[i+1:]
		}
	}
	return name
}

// RevokeCard revokes a card for a reason, as the caller; the policy lets
// only chamber admins call it and the tenancy guard keeps them to their
// chamber. From then on the verification answers invalid.
func (a *App) RevokeCard(ctx context.Context, n resource.Name, m Mutation) (*card.Card, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	by := a.access.Subject(ctx)
	return a.repos.Cards.Update(ctx, n, a.write(ctx, m, "Revoked"), resource.WithEtag(n.String(), m.Etag, func(c *card.Card) error {
		return c.Revoke(m.Reason, by, a.now())
	}))
}

// Verify answers the public verification of a code: anonymous, so it
// reads nothing else and returns the card only for its public facts. A
// malformed or unknown code is NotFound (the same answer, so codes cannot
// be probed for their form).
func (a *App) Verify(ctx context.Context, code string) (*card.Card, bool, error) {
	if !card.ValidCode(code) {
		return nil, false, fault.NotFound("verifications/" + code)
	}
	c, err := a.repos.Cards.ByCode(ctx, code)
	if err != nil {
		return nil, false, err
	}
	return c, c.ValidAt(a.now()), nil
}
