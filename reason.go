package dossier

import (
	"errors"
	"fmt"
)

// Reason is an error that a person reads: English text for the command
// line and the logs, and a message id with its arguments, which the web
// pages look up in the catalogues ("reason.ID" in i18n) so that a Chinese
// page says in Chinese why a value or a row was refused. The value parsers
// and the importer return Reasons; ReasonOf finds one in an error chain.
type Reason struct {
	ID   string
	Args []string
	Text string
}

func (r *Reason) Error() string { return r.Text }

// reasonf returns a Reason with id whose English text is format applied to
// args; the arguments are kept as text for the catalogue's {0}, {1}, ….
func reasonf(id, format string, args ...any) *Reason {
	as := make([]string, len(args))
	for i, a := range args {
		as[i] = fmt.Sprint(a)
	}
	return &Reason{ID: id, Args: as, Text: fmt.Sprintf(format, args...)}
}

// ReasonOf returns the first Reason in err's chain.
func ReasonOf(err error) (*Reason, bool) {
	var r *Reason
	if errors.As(err, &r) {
		return r, true
	}
	return nil, false
}

// valueReasonIDs are the reasons of the value parsers (Field.Canonical).
var valueReasonIDs = []string{
	"not_number", "not_percent", "not_amount", "too_large", "not_range", "range_reversed", "not_date",
	"not_calendar_date", "not_timeline", "no_such_month", "year_out_of_range", "not_email", "empty_phone",
	"not_phone", "not_option", "not_rating", "code_length", "code_char", "code_check",
}

var valueReasons = map[string]bool{}

func init() {
	for _, id := range valueReasonIDs {
		valueReasons[id] = true
	}
}

// IsValueReason reports whether id is the reason of a value refused by a
// field's parser, which a message names the field for.
func IsValueReason(id string) bool { return valueReasons[id] }

// ReasonIDs lists the id of every Reason the parsers and the importer
// give, so a test can check that each has a message in every catalogue.
var ReasonIDs = append(valueReasonIDs[:len(valueReasonIDs):len(valueReasonIDs)],
	"no_name", "no_customer_found", "bad_customer_id", "no_customer_ref", "no_contact_name", "no_date",
	"no_project_name", "ends_before_start", "column_no_field", "columns_same_field", "column_not_in_kind",
	"unknown_kind", "file_empty", "no_file", "file_too_large", "not_multipart", "no_header",
	"field_key_format", "field_no_label", "field_category", "field_type", "field_no_options", "field_help_long",
	"field_option_empty", "field_option_twice", "field_builtin", "field_type_fixed", "field_exists", "field_stale", "field_position",
	"user_role", "user_no_name", "user_password_short", "user_exists", "last_admin", "user_self", "owner_deactivated",
)

// reasonError is an EINVALID error about field whose message is r's.
func reasonError(field string, r *Reason) *Error {
	return &Error{Code: EINVALID, Field: field, Message: r.Text, Cause: r}
}

// ReasonErrorf is a domain error with code about field whose message is
// a catalogue message (id) with the English text format gives.
func ReasonErrorf(code, field, id, format string, args ...any) *Error {
	e := reasonError(field, reasonf(id, format, args...))
	e.Code = code
	return e
}

// InvalidReason is an EINVALID error about field with a catalogue message
// id, for the layers above the domain (the web wizard's upload checks).
func InvalidReason(field, id, format string, args ...any) *Error {
	return reasonError(field, reasonf(id, format, args...))
}

// Unwrap gives the cause of a domain error, such as the Reason a field's
// parser gave.
func (e *Error) Unwrap() error { return e.Cause }
