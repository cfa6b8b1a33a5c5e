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
func interactionRows(header, keys []string, kind string) rowFunc {
	reg := NewRegistry(nil)
	return func(row []string, line int, issues *[]ImportIssue) (ImportRecord, bool) {
		rec := ImportRecord{Row: line, Kind: kind, cells: row,
			Entry: Entry{Customer: map[string]string{}, Contact: map[string]string{}, Interaction: map[string]string{}, Remarks: map[string]Remark{}}}
		reject := func(r *Reason) (ImportRecord, bool) {
			*issues = append(*issues, rowIssue(line, r, row))
			return ImportRecord{}, false
		}
		for i, k := range keys {
			if k == "" || i >= len(row) || CleanText(row[i]) == "" {
				continue
			}
			if k == "id" {
				id, err := strconv.ParseInt(CleanText(row[i]), 10, 64)
				if err != nil || id <= 0 {
					return reject(reasonf("bad_customer_id", "customer id %q is not a number", row[i]))
				}
				rec.CustomerID = id
				continue
			}
			one, err := reg.Normalize(map[string]string{k: row[i]}, nil)
			if err != nil {
				if k == "last_contact_date" && kind == KindInteractions {
					is := valueIssue(line, CleanText(header[i]), row[i], err, row)
					is.Reason, is.Rejected = is.Reason+": row rejected", true
					*issues = append(*issues, is)
					return ImportRecord{}, false
				}
				*issues = append(*issues, valueIssue(line, CleanText(header[i]), row[i], err, row))
				continue
			}
			merge(rec.Entry.Customer, one.Customer)
			merge(rec.Entry.Contact, one.Contact)
			merge(rec.Entry.Interaction, one.Interaction)
		}
		switch {
		case rec.CustomerID == 0 && rec.Entry.Customer["name"] == "" && rec.Entry.Customer["credit_code"] == "":
			return reject(reasonf("no_customer_ref", "no customer (name, credit code or id)"))
		case kind == KindContacts && rec.Entry.Contact["contact_name"] == "":
			return reject(reasonf("no_contact_name", "no contact name"))
		case kind == KindInteractions && rec.Entry.Interaction["last_contact_date"] == "":
			return reject(reasonf("no_date", "no date"))
		}
		return rec, true
	}
}
