package dossier

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Segment is a saved customer filter (SPEC R21): a name for an expression of
// the segment language, e.g. "重点制造业" for "industry = 制造业 AND grade = 重点".
// A segment is its owner's unless shared with everyone.
type Segment struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Expression string    `json:"expression"`
	Owner      string    `json:"owner"`
	Shared     bool      `json:"shared"`
	CreatedAt  time.Time `json:"created_at"`
	Version    int64     `json:"version"` // changes and deletes name it (migration 016)
}

// Validate checks the parts of a segment that do not need the registry.
func (s *Segment) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.Name == "":
		return FieldError("name", "a segment needs a name")
	case utf8.RuneCountInString(s.Name) > 100:
		return FieldError("name", "a segment name has at most 100 characters")
	case strings.TrimSpace(s.Expression) == "":
		return FieldError("expression", "a segment needs a filter expression")
	}
	return nil
}

// VisibleTo reports whether u may see and use the segment.
func (s *Segment) VisibleTo(u *User) bool { return s.Shared || s.Owner == u.Name }

// SegmentService stores saved segments.
type SegmentService interface {
	// CreateSegment checks the expression against the registry (EINVALID with
	// its position) and stores the segment; ECONFLICT when the name is taken.
	CreateSegment(ctx context.Context, s *Segment) error
	// Segments returns the segments visible to the user named owner (their
	// own and the shared ones), by name; all of them when owner is "".
	Segments(ctx context.Context, owner string) ([]Segment, error)
	// FindSegment returns ENOTFOUND when there is no segment of that name.
	FindSegment(ctx context.Context, name string) (*Segment, error)
}
