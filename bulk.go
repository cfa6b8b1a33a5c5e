package dossier

import "context"

// BulkCustomer is one customer with everything known about it, as a generator
// or an importer hands it to a BulkLoader. ID is set by the producer.
type BulkCustomer struct {
	Customer     Customer
	Observations []Observation
	Contacts     []Contact
	Interactions []Interaction
	Needs        []Need
	Projects     []Project
}

// BulkLoader writes many new customers at raw-loader speed: one transaction
// per batch, COPY where the store has it. A batch lands whole or not at all.
type BulkLoader interface {
	// NextCustomerID returns the first free customer id.
	NextCustomerID(ctx context.Context) (int64, error)
	// LoadCustomers stores a batch of new customers, their observations and
	// records. The profile columns are taken from Customer.Values, which the
	// producer resolved from the observations.
	LoadCustomers(ctx context.Context, batch []BulkCustomer) error
	// FinishLoad brings derived data (sequences, statistics) up to date.
	FinishLoad(ctx context.Context) error
}

// FieldService stores the custom fields of the registry (R31).
type FieldService interface {
	// Registry returns the built-in fields and the custom ones.
	Registry(ctx context.Context) (*Registry, error)
	// SaveField adds or changes a custom field (label, options, position,
	// retired). Changing a field never touches the facts that use its key.
	SaveField(ctx context.Context, f Field) error
	// EditField saves a change to a custom field as SaveField does and
	// records by as its author; it returns the field's new version.
	EditField(ctx context.Context, f Field, by string) (int, error)
	// FieldVersions returns a field's saved definitions, newest first.
	FieldVersions(ctx context.Context, key string) ([]FieldVersion, error)
}
