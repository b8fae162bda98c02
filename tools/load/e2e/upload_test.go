package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/hirfa/hirfa/pkg/auth"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// TestUploadThroughTheEdge archives documents through the REST edge (the
// raw body streamed to the desk's gRPC upload stream), every request and
// answer checked against the served OpenAPI document: a PDF attached to a
// request is archived with its sniffed type, size and SHA-256 and downloads
// back byte for byte; an executable named .pdf, a body over 10 MiB (413,
// stopped while streaming), another chamber's clerk and a caller without a
// token are refused, and none of them adds a document.
func TestUploadThroughTheEdge(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	tok := token(t, s, auth.RoleChamberClerk, "fes-meknes")
	clerk := rest(t, s, tok)
	rq := &deskv1.ServiceRequest{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/serviceRequests", nil,
		&deskv1.ServiceRequest{WalkInName: "فاطمة", RequestType: "ATTESTATION", Channel: deskv1.ServiceRequest_IN_PERSON, Subject: "شهادة"}, rq, codes.OK)

	hc := &http.Client{Transport: openapitest.MustFetch(t, s.HTTP).Transport(t, nil)}
	send := func(token string, q url.Values, body []byte) (int, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.HTTP+"/v1/chambers/fes-meknes/documents:upload?"+q.Encode(), bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/octet-stream")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}
	meta := func(classification, name string) url.Values {
		return url.Values{"classification": {classification}, "owner": {rq.GetName()}, "retention": {"TEN_YEARS"}, "file_name": {name}}
	}

	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("attestation de pratique "), 20_000)...) // ~480 KiB: several chunks
	status, body := send(tok, meta("PRACTICE_ATTESTATION", "attestation.pdf"), pdf)
	doc := &deskv1.Document{}
	if status != http.StatusOK || protojson.Unmarshal(body, doc) != nil {
		t.Fatalf("upload: %d %.300s", status, body)
	}
	sum := sha256.Sum256(pdf)
	if doc.GetMediaType() != "application/pdf" || doc.GetSizeBytes() != int64(len(pdf)) || doc.GetSha256() != hex.EncodeToString(sum[:]) || doc.GetOwner() != rq.GetName() {
		t.Fatalf("archived %v", doc)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.HTTP+"/v1/"+doc.GetName()+":download", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(back, pdf) {
		t.Fatalf("downloaded %d bytes, want the %d uploaded", len(back), len(pdf))
	}

	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 4096)...)
	big := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 10<<20)...)
	other := token(t, s, auth.RoleChamberClerk, "marrakech-safi")
	for _, c := range []struct {
		what   string
		token  string
		q      url.Values
		body   []byte
		status int
	}{
		{"an executable named .pdf", tok, meta("STATUTES", "statuts.pdf"), exe, http.StatusBadRequest},
		{"over 10 MiB", tok, meta("STATUTES", "gros.pdf"), big, http.StatusRequestEntityTooLarge},
		{"another chamber's clerk", other, meta("STATUTES", "x.pdf"), pdf, http.StatusNotFound},
		{"no token", "", meta("STATUTES", "x.pdf"), pdf, http.StatusUnauthorized},
	} {
		if status, body := send(c.token, c.q, c.body); status != c.status {
			t.Errorf("%s: %d %.300s, want %d", c.what, status, body, c.status)
		}
	}
	list := &deskv1.ListDocumentsResponse{}
	do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/documents", nil, nil, list, codes.OK)
	if len(list.GetDocuments()) != 1 {
		t.Fatalf("%d documents archived, want the one accepted", len(list.GetDocuments()))
	}
}
