package dossier

import (
	"context"
	"time"
)

// Audit actions (DESIGN idea 7): who looked at or changed what.
const (
	AuditContactView     = "contact.view"     // personal data of a customer's contacts shown unmasked
	AuditContactExport   = "contact.export"   // everything held about one contact exported (PIPL)
	AuditContactErase    = "contact.erase"    // a contact's personal data erased (PIPL)
	AuditCustomerCreate  = "customer.create"  // a customer created
	AuditCustomerUpdate  = "customer.update"  // a customer changed
	AuditCustomerMerge   = "customer.merge"   // one customer merged into another
	AuditCustomerUnmerge = "customer.unmerge" // a merge undone
	AuditSignIn          = "signin.ok"
	AuditSignInFailed    = "signin.failed"
	AuditTokenCreate     = "token.create"
	AuditUserCreate      = "user.create"
	AuditImport          = "data.import"         // a file imported (CLI or UI)
	AuditExport          = "data.export"         // customers exported to a file
	AuditImportUndo      = "data.import.undo"    // an import reverted
	AuditImportRestore   = "data.import.restore" // a reverted import put back in force
	AuditSurveyLink      = "survey.link"         // a questionnaire link made for a customer
	AuditSurveyAnswer    = "survey.answer"       // a customer answered a questionnaire
)

// AuditActions lists every action, for search forms.
var AuditActions = []string{AuditContactView, AuditContactExport, AuditContactErase, AuditCustomerCreate,
	AuditCustomerUpdate, AuditCustomerMerge, AuditCustomerUnmerge, AuditSignIn, AuditSignInFailed, AuditTokenCreate, AuditUserCreate, AuditImport, AuditExport,
	AuditImportUndo, AuditImportRestore, AuditSurveyLink, AuditSurveyAnswer}

// AuditEntry is one line of the audit log. Entries are never changed or
// deleted; the store refuses to.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	User       string    `json:"user"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity,omitempty"` // "customer", "contact", "user"
	EntityID   int64     `json:"entity_id,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	RemoteAddr string    `json:"remote_addr,omitempty"`
}

// AuditFilter selects audit entries, newest first. Zero fields do not filter.
type AuditFilter struct {
	User   string
	Action string
	Offset int
	Limit  int
	// Before continues the log past this entry id (keyset paging, newest
	// first; Offset is then ignored).
	Before int64
}

// AuditService appends to and searches the audit log.
type AuditService interface {
	// RecordAudit appends an entry; At is set by the store.
	RecordAudit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns one page of entries, newest first, and the number matching.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
}

// ErasedName replaces the name of a contact whose personal data was erased
// on request (PIPL); the row stays, so the customer's history still adds up.
const ErasedName = "已删除"

// PersonalData is everything held about one contact, for a PIPL access
// request: the contact with its source, the customer it belongs to, and the
// interactions recorded with it.
type PersonalData struct {
	Contact      Contact       `json:"contact"`
	CustomerID   int64         `json:"customer_id"`
	CustomerName string        `json:"customer_name"`
	Interactions []Interaction `json:"interactions"`
}

// PersonalDataService answers PIPL requests about one contact.
type PersonalDataService interface {
	// PersonalData returns everything held about a contact; ENOTFOUND if none.
	PersonalData(ctx context.Context, contactID int64) (*PersonalData, error)
	// EraseContact blanks a contact's name, phone, e-mail and preferences and
	// appends the audit entry in the same transaction; ENOTFOUND if none.
	EraseContact(ctx context.Context, contactID int64, e *AuditEntry) error
}
