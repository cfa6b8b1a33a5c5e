package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	nethttp "net/http"
	"path"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/assets"
)

// assetSet serves the embedded assets under names that carry a hash of
// their content ("app.3f2a1b9c0d.css"), so they can be cached forever.
type assetSet struct {
	urls   map[string]string // plain name → URL
	byName map[string]asset  // hashed name → content
}

type asset struct {
	body  []byte
	ctype string
	etag  string
}

func loadAssets() (*assetSet, error) {
	set := &assetSet{urls: map[string]string{}, byName: map[string]asset{}}
	err := fs.WalkDir(assets.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := fs.ReadFile(assets.FS, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:5])
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		set.urls[name] = "/assets/" + hashed
		set.byName[hashed] = asset{body: body, ctype: mime.TypeByExtension(ext), etag: `"` + hash + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	return set, nil
}

// url returns the hashed URL of an asset; templates call it as {{asset
// "app.css"}}, so a misspelt name fails the page's test, not silently.
func (a *assetSet) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return u, nil
}

func (s *Server) handleAsset(w nethttp.ResponseWriter, r *nethttp.Request) {
	a, ok := s.assets.byName[r.PathValue("file")]
	if !ok {
		s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no such asset"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", a.etag)
	nethttp.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
