// Package objectstore keeps the archive's file contents. Local is the
// embedded default: one file per object under a root folder, written to a
// temporary name and renamed, so a crash never leaves half an object
// under its key.
package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"github.com/hirfa/hirfa/pkg/fault"
)

// keyRe is the form of the keys the service makes (chamber/id): a key is
// never built from client input, and this check keeps it inside root.
var keyRe = regexp.MustCompile(`^[a-z0-9-]+/[a-z0-9]{1,32}$`)

// Local stores objects as files under Root.
type Local struct{ Root string }

func (l Local) path(key string) (string, error) {
	if !keyRe.MatchString(key) {
		return "", fmt.Errorf("objectstore: invalid key %q", key)
	}
	return filepath.Join(l.Root, filepath.FromSlash(key)), nil
}

// Put stores r under key, replacing nothing: the file appears only once
// fully written and synced.
func (l Local) Put(_ context.Context, key string, r io.Reader) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), p)
}

// Open reads the object under key.
func (l Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fault.NotFound(key)
	}
	return f, err
}

// Delete removes the object under key; a missing object is not an error.
func (l Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
