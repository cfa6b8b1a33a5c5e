package rules

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/dossier/dossier"
)

// maxNodes bounds the size of one expression, so a pasted monster is
// refused at save; the VM's memory budget bounds what one run may build
// (1..1e9 ranges and the like), so no rule can run away at evaluation.
const (
	maxNodes     = 2000
	memoryBudget = 100_000
)

// CompileError is a rule refused at save, with the position of the error
// in its expression (1-based line and column).
type CompileError struct {
	Kind, Rule, Part string
	Line, Column     int
	Message          string
}

func (e *CompileError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s rule %q, %s: %s", e.Kind, e.Rule, e.Part, e.Message)
	}
	return fmt.Sprintf("%s rule %q, %s: line %d, column %d: %s", e.Kind, e.Rule, e.Part, e.Line, e.Column, e.Message)
}

// program is one compiled expression and the variables it reads, which are
// what its explanation shows.
type program struct {
	rule, part string
	src        string
	prog       *vm.Program
	idents     []string
	wholeEnv   bool // reads $env: any variable, not only idents
}

// compiler compiles expressions against one typed environment.
type compiler struct {
	env  map[string]any
	opts []expr.Option
}

func newCompiler(vars []Variable) *compiler {
	env := typeEnv(vars)
	return &compiler{env: env, opts: append(functions(), expr.Env(env), expr.MaxNodes(maxNodes))}
}

func (c *compiler) compile(kind, rule, part, src string, as expr.Option) (*program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &CompileError{Kind: kind, Rule: rule, Part: part, Message: "the expression is empty"}
	}
	p, err := expr.Compile(src, append(slices.Clone(c.opts), as)...)
	if err != nil {
		ce := &CompileError{Kind: kind, Rule: rule, Part: part, Message: err.Error()}
		var fe *file.Error
		if errors.As(err, &fe) {
			ce.Line, ce.Column, ce.Message = fe.Line, fe.Column+1, fe.Message
		}
		return nil, ce
	}
	idents, whole := identifiers(p.Node(), c.env)
	return &program{rule: rule, part: part, src: src, prog: p, idents: idents, wholeEnv: whole}, nil
}

// identifiers lists the environment variables an expression reads, sorted,
// and whether it reads the environment as a whole ($env).
func identifiers(n ast.Node, env map[string]any) ([]string, bool) {
	v := &identVisitor{env: env, seen: map[string]bool{}}
	ast.Walk(&n, v)
	slices.Sort(v.names)
	return v.names, v.whole
}

type identVisitor struct {
	env   map[string]any
	seen  map[string]bool
	names []string
	whole bool
}

func (v *identVisitor) Visit(n *ast.Node) {
	id, ok := (*n).(*ast.IdentifierNode)
	if !ok || v.seen[id.Value] {
		return
	}
	v.whole = v.whole || id.Value == "$env"
	if _, inEnv := v.env[id.Value]; inEnv {
		v.seen[id.Value] = true
		v.names = append(v.names, id.Value)
	}
}

// functions are the helpers rules may call beyond expr's built-ins, and the
// division operator replaced by one that refuses a zero divisor: x / 0 would
// otherwise be +Inf and "debt / 0 > 70" would silently hold.
func functions() []expr.Option {
	return []expr.Option{
		expr.Function("sprintf", func(p ...any) (any, error) {
			format, ok := p[0].(string)
			if !ok {
				return nil, errors.New("sprintf: the format must be a string")
			}
			return fmt.Sprintf(format, p[1:]...), nil
		}, new(func(string, ...any) string)),
		expr.Function("wan", func(p ...any) (any, error) {
			f, ok := toFloat(p[0])
			if !ok {
				return nil, fmt.Errorf("wan: %v is not a number", p[0])
			}
			return dossier.Money(f).Wan(), nil
		}, new(func(float64) string), new(func(int) string)),
		expr.Function("safe_div", func(p ...any) (any, error) {
			a, _ := toFloat(p[0])
			b, _ := toFloat(p[1])
			if b == 0 {
				return nil, errors.New("division by zero")
			}
			return a / b, nil
		}, new(func(float64, float64) float64), new(func(int, int) float64),
			new(func(float64, int) float64), new(func(int, float64) float64)),
		expr.Operator("/", "safe_div"),
		// "x" in tags: expr's own in walks a typed list through reflection,
		// allocating a copy of every element it compares (a tenth of the
		// rules' allocations). A string in a list of strings is the common
		// case (tags, need types); the result is the same (== on strings).
		expr.Function("in_strings", func(p ...any) (any, error) {
			s, _ := p[0].(string)
			list, _ := p[1].([]string)
			return slices.Contains(list, s), nil
		}, new(func(string, []string) bool)),
		expr.Operator("in", "in_strings"),
	}
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

var (
	asBool   = expr.AsBool()
	asString = expr.AsKind(reflect.String)
	asNumber = expr.AsFloat64()
)

// run evaluates a program over env. A runtime failure (a field unknown for
// this customer, a division by zero, the memory budget) becomes a
// RuleError naming the rule; the caller leaves the result out.
func (e *Engine) run(p *program, env map[string]any) (out any, rerr *dossier.RuleError) {
	defer func() {
		if r := recover(); r != nil {
			rerr = &dossier.RuleError{Rule: p.rule, Message: fmt.Sprintf("%s: %v", p.part, r)}
		}
	}()
	e.vm.MemoryBudget = memoryBudget
	v, err := e.vm.Run(p.prog, env)
	if err != nil {
		return nil, &dossier.RuleError{Rule: p.rule, Message: p.part + ": " + runMessage(err, p, env)}
	}
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return nil, &dossier.RuleError{Rule: p.rule, Message: p.part + ": the result is not a finite number"}
	}
	return v, nil
}

// runMessage says which inputs were unknown when that is why a rule failed,
// which is the common case and the one a person can fix.
func runMessage(err error, p *program, env map[string]any) string {
	var missing []string
	for _, id := range p.idents {
		if env[id] == nil {
			missing = append(missing, id)
		}
	}
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fmt.Sprintf("line %d, column %d: %s", fe.Line, fe.Column+1, fe.Message)
	}
	if len(missing) > 0 && strings.Contains(msg, "<nil>") {
		return "unknown input " + strings.Join(missing, ", ") + " (" + msg + ")"
	}
	return msg
}

// inputs renders the variables an expression read, for its explanation.
func inputs(p *program, env map[string]any) string {
	parts := make([]string, 0, len(p.idents))
	for _, id := range p.idents {
		parts = append(parts, id+"="+render(env[id]))
	}
	return strings.Join(parts, ", ")
}

func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "?"
	case float64:
		return dossier.FormatNumber(x)
	case []string:
		return "[" + strings.Join(x, ";") + "]"
	case string:
		if x == "" {
			return `""`
		}
		return x
	}
	return fmt.Sprint(v)
}

// vmRunner is expr's VM, reused across runs to save allocations.
type vmRunner = vm.VM
