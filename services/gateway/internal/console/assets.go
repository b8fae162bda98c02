package console

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

type asset struct {
	body  []byte
	ctype string
}

// loadAssets names every embedded asset by its content hash
// (console.3f2a….css), so pages can let browsers cache them forever: a new
// build changes the name, never the bytes behind a name.
func (c *Console) loadAssets() error {
	c.assets, c.assetURL = map[string]asset{}, map[string]string{}
	return fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return fmt.Errorf("console: asset %s: %w", p, err)
		}
		sum := sha256.Sum256(b)
		base := path.Base(p)
		ext := path.Ext(base)
		hashed := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		c.assets[hashed] = asset{body: b, ctype: mime.TypeByExtension(ext)}
		c.assetURL[base] = "/console/assets/" + hashed
		return nil
	})
}

func (c *Console) asset(w http.ResponseWriter, r *http.Request) {
	a, ok := c.assets[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(a.body)
}
