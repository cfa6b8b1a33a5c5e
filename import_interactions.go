package dossier

import (
	"strconv"
	"strings"
)

// Import kinds.
const (
	KindCustomers    = "customers"
	KindInteractions = "interactions"
	KindContacts     = "contacts"
)

// interactionColumns maps the header names of an interactions sheet to the
// keys of a record: "id", the customer's name and credit code, and the
// interaction fields of the registry.
var interactionColumns = map[string]string{
	"id": "id", "customer_id": "id", "客户id": "id", "客户编号": "id",
	"customer": "name", "客户": "name", "name": "name",
	"date": "last_contact_date", "日期": "last_contact_date",
	"channel": "last_contact_channel", "方式": "last_contact_channel",
	"summary": "last_contact_summary", "摘要": "last_contact_summary", "内容": "last_contact_summary",
	"feedback": "feedback", "contact": "contact_name",
}

// InteractionColumn returns the record key of an interactions header cell,
// or "" when the column is not one an interaction has.
func InteractionColumn(reg *Registry, header string) string {
	h := strings.ToLower(strings.TrimSuffix(CleanText(header), "*"))
	if k, ok := interactionColumns[h]; ok {
		return k
	}
	if f, ok := reg.Lookup(h); ok {
		switch f.Key {
		case "name", "credit_code", "contact_name", "contact_title", "contact_role", "contact_phone", "contact_email",
			"last_contact_date", "last_contact_channel", "last_contact_summary", "feedback":
			return f.Key
		}
	}
	return ""
}

// interactionRows returns the normaliser of interaction and contact rows: a
// row needs a customer (id, credit code or name) and a valid date (an
// interaction) or a name (a contact); other bad values are reported and left
// out. Unknown columns are ignored: these records have no custom fields.
func interactionRows(header []string, kind string) rowFunc {
	reg := NewRegistry(nil)
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = InteractionColumn(reg, h)
	}
	return func(row []string, line int, issues *[]ImportIssue) (ImportRecord, bool) {
		rec := ImportRecord{Row: line, Kind: kind, cells: row,
			Entry: Entry{Customer: map[string]string{}, Contact: map[string]string{}, Interaction: map[string]string{}, Remarks: map[string]Remark{}}}
		reject := func(reason string) (ImportRecord, bool) {
			*issues = append(*issues, ImportIssue{Row: line, Reason: reason, Cells: row})
			return ImportRecord{}, false
		}
		for i, k := range keys {
			if k == "" || i >= len(row) || CleanText(row[i]) == "" {
				continue
			}
			if k == "id" {
				id, err := strconv.ParseInt(CleanText(row[i]), 10, 64)
				if err != nil || id <= 0 {
					return reject("customer id " + strconv.Quote(row[i]) + " is not a number: row rejected")
				}
				rec.CustomerID = id
				continue
			}
			one, err := reg.Normalize(map[string]string{k: row[i]}, nil)
			if err != nil {
				if k == "last_contact_date" && kind == KindInteractions {
					return reject(reason(err) + ": row rejected")
				}
				*issues = append(*issues, ImportIssue{Row: line, Column: CleanText(header[i]), Value: row[i], Reason: reason(err), Cells: row})
				continue
			}
			merge(rec.Entry.Customer, one.Customer)
			merge(rec.Entry.Contact, one.Contact)
			merge(rec.Entry.Interaction, one.Interaction)
		}
		switch {
		case rec.CustomerID == 0 && rec.Entry.Customer["name"] == "" && rec.Entry.Customer["credit_code"] == "":
			return reject("no customer (name, credit code or id): row rejected")
		case kind == KindContacts && rec.Entry.Contact["contact_name"] == "":
			return reject("no contact name: row rejected")
		case kind == KindInteractions && rec.Entry.Interaction["last_contact_date"] == "":
			return reject("no date: row rejected")
		}
		return rec, true
	}
}
