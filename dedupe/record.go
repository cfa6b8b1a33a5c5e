package dedupe

import (
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// customerFields are the profile fields that say which company a customer
// is; the others (revenue, stage, owner …) legitimately differ between two
// entries of one company.
var customerFields = []string{"credit_code", "province", "city", "address", "industry"}

// CustomerRecord turns a stored customer and its contacts into a Record
// keyed by the customer's id: the name and identity fields of the profile,
// and the phones and e-mails of all its contacts as lists (two entries of
// one company often share one contact, rarely all).
func CustomerRecord(c *dossier.Customer, contacts []dossier.Contact) Record {
	fs := map[string]string{"name": c.Name}
	for _, k := range customerFields {
		if v := c.Value(k); v != "" {
			fs[k] = v
		}
	}
	if fs["industry"] == "" && c.Industry != "" {
		fs["industry"] = c.Industry
	}
	var phones, emails []string
	for _, ct := range contacts {
		if ct.Phone != "" {
			phones = append(phones, ct.Phone)
		}
		if ct.Email != "" {
			emails = append(emails, ct.Email)
		}
	}
	if len(phones) > 0 {
		fs["contact_phone"] = strings.Join(phones, ";")
	}
	if len(emails) > 0 {
		fs["contact_email"] = strings.Join(emails, ";")
	}
	return Record{ID: strconv.FormatInt(c.ID, 10), Fields: fs}
}
