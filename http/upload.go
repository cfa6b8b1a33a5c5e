package http

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/xlsx"
)

// The import wizard keeps the uploaded file on the server between its steps
// rather than asking for it again: the user may change the mapping and look
// at the dry run several times, and a browser cannot carry a chosen file
// from one page to the next. Each upload is a file named by a random id
// beside a small JSON record of who uploaded it; only that user may use the
// id, the file is removed once imported, and everything older than
// uploadTTL is swept at the next upload. A server behind a load balancer
// needs sticky sessions or a shared UploadDir for this.
const (
	maxUpload = 20 << 20 // bytes of one uploaded file
	uploadTTL = 2 * time.Hour
)

var uploadIDRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// upload is the record kept beside an uploaded file.
type upload struct {
	ID      string    `json:"-"`
	UserID  int64     `json:"user_id"`
	File    string    `json:"file"` // the name the user's file had
	XLSX    bool      `json:"xlsx"`
	Kind    string    `json:"kind,omitempty"` // what the file holds (dossier.ImportKinds); customers when empty
	Created time.Time `json:"created"`
	// Result is set once the file was imported (the file itself is gone).
	Result *dossier.ImportResult `json:"result,omitempty"`
}

// uploads is the folder of the wizard's files.
type uploads struct{ dir string }

func (u uploads) path(id, ext string) string { return filepath.Join(u.dir, id+ext) }

// save stores body as a new upload of user and returns it. A file larger
// than maxUpload is refused.
func (u uploads) save(userID int64, name, kind string, body io.Reader, now time.Time) (*upload, error) {
	if err := os.MkdirAll(u.dir, 0o700); err != nil {
		return nil, err
	}
	u.sweep(now)
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	up := &upload{ID: hex.EncodeToString(b), UserID: userID, File: filepath.Base(name), Kind: kind, Created: now}
	f, err := os.OpenFile(u.path(up.ID, ".upload"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	n, err := io.Copy(f, io.LimitReader(body, maxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
	case n == 0:
		err = dossier.InvalidReason("file", "file_empty", "the file is empty")
	case n > maxUpload:
		err = &nethttp.MaxBytesError{Limit: maxUpload}
	}
	if err != nil {
		u.remove(up.ID)
		return nil, err
	}
	up.XLSX = isXLSX(up.File, u.path(up.ID, ".upload"))
	return up, u.write(up)
}

// isXLSX decides the format as `dossier import` does: by the extension, or
// by the ZIP signature when the extension says neither.
func isXLSX(name, path string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return true
	case ".csv":
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 4)
	n, _ := io.ReadFull(f, b)
	return n == 4 && string(b) == "PK\x03\x04"
}

func (u uploads) write(up *upload) error {
	b, err := json.Marshal(up)
	if err != nil {
		return err
	}
	tmp := u.path(up.ID, ".json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, u.path(up.ID, ".json"))
}

// load returns the upload id of user; any other user, an expired or unknown
// id all get not-found, so ids cannot be probed.
func (u uploads) load(id string, userID int64, now time.Time) (*upload, error) {
	notFound := dossier.Errorf(dossier.ENOTFOUND, "no upload %q: it was imported or expired; upload the file again", id)
	if !uploadIDRE.MatchString(id) {
		return nil, notFound
	}
	b, err := os.ReadFile(u.path(id, ".json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	up := &upload{}
	if err := json.Unmarshal(b, up); err != nil {
		return nil, fmt.Errorf("upload %s: %w", id, err)
	}
	if up.UserID != userID || now.Sub(up.Created) > uploadTTL {
		return nil, notFound
	}
	up.ID = id
	return up, nil
}

// rows opens the uploaded file with the readers `dossier import` uses.
func (u uploads) rows(up *upload) (dossier.RowReader, func(), error) {
	if up.Result != nil {
		return nil, nil, dossier.Errorf(dossier.ECONFLICT, "%s was imported already (run %d)", up.File, up.Result.Run.ID)
	}
	path := u.path(up.ID, ".upload")
	if up.XLSX {
		r, err := xlsx.Open(path, "")
		if err != nil {
			return nil, nil, dossier.FieldError("file", "%s: %v", up.File, err)
		}
		return r, func() { r.Close() }, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	r, err := csv.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, dossier.FieldError("file", "%s: %v", up.File, err)
	}
	return r, func() { f.Close() }, nil
}

// done records the result of the import and removes the file.
func (u uploads) done(up *upload, res *dossier.ImportResult) error {
	up.Result = res
	if err := u.write(up); err != nil {
		return err
	}
	return os.Remove(u.path(up.ID, ".upload"))
}

func (u uploads) remove(id string) {
	for _, ext := range []string{".upload", ".json", ".json.tmp"} {
		_ = os.Remove(u.path(id, ext))
	}
}

// sweep removes the uploads and results older than uploadTTL.
func (u uploads) sweep(now time.Time) {
	entries, err := os.ReadDir(u.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		id, _, _ := strings.Cut(e.Name(), ".")
		info, err := e.Info()
		if err == nil && uploadIDRE.MatchString(id) && now.Sub(info.ModTime()) > uploadTTL {
			_ = os.Remove(filepath.Join(u.dir, e.Name()))
		}
	}
}
