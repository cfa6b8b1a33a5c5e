package http

import (
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/xlsx"
)

// The import wizard (issue #7, screen 4): upload, preview with the column
// mapping and a dry run, confirm, result with the errors file. It runs the
// root package's Importer, the same code as `dossier import`, so the header
// mapping, the parsers, the batches and the recorded run (undone with
// `dossier import undo`) are the CLI's.

const (
	previewRows = 10  // data rows shown under the mapping
	shownIssues = 200 // dry-run problems listed on the page
)

func (s *Server) handleImportForm(w nethttp.ResponseWriter, r *nethttp.Request) {
	if err := mayImport(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderImportForm(w, r, nethttp.StatusOK, "")
}

// mayImport refuses the wizard to editors who see only part of the
// customers (User.CanImport): the route's rule admits every editor role,
// but a manager's scope depends on their team.
func mayImport(r *nethttp.Request) error {
	if !userOf(r).CanImport() {
		return dossier.Errorf(dossier.EFORBIDDEN, "importing writes to any matching customer: only users who may edit every customer may import")
	}
	return nil
}

func (s *Server) renderImportForm(w nethttp.ResponseWriter, r *nethttp.Request, status int, msg string) {
	page := html.ImportPage{Base: s.base(w, r, "import.title", "import"), MaxMB: maxUpload >> 20, Error: msg,
		Kinds: kindChoices(r.URL.Query().Get("kind"), langOf(r))}
	s.render(w, r, status, "import", page)
}

// handleImportUpload stores the uploaded file (streamed to disk, at most
// maxUpload bytes) and goes on to the preview.
func (s *Server) handleImportUpload(w nethttp.ResponseWriter, r *nethttp.Request) {
	if err := mayImport(r); err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = nethttp.MaxBytesReader(w, r.Body, maxUpload+64<<10)
	up, err := s.saveUpload(r)
	if err != nil {
		code, status, msgKey := errorKind(err)
		var tooBig *nethttp.MaxBytesError
		if errors.As(err, &tooBig) {
			code, status, msgKey = dossier.EINVALID, nethttp.StatusRequestEntityTooLarge, "error.too_large"
			err = dossier.InvalidReason("file", "file_too_large", "the file is larger than %d MB", maxUpload>>20)
		}
		if code == dossier.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.renderImportForm(w, r, status, i18n.T(langOf(r), msgKey)+" "+localError(langOf(r), err))
		return
	}
	nethttp.Redirect(w, r, "/import/"+up.ID, nethttp.StatusSeeOther)
}

// kindChoices are the kinds of file the wizard reads, sel selected.
func kindChoices(sel, lang string) []html.ColumnChoice {
	if !dossier.ValidImportKind(sel) {
		sel = dossier.KindCustomers
	}
	var out []html.ColumnChoice
	for _, k := range dossier.ImportKinds {
		out = append(out, html.ColumnChoice{Value: k, Label: i18n.T(lang, "uiwiz2.kind."+k), Selected: k == sel})
	}
	return out
}

// importKind is the kind named by a form value, the upload's own when it
// names none; an unknown one is refused.
func importKind(v string, up *upload) (string, error) {
	switch {
	case v == "" && up.Kind != "":
		return up.Kind, nil
	case v == "":
		return dossier.KindCustomers, nil
	case !dossier.ValidImportKind(v):
		return "", dossier.InvalidReason("kind", "unknown_kind", "unknown kind of file %q: use customers, contacts, interactions or projects", v)
	}
	return v, nil
}

// saveUpload stores the file part; a "kind" part before it (the form puts
// the choice first) says what the file holds.
func (s *Server) saveUpload(r *nethttp.Request) (*upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, dossier.InvalidReason("file", "not_multipart", "send the file as multipart/form-data")
	}
	kind := dossier.KindCustomers
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, dossier.InvalidReason("file", "no_file", "choose a CSV or XLSX file")
		}
		if err != nil {
			return nil, err
		}
		if part.FormName() == "kind" {
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			if kind = strings.TrimSpace(string(b)); !dossier.ValidImportKind(kind) {
				return nil, dossier.InvalidReason("kind", "unknown_kind", "unknown kind of file %q: use customers, contacts, interactions or projects", kind)
			}
			continue
		}
		if part.FormName() == "file" && part.FileName() != "" {
			return s.uploads.save(userOf(r).ID, part.FileName(), kind, part, s.now())
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(part, 1<<20))
	}
}

// loadUpload returns the upload named in the path, the signed-in user's only.
func (s *Server) loadUpload(r *nethttp.Request) (*upload, error) {
	if err := mayImport(r); err != nil {
		return nil, err
	}
	return s.uploads.load(r.PathValue("id"), userOf(r).ID, s.now())
}

// columnsOf reads the mapping choices col0, col1, … of a request.
func columnsOf(get func(string) string, n int) []string {
	cols := make([]string, n)
	for i := range cols {
		cols[i] = strings.TrimSpace(get("col" + strconv.Itoa(i)))
	}
	return cols
}

// handleImportPreview shows the first rows with the detected mapping, the
// user's changes to it (query col0=key…) and the dry run's problems.
func (s *Server) handleImportPreview(w nethttp.ResponseWriter, r *nethttp.Request) {
	up, err := s.loadUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if up.Result != nil {
		nethttp.Redirect(w, r, "/import/"+up.ID+"/result", nethttp.StatusSeeOther)
		return
	}
	page, err := s.importPreview(r, up)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Base = s.base(w, r, "import.title", "import")
	s.render(w, r, nethttp.StatusOK, "import_preview", *page)
}

func (s *Server) importPreview(r *nethttp.Request, up *upload) (*html.ImportPreviewPage, error) {
	ctx, lang := r.Context(), langOf(r)
	header, rows, err := s.headRows(up)
	if err != nil {
		return nil, err
	}
	reg, err := s.svc.Fields.Registry(ctx)
	if err != nil {
		return nil, err
	}
	kind, err := importKind(r.URL.Query().Get("kind"), up)
	if err != nil {
		return nil, err
	}
	cols := columnsOf(r.URL.Query().Get, len(header))
	page := &html.ImportPreviewPage{ID: up.ID, File: up.File, Rows: rows, Detail: up.File, Kind: kind,
		Kinds: kindChoices(kind, lang), Channels: channelChoices(dossier.ChannelInternal, lang)}
	if kind == dossier.KindCustomers {
		page.Columns = mappingColumns(reg, header, cols, lang)
	} else {
		page.Columns = kindMappingColumns(kind, header, cols, lang)
	}
	rr, closeRows, err := s.uploads.rows(up)
	if err != nil {
		return nil, err
	}
	defer closeRows()
	im := &dossier.Importer{Store: s.svc.Imports, Opt: dossier.ImportOptions{DryRun: true, Columns: cols}}
	res, err := im.Import(ctx, rr, s.importRun(r, up, kind, dossier.ChannelInternal, up.File))
	if dossier.ErrorCode(err) == dossier.EINVALID {
		page.Error = i18n.T(lang, "import.mapping_refused") + " " + localError(lang, err)
		return page, nil
	}
	if err != nil {
		return nil, err
	}
	page.Imported, page.Updated, page.Rejected, page.Same = res.Run.Imported, res.Run.Updated, res.Run.Rejected, res.Run.Same
	for i, is := range res.Issues {
		if i == shownIssues {
			page.MoreIssues = len(res.Issues) - shownIssues
			break
		}
		page.Issues = append(page.Issues, html.ImportIssueRow{Row: is.Row, Column: is.Column, Value: is.Value,
			Reason: issueReason(is, lang), Rejected: is.Rejected})
	}
	return page, nil
}

// headRows reads the header (the first non-blank row, as the importer
// does) and the first data rows, padded to the header's width.
func (s *Server) headRows(up *upload) ([]string, [][]string, error) {
	rr, closeRows, err := s.uploads.rows(up)
	if err != nil {
		return nil, nil, err
	}
	defer closeRows()
	var header []string
	var rows [][]string
	for len(rows) < previewRows {
		row, err := rr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, dossier.FieldError("file", "%s: %v", up.File, err)
		}
		if isBlank(row) {
			continue
		}
		if header == nil {
			header = row
			continue
		}
		cells := make([]string, len(header))
		copy(cells, row)
		rows = append(rows, cells)
	}
	if header == nil {
		return nil, nil, dossier.InvalidReason("file", "no_header", "%s: %v", up.File, dossier.ErrNoHeader)
	}
	return header, rows, nil
}

func isBlank(row []string) bool {
	for _, c := range row {
		if dossier.CleanText(c) != "" {
			return false
		}
	}
	return true
}

// mappingColumns is each column with what the header mapping detected and
// the drop-down of choices, the user's choice (cols) selected.
func mappingColumns(reg *dossier.Registry, header, cols []string, lang string) []html.ImportColumn {
	fields, unknown := dossier.MapHeader(reg, header)
	isUnknown := map[int]bool{}
	for _, i := range unknown {
		isUnknown[i] = true
	}
	out := make([]html.ImportColumn, len(header))
	for i, h := range header {
		detected := dossier.ColumnIgnore
		switch {
		case fields[i] != nil:
			detected = fields[i].Key
		case isUnknown[i]:
			detected = dossier.ColumnCustom
		}
		sel := cols[i]
		if sel == "" {
			sel = detected
		}
		c := html.ImportColumn{Index: i, Header: dossier.CleanText(h), Selected: sel}
		c.Choices = []html.ColumnChoice{
			{Value: dossier.ColumnIgnore, Label: i18n.T(lang, "import.ignore")},
			{Value: dossier.ColumnCustom, Label: i18n.T(lang, "import.custom")},
		}
		for _, f := range reg.Active() {
			c.Choices = append(c.Choices, html.ColumnChoice{Value: f.Key, Label: fmt.Sprintf("%s (%s)", f.Label(lang), f.Key)})
		}
		for j := range c.Choices {
			c.Choices[j].Selected = c.Choices[j].Value == sel
			if c.Choices[j].Value == detected {
				c.Detected = c.Choices[j].Label
			}
		}
		out[i] = c
	}
	return out
}

func channelChoices(sel dossier.Channel, lang string) []html.ColumnChoice {
	var out []html.ColumnChoice
	for _, c := range dossier.Channels {
		out = append(out, html.ColumnChoice{Value: string(c), Label: channelText(c, lang), Selected: c == sel})
	}
	return out
}

func (s *Server) importRun(r *nethttp.Request, up *upload, kind string, ch dossier.Channel, detail string) dossier.ImportRun {
	u := userOf(r)
	return dossier.ImportRun{File: up.File, Kind: kind, User: u.Name,
		Source: dossier.Source{Channel: ch, Detail: detail, CollectedAt: s.now().UTC(), CollectedBy: u.Name}}
}

// handleImportRun runs the confirmed import with the chosen mapping and
// source, records it as a run and in the audit log, and removes the file.
func (s *Server) handleImportRun(w nethttp.ResponseWriter, r *nethttp.Request) {
	up, err := s.loadUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch, err := dossier.ParseChannel(r.PostFormValue("source"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kind, err := importKind(r.PostFormValue("kind"), up)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	detail := dossier.CleanText(r.PostFormValue("source_detail"))
	if detail == "" {
		detail = up.File
	}
	header, _, err := s.headRows(up)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rr, closeRows, err := s.uploads.rows(up)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	im := &dossier.Importer{Store: s.svc.Imports, Opt: dossier.ImportOptions{Columns: columnsOf(r.PostFormValue, len(header))}}
	res, err := im.Import(r.Context(), rr, s.importRun(r, up, kind, ch, detail))
	closeRows()
	if err == nil {
		err = s.audit(r, dossier.AuditImport, "import", res.Run.ID, fmt.Sprintf("%s: %s", up.File, res.Run.Summary()))
	}
	if err == nil {
		err = s.uploads.done(up, res)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, "/import/"+up.ID+"/result", nethttp.StatusSeeOther)
}

// handleImportResult shows what the import did.
func (s *Server) handleImportResult(w nethttp.ResponseWriter, r *nethttp.Request) {
	up, err := s.loadUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if up.Result == nil {
		nethttp.Redirect(w, r, "/import/"+up.ID, nethttp.StatusSeeOther)
		return
	}
	run := up.Result.Run
	now, err := s.svc.ImportRuns.ImportRunByID(r.Context(), run.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := html.ImportResultPage{Kind: i18n.T(langOf(r), "uiwiz2.kind."+kindOr(run.Kind)), Reverted: !now.Reverted.IsZero(), Base: s.base(w, r, "import.title", "import"), ID: up.ID, File: up.File, RunID: run.ID,
		Imported: run.Imported, Updated: run.Updated, Rejected: run.Rejected, Same: run.Same, Summary: run.Summary(),
		Issues: len(up.Result.Issues)}
	for _, f := range up.Result.NewFields {
		page.NewFields = append(page.NewFields, f.LabelZH+" ("+f.Key+")")
	}
	s.render(w, r, nethttp.StatusOK, "import_result", page)
}

// handleImportErrors downloads the errors file of an import, CSV or XLSX
// (?format=xlsx): the rows with problems as read, with the reason column.
func (s *Server) handleImportErrors(w nethttp.ResponseWriter, r *nethttp.Request) {
	up, err := s.loadUpload(r)
	if err == nil && up.Result == nil {
		err = dossier.Errorf(dossier.ENOTFOUND, "%s has not been imported yet", up.File)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	var tw interface {
		Write([]string) error
		Close() error
	}
	switch format {
	case "", "csv":
		format = "csv"
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		tw, err = csv.NewWriter(w)
	case "xlsx":
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		tw, err = xlsx.NewWriter(w, "errors")
	default:
		err = dossier.FieldError("format", "format %q: use csv or xlsx", format)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="import-%d-errors.%s"`, up.Result.Run.ID, format))
	lang := langOf(r)
	for _, row := range up.Result.ErrorRowsWith(func(is dossier.ImportIssue) string { return issueReason(is, lang) }) {
		if err := tw.Write(row); err != nil {
			s.log.Error("write errors file", "err", err)
			return
		}
	}
	if err := tw.Close(); err != nil {
		s.log.Error("write errors file", "err", err)
	}
}

// handleImportUndo reverts the wizard's import, as `dossier import undo`
// does: the run stops counting, customers it alone created are hidden.
// Only the user who uploaded the file reaches it (the upload is theirs).
func (s *Server) handleImportUndo(w nethttp.ResponseWriter, r *nethttp.Request) {
	up, err := s.loadUpload(r)
	if err == nil && up.Result == nil {
		err = dossier.Errorf(dossier.ENOTFOUND, "%s has not been imported yet", up.File)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.svc.ImportRuns.UndoImport(r.Context(), up.Result.Run.ID, userOf(r).Name, false)
	if err == nil {
		err = s.audit(r, dossier.AuditImportUndo, "import", res.Run.ID,
			fmt.Sprintf("%s: %d customers hidden, %d resolved again", up.File, res.Hidden, res.Resolved))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, "/import/"+up.ID+"/result", nethttp.StatusSeeOther)
}

func kindOr(k string) string {
	if k == "" {
		return dossier.KindCustomers
	}
	return k
}

// kindMappingColumns is mappingColumns for a contacts, interactions or
// projects sheet: the choices are the columns that kind has.
func kindMappingColumns(kind string, header, cols []string, lang string) []html.ImportColumn {
	detected := dossier.DetectKindColumns(kind, header)
	out := make([]html.ImportColumn, len(header))
	for i, h := range header {
		det := detected[i]
		if det == "" {
			det = dossier.ColumnIgnore
		}
		sel := cols[i]
		if sel == "" {
			sel = det
		}
		c := html.ImportColumn{Index: i, Header: dossier.CleanText(h), Selected: sel}
		c.Choices = []html.ColumnChoice{{Value: dossier.ColumnIgnore, Label: i18n.T(lang, "import.ignore")}}
		for _, f := range dossier.KindColumns(kind) {
			c.Choices = append(c.Choices, html.ColumnChoice{Value: f.Key, Label: fmt.Sprintf("%s (%s)", f.Label(lang), f.Key)})
		}
		for j := range c.Choices {
			c.Choices[j].Selected = c.Choices[j].Value == sel
			if c.Choices[j].Value == det {
				c.Detected = c.Choices[j].Label
			}
		}
		out[i] = c
	}
	return out
}

// issueReason is an import problem in the reader's language: the
// catalogue's message for its reason ("uiwiz2.reason.ID"), and whether the
// row was left out. A reason without a message (none should be: a test
// checks every id) falls back to the English text.
func issueReason(is dossier.ImportIssue, lang string) string {
	key := "uiwiz2.reason." + is.ReasonID
	if is.ReasonID == "" || !i18n.Has(lang, key) {
		return is.Reason
	}
	args := make([]any, len(is.Args))
	for i, a := range is.Args {
		args[i] = a
	}
	msg := i18n.T(lang, key, args...)
	if is.Rejected {
		msg = i18n.T(lang, "uiwiz2.row_rejected", msg)
	}
	return msg
}

// localError is a refused request's message in the reader's language when
// it carries a Reason, else the domain message.
func localError(lang string, err error) string {
	rs, ok := dossier.ReasonOf(err)
	if !ok || !i18n.Has(lang, "uiwiz2.reason."+rs.ID) {
		return dossier.ErrorMessage(err)
	}
	msg := issueReason(dossier.ImportIssue{ReasonID: rs.ID, Args: rs.Args, Reason: rs.Text}, lang)
	// A value refused by a field's parser names the field, as
	// ErrorMessage does; the other reasons say what they are about.
	var e *dossier.Error
	if errors.As(err, &e) && e.Field != "" && dossier.IsValueReason(rs.ID) {
		msg = e.Field + ": " + msg
	}
	return msg
}
