package html

func init() { Pages = append(Pages, "import", "import_preview", "import_result", "registry") }

// ImportPage is the wizard's first step: the upload form.
type ImportPage struct {
	Base
	MaxMB int
	Error string // already translated
	Kinds []ColumnChoice
}

// ColumnChoice is one entry of a column's mapping drop-down.
type ColumnChoice struct {
	Value, Label string
	Selected     bool
}

// ImportColumn is one column of the uploaded sheet with its mapping.
type ImportColumn struct {
	Index    int
	Header   string
	Detected string // what the header mapping found, as a label
	Choices  []ColumnChoice
	Selected string // the value sent on confirm
}

// ImportIssueRow is one problem the dry run found.
type ImportIssueRow struct {
	Row                   int
	Column, Value, Reason string // Reason in the reader's language
	Rejected              bool   // the whole row is left out
}

// ImportPreviewPage shows the first rows, the mapping and the dry run.
type ImportPreviewPage struct {
	Base
	ID, File                    string
	Columns                     []ImportColumn
	Rows                        [][]string
	Imported, Updated, Rejected int
	Same                        int
	Issues                      []ImportIssueRow
	MoreIssues                  int    // issues found but not listed
	Error                       string // a mapping refused, already translated
	Channels                    []ColumnChoice
	Detail                      string
	Kind                        string         // what the file holds (dossier.ImportKinds)
	Kinds                       []ColumnChoice // to read it as another kind
}

// ImportResultPage is the outcome of a confirmed import.
type ImportResultPage struct {
	Base
	ID, File                    string
	RunID                       int64
	Imported, Updated, Rejected int
	Same                        int
	Summary                     string // the CLI's line, "imported N, updated N, rejected N"
	Issues                      int
	NewFields                   []string
	Reverted                    bool   // the run was undone
	Kind                        string // what the file held, as a label
}

// RegistryField is one row of the field registry editor.
type RegistryField struct {
	Key, Label, LabelZH, LabelEN string
	Category, Type, Options      string
	Required, KeyFact, Builtin   bool
	Retired                      bool
	Help                         string
}

// RegistryPage lists the field registry and the form to add a field (R31).
type RegistryPage struct {
	Base
	Fields     []RegistryField
	Categories []ColumnChoice
	Types      []ColumnChoice
	Added      string
	Error      string // already translated, with the domain message
	Form       map[string]string
}
