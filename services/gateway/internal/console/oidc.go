package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hirfa/hirfa/pkg/auth"
)

// OIDC signs staff in with the configured identity provider: the
// authorization code flow with PKCE (S256) and a nonce, through
// golang.org/x/oauth2 and go-oidc. The access token it returns is the
// bearer the console sends to the API; its role and chamber are read by the
// same verifier the services use.
type OIDC struct {
	conf     oauth2.Config
	idtokens *oidc.IDTokenVerifier
	access   *auth.Verifier
}

// OIDCConfig are the provider settings (HIRFA_CONSOLE_OIDC_* variables).
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string // empty for a public client (PKCE alone)
	RedirectURL  string // https://…/console/oidc/callback
	Scopes       []string
}

// NewOIDC discovers the provider. access verifies the access tokens it
// issues (the gateway's own verifier, keyed on HIRFA_AUTH_JWKS_URL).
func NewOIDC(ctx context.Context, c OIDCConfig, access *auth.Verifier) (*OIDC, error) {
	if access == nil {
		return nil, errors.New("console oidc: a token verifier is required")
	}
	p, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("console oidc: discover %s: %w", c.Issuer, err)
	}
	scopes := append([]string{oidc.ScopeOpenID}, c.Scopes...)
	return &OIDC{
		conf: oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, Endpoint: p.Endpoint(),
			RedirectURL: c.RedirectURL, Scopes: scopes},
		idtokens: p.Verifier(&oidc.Config{ClientID: c.ClientID}),
		access:   access,
	}, nil
}

// oidcStart sends the browser to the provider; the state, nonce and PKCE
// verifier stay in the (anonymous) server-side session.
func (c *Console) oidcStart(w http.ResponseWriter, r *http.Request, s *session) {
	s.OIDCState, s.OIDCNonce, s.OIDCVerifier = newID(16), newID(16), oauth2.GenerateVerifier()
	if err := c.sess.update(r, s); err != nil {
		c.log.Error("console session save", slog.String("error", err.Error()))
		c.fail(w, r, s, http.StatusServiceUnavailable, c.locale(r).T("unavailable"))
		return
	}
	u := c.o.OIDC.conf.AuthCodeURL(s.OIDCState, oauth2.S256ChallengeOption(s.OIDCVerifier), oidc.Nonce(s.OIDCNonce))
	http.Redirect(w, r, u, http.StatusSeeOther)
}

func (c *Console) oidcCallback(w http.ResponseWriter, r *http.Request) {
	s := c.sess.get(r)
	l := c.locale(r)
	if c.o.OIDC == nil || s == nil || s.OIDCState == "" || r.URL.Query().Get("state") != s.OIDCState {
		c.fail(w, r, s, http.StatusBadRequest, l.T("signin.failed"))
		return
	}
	o := c.o.OIDC
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	tok, err := o.conf.Exchange(ctx, r.URL.Query().Get("code"), oauth2.VerifierOption(s.OIDCVerifier))
	if err != nil {
		c.log.Warn("console oidc exchange", "error", err.Error())
		c.fail(w, r, s, http.StatusUnauthorized, l.T("signin.failed"))
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := o.idtokens.Verify(ctx, raw)
	if err != nil || idt.Nonce != s.OIDCNonce {
		c.fail(w, r, s, http.StatusUnauthorized, l.T("signin.failed"))
		return
	}
	p, err := o.access.Verify(ctx, tok.AccessToken)
	if err != nil {
		c.fail(w, r, s, http.StatusUnauthorized, l.T("signin.failed"))
		return
	}
	exp := tok.Expiry
	if exp.IsZero() {
		exp = c.sess.now().Add(time.Hour)
	}
	ns := &session{ID: s.ID, CSRF: newID(32), Token: tok.AccessToken, Subject: p.Subject, Role: string(p.Role), Chamber: p.Chamber, Expires: exp}
	c.signedIn(w, r, ns)
}
