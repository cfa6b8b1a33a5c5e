package http

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// The decision chain diagram of the profile (SPEC R2.2 and R2.4, issue #7
// screen 3): the customer's decision process as a flow of approval steps,
// and its contacts by their role in the decision, drawn as inline SVG on
// the server. Server-side SVG needs no script (the pages work without one),
// prints in the report, and html/template escapes every name in it; the
// layout is a few rows of boxes, which does not need a graph library.

// Box sizes of the diagram, in SVG user units.
const (
	chainBoxW, chainBoxH = 150, 46
	chainGapX, chainGapY = 24, 56
	chainPad             = 12
	chainMaxRunes        = 11 // a longer name or title is cut with "…"
)

// chainLevel places a decision role on a row: the decision maker at the
// top, those who shape the decision in the middle, users at the bottom.
func chainLevel(role string) int {
	switch role {
	case "decision_maker":
		return 0
	case "user":
		return 2
	}
	return 1
}

// chainSteps splits a decision process ("业务部门提需求→IT部门评估→总经理审批")
// into its steps; a text without arrows is one step.
var chainArrow = regexp.MustCompile(`\s*(?:→|->|=>|＞|>|⇒)\s*`)

func chainSteps(process string) []string {
	var out []string
	for _, s := range chainArrow.Split(strings.TrimSpace(process), -1) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// decisionChain lays out the diagram of c's contacts and decision process.
// It is nil when there is nothing to draw; with contacts but no decision
// maker, a dashed placeholder stands where the decision maker belongs and
// NoDecisionMaker is set, so the page warns.
func decisionChain(c *dossier.Customer, cs []dossier.Contact, lang string) *html.ChainView {
	steps := chainSteps(c.Value("decision_process"))
	if len(cs) == 0 && len(steps) == 0 {
		return nil
	}
	v := &html.ChainView{Factors: dossier.SplitTags(c.Value("decision_factors"))}
	y := chainPad
	if len(steps) > 0 {
		y = layoutSteps(v, steps, y) + chainGapY/2
	}
	if len(cs) > 0 {
		y = layoutContacts(v, cs, lang, y)
	}
	v.Height = y + chainPad
	v.Width = max(v.Width, 2*chainPad+chainBoxW)
	return v
}

// layoutSteps draws the approval steps left to right from top y, each
// joined to the next by an arrow, and returns the bottom of the row.
func layoutSteps(v *html.ChainView, steps []string, y int) int {
	for i, st := range steps {
		x := chainPad + i*(chainBoxW+chainGapX)
		v.Nodes = append(v.Nodes, html.ChainNode{X: x, Y: y, W: chainBoxW, H: chainBoxH, Class: "step",
			Line1: strings.TrimSpace(cut(st)), Full: st, TextX: x + chainBoxW/2})
		if i > 0 {
			v.Edges = append(v.Edges, html.ChainEdge{X1: x - chainGapX, Y1: y + chainBoxH/2, X2: x, Y2: y + chainBoxH/2, Class: "flow"})
		}
		v.Width = max(v.Width, x+chainBoxW+chainPad)
	}
	v.Steps = len(steps)
	return y + chainBoxH
}

// layoutContacts draws the contacts in three rows by decision level from
// top y, each joined to the decision makers above (or the placeholder),
// and returns the bottom of the last row.
func layoutContacts(v *html.ChainView, cs []dossier.Contact, lang string, y int) int {
	var rows [3][]dossier.Contact
	for _, c := range cs {
		l := chainLevel(c.Role)
		rows[l] = append(rows[l], c)
	}
	// The technical contact first in the middle row: users hang off it.
	slices.SortStableFunc(rows[1], func(a, b dossier.Contact) int { return cmp.Compare(roleRank(a.Role), roleRank(b.Role)) })
	v.NoDecisionMaker = len(rows[0]) == 0
	widest := max(len(rows[0]), len(rows[1]), len(rows[2]), 1)
	rowW := widest*(chainBoxW+chainGapX) - chainGapX
	var tops [3][]html.ChainNode
	for l := range rows {
		n := len(rows[l])
		if l == 0 && n == 0 {
			n = 1 // the missing decision maker's placeholder
		}
		if n == 0 {
			continue
		}
		x0 := chainPad + (rowW-(n*(chainBoxW+chainGapX)-chainGapX))/2
		for i := range n {
			x := x0 + i*(chainBoxW+chainGapX)
			node := html.ChainNode{X: x, Y: y, W: chainBoxW, H: chainBoxH, TextX: x + chainBoxW/2}
			if i < len(rows[l]) {
				c := rows[l][i]
				role := labelIn(dossier.ContactRoleOptions, c.Role, lang)
				if role == "" {
					role = i18n.T(lang, "chain.no_role")
				}
				node.Class, node.Line1, node.Line2 = "role-"+cmpRole(c.Role), cut(c.Name), cut(role)
				node.Full = joinNonEmpty(" · ", c.Name, c.Title, role)
			} else {
				node.Class, node.Line1, node.Line2 = "missing", i18n.T(lang, "chain.missing_line1"), i18n.T(lang, "chain.missing_line2")
				node.Full = i18n.T(lang, "chain.no_decision_maker")
			}
			tops[l] = append(tops[l], node)
			v.Nodes = append(v.Nodes, node)
		}
		y += chainBoxH + chainGapY
	}
	// Influence runs up: the middle row to the decision makers, users to
	// the middle row when it has anyone, else straight to the top.
	link := func(from, to []html.ChainNode) {
		for _, f := range from {
			for _, t := range to {
				v.Edges = append(v.Edges, html.ChainEdge{X1: f.X + chainBoxW/2, Y1: f.Y, X2: t.X + chainBoxW/2, Y2: t.Y + chainBoxH, Class: "influence"})
			}
		}
	}
	link(tops[1], tops[0])
	if len(tops[1]) > 0 {
		link(tops[2], tops[1][:1])
	} else {
		link(tops[2], tops[0])
	}
	v.Width = max(v.Width, rowW+2*chainPad)
	return y - chainGapY
}

// cmpRole is a known role's key, "other" for anything else, so that a CSS
// class never carries stored text.
func cmpRole(role string) string {
	for _, o := range dossier.ContactRoleOptions {
		if o.Value == role {
			return role
		}
	}
	return "other"
}

// roleRank orders the roles as ContactRoleOptions lists them, unknown last.
func roleRank(role string) int {
	for i, o := range dossier.ContactRoleOptions {
		if o.Value == role {
			return i
		}
	}
	return len(dossier.ContactRoleOptions)
}

// cut shortens s to chainMaxRunes runes for a box.
func cut(s string) string {
	r := []rune(s)
	if len(r) <= chainMaxRunes {
		return s
	}
	return string(r[:chainMaxRunes-1]) + "…"
}
