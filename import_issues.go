package dossier

import (
	"fmt"
	"slices"
)

// ErrorRows is the errors file of an import, header first: each row that
// had an issue, as read, with a reason column (第N行: 列 "值": 原因) that a
// re-import ignores, so the user fixes the cells and imports the file again.
// The CLI's --errors and the web wizard's download both write these rows.
func (res *ImportResult) ErrorRows() [][]string {
	return res.ErrorRowsWith(func(is ImportIssue) string { return is.Reason })
}

// ErrorRowsWith is ErrorRows with each issue's reason as reason gives it:
// the web wizard's file says it in the reader's language.
func (res *ImportResult) ErrorRowsWith(reason func(ImportIssue) string) [][]string {
	out := [][]string{append(slices.Clone(res.Header), errorColumn)}
	last := -1
	for _, is := range res.Issues {
		r := fmt.Sprintf("第%d行: %s", is.Row, reason(is))
		if is.Column != "" {
			r = fmt.Sprintf("第%d行: %s %q: %s", is.Row, is.Column, is.Value, reason(is))
		}
		if is.Row == last {
			out[len(out)-1][len(res.Header)] += "; " + r
			continue
		}
		last = is.Row
		cells := make([]string, len(res.Header)+1)
		copy(cells, is.Cells)
		cells[len(res.Header)] = r
		out = append(out, cells)
	}
	return out
}
