package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dossier/dossier"
)

// Backend is what the rules service needs of a store.
type Backend interface {
	Store
	SaveRulePart(ctx context.Context, kind string, body []byte, by string) (int, error)
	Setting(ctx context.Context, key string, v any) (bool, error)
	AnalyzeCustomer(ctx context.Context, id int64, asOf time.Time, s dossier.ScoreSettings, an dossier.Analyzer) (*dossier.Analysis, error)
	FindRisks(ctx context.Context, customerID int64, open bool) ([]dossier.Risk, error)
	FindTasks(ctx context.Context, f dossier.TaskFilter) ([]dossier.Task, error)
	ScoreHistory(ctx context.Context, customerID int64) ([]dossier.HistoryEntry, error)
	UpdateTask(ctx context.Context, id int64, upd dossier.TaskUpdate, by string) (*dossier.Task, error)
	SetManualTag(ctx context.Context, customerID int64, tag string, remove bool) error
}

// Service implements dossier.AnalysisService over a store. It reads the
// rule versions and the registry for each request, so a saved version
// applies at once and several servers sharing a database agree, and
// compiles only when they changed.
type Service struct {
	b      Backend
	mu     sync.Mutex
	key    string // rule versions and registry the cached engine was built from
	engine *Engine
}

// NewService returns the analysis service of a store.
func NewService(b Backend) *Service { return &Service{b: b} }

var _ dossier.AnalysisService = (*Service)(nil)

// Analyze implements dossier.AnalysisService.
func (s *Service) Analyze(ctx context.Context, id int64, asOf time.Time) (*dossier.Analysis, error) {
	e, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	settings := dossier.DefaultScoreSettings()
	if _, err := s.b.Setting(ctx, dossier.ScoreSettingsKey, &settings); err != nil {
		return nil, err
	}
	return s.b.AnalyzeCustomer(ctx, id, asOf, settings, e)
}

// current returns an engine for the stored rules, compiling them only when
// a kind's version or the registry changed since the last call.
func (s *Service) current(ctx context.Context) (*Engine, error) {
	parts, err := s.b.RuleParts(ctx)
	if err != nil {
		return nil, err
	}
	reg, err := s.b.Registry(ctx)
	if err != nil {
		return nil, err
	}
	var key strings.Builder
	for _, k := range Kinds {
		fmt.Fprintf(&key, "%s:%d;", k, parts[k].Version)
	}
	for _, f := range reg.Fields() {
		fmt.Fprintf(&key, "%s:%s:%t;", f.Key, f.Type, f.Retired)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.engine != nil && s.key == key.String() {
		return s.engine.Clone(), nil // an Engine serves one goroutine
	}
	set, err := FromStored(parts)
	if err != nil {
		return nil, err
	}
	e, err := Compile(set, reg.Fields())
	if err != nil {
		return nil, fmt.Errorf("the saved rules no longer compile (was a field retired?): %w", err)
	}
	s.key, s.engine = key.String(), e
	return e.Clone(), nil
}

// FindRisks implements dossier.AnalysisService.
func (s *Service) FindRisks(ctx context.Context, id int64, open bool) ([]dossier.Risk, error) {
	return s.b.FindRisks(ctx, id, open)
}

// ScoreHistory implements dossier.AnalysisService.
func (s *Service) ScoreHistory(ctx context.Context, id int64) ([]dossier.HistoryEntry, error) {
	return s.b.ScoreHistory(ctx, id)
}

// FindTasks implements dossier.AnalysisService.
func (s *Service) FindTasks(ctx context.Context, f dossier.TaskFilter) ([]dossier.Task, error) {
	return s.b.FindTasks(ctx, f)
}

// UpdateTask implements dossier.AnalysisService.
func (s *Service) UpdateTask(ctx context.Context, id int64, upd dossier.TaskUpdate, by string) (*dossier.Task, error) {
	return s.b.UpdateTask(ctx, id, upd, by)
}

// SetManualTag implements dossier.AnalysisService.
func (s *Service) SetManualTag(ctx context.Context, id int64, tag string, remove bool) error {
	return s.b.SetManualTag(ctx, id, tag, remove)
}

// RuleKinds implements dossier.AnalysisService.
func (s *Service) RuleKinds(ctx context.Context) ([]dossier.RuleKind, error) {
	parts, err := s.b.RuleParts(ctx)
	if err != nil {
		return nil, err
	}
	set, err := FromStored(parts)
	if err != nil {
		return nil, err
	}
	out := make([]dossier.RuleKind, 0, len(Kinds))
	for _, k := range Kinds {
		b, _ := set.Part(k)
		out = append(out, dossier.RuleKind{Kind: k, Version: set.Versions[k], Body: string(b), Count: set.Count(k)})
	}
	return out, nil
}

// SaveRules implements dossier.AnalysisService.
func (s *Service) SaveRules(ctx context.Context, kind string, body []byte, by string) (int, error) {
	parts, err := s.b.RuleParts(ctx)
	if err != nil {
		return 0, err
	}
	set, err := FromStored(parts)
	if err != nil {
		return 0, err
	}
	reg, err := s.b.Registry(ctx)
	if err != nil {
		return 0, err
	}
	canon, err := Validate(set, kind, body, reg.Fields())
	var ce *CompileError
	if errors.As(err, &ce) {
		return 0, &dossier.Error{Code: dossier.EINVALID, Message: ce.Error()}
	} else if err != nil {
		return 0, err
	}
	return s.b.SaveRulePart(ctx, kind, canon, by)
}
