package analytics

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/dossier/dossier"
)

// Text sources for clustering (SPEC R24: need clusters).
const (
	TextNeeds        = "needs"        // customers' need descriptions and pain points
	TextInteractions = "interactions" // interaction summaries and feedback
)

// TextQuery asks the store for the texts of the customers matching Filter,
// grouped by By (a customer field or derived dimension; "" for one group).
type TextQuery struct {
	Filter dossier.CustomerFilter
	Source string
	By     string
	// Since keeps interactions on or after this date (2006-01-02); "" for
	// all. Interactions are many, and what customers said lately is what a
	// need cluster is for.
	Since string
}

// Text is one distinct text of a group and how many records carry it: the
// store counts identical texts (DESIGN idea 4), which templated notes and
// copied descriptions make common. A Text without text counts records the
// store left out (beyond MaxGroupTexts distinct texts of the group).
type Text struct {
	Group string
	Text  string
	Count int64
}

// TextStore streams the texts of a TextQuery to each, in any order.
type TextStore interface {
	Texts(ctx context.Context, q TextQuery, each func(Text) error) error
	Registry(ctx context.Context) (*dossier.Registry, error)
}

// ClusterRequest is a need-cluster analysis. K is the number of clusters
// per group (0: chosen from the data, at most MaxClusters). Examples adds
// up to three typical texts per cluster; leave it off for users who may
// see aggregates only, since free text can name people.
type ClusterRequest struct {
	Query    TextQuery
	K        int
	Examples bool
	Lang     string
}

// Limits that keep one analysis bounded whatever the store holds.
const (
	MaxClusters = 12
	// MaxGroupTexts is how many distinct texts of a group are clustered;
	// further ones are counted, not clustered, and a store may stop
	// tallying them too.
	MaxGroupTexts  = 20000
	kmeansRounds   = 30
	termsInCluster = 6
)

// TermWeight is a term of a cluster and its weight in the cluster's centre.
type TermWeight struct {
	Term   string  `json:"term"`
	Weight float64 `json:"weight"`
}

// Cluster is a set of texts about the same thing.
type Cluster struct {
	Terms    []TermWeight `json:"terms"`
	Count    int64        `json:"count"` // records, not distinct texts
	Share    float64      `json:"share"` // % of the group's clustered records
	Examples []string     `json:"examples,omitempty"`
}

// ClusterGroup is one group's clusters, largest first.
type ClusterGroup struct {
	Key      string    `json:"key"`
	Label    string    `json:"label"`
	Records  int64     `json:"records"`  // records with a text
	Distinct int       `json:"distinct"` // distinct texts
	NoTerms  int64     `json:"no_terms"` // records whose text has no usable word
	Skipped  int64     `json:"skipped"`  // records beyond the per-group limit
	Clusters []Cluster `json:"clusters"`
}

// TextClusters is the result: groups by size, largest first.
type TextClusters struct {
	Source string         `json:"source"`
	By     string         `json:"by"`
	Groups []ClusterGroup `json:"groups"`
}

// doc is one distinct text as a weighted TF-IDF vector.
type doc struct {
	text   string
	weight float64
	vec    map[int]float64 // term index → weight, L2-normalised
}

// Clusters groups texts by their words: each text is segmented (gse with
// the business vocabulary), weighted by TF-IDF within its group, and the
// group is clustered by spherical k-means, weighted by how many records
// carry each text. Initial centres are chosen deterministically (the
// heaviest text, then the text least like the centres so far), so the same
// data gives the same clusters every time.
func Clusters(ctx context.Context, st TextStore, req ClusterRequest) (*TextClusters, error) {
	switch req.Query.Source {
	case "":
		req.Query.Source = TextNeeds
	case TextNeeds, TextInteractions:
	default:
		return nil, dossier.FieldError("source", "source must be %s or %s", TextNeeds, TextInteractions)
	}
	if req.Query.Since != "" {
		if _, err := time.Parse(dossier.DateLayout, req.Query.Since); err != nil {
			return nil, dossier.FieldError("since", "since must be a date like 2026-01-31")
		}
	}
	if req.K < 0 || req.K > MaxClusters {
		return nil, dossier.FieldError("k", "k must be from 1 to %d, or 0 to choose", MaxClusters)
	}
	type group struct {
		texts   []Text
		at      map[string]int // text → index in texts
		skipped int64
	}
	groups := map[string]*group{}
	err := st.Texts(ctx, req.Query, func(t Text) error {
		g := groups[t.Group]
		if g == nil {
			g = &group{at: map[string]int{}}
			groups[t.Group] = g
		}
		if t.Text == "" {
			g.skipped += t.Count
			return nil
		}
		// The same text can come twice: from two fields, or from two
		// values the dimension rolls up into one group.
		if i, ok := g.at[t.Text]; ok {
			g.texts[i].Count += t.Count
			return nil
		}
		if len(g.texts) >= MaxGroupTexts {
			g.skipped += t.Count
			return nil
		}
		g.at[t.Text] = len(g.texts)
		g.texts = append(g.texts, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	reg, err := st.Registry(ctx)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for k := range groups {
		found[k] = true
	}
	labels := map[string]string{}
	for _, h := range headers(reg, Dim{Field: req.Query.By}, found, req.Lang) {
		labels[h.Key] = h.Label
	}
	out := &TextClusters{Source: req.Query.Source, By: req.Query.By}
	for key, g := range groups {
		cg, err := clusterGroup(g.texts, req)
		if err != nil {
			return nil, err
		}
		cg.Key, cg.Label, cg.Skipped = key, labels[key], g.skipped
		out.Groups = append(out.Groups, cg)
	}
	slices.SortFunc(out.Groups, func(a, b ClusterGroup) int {
		return cmp.Or(cmp.Compare(b.Records, a.Records), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}

// clusterGroup clusters one group's texts.
func clusterGroup(texts []Text, req ClusterRequest) (ClusterGroup, error) {
	slices.SortFunc(texts, func(a, b Text) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Text, b.Text)) })
	var cg ClusterGroup
	vocab := map[string]int{}
	var terms []string
	df := map[int]float64{}
	var docs []doc
	var total float64
	for _, t := range texts {
		cg.Records += t.Count
		cg.Distinct++
		words, err := Terms(t.Text)
		if err != nil {
			return cg, err
		}
		if len(words) == 0 {
			cg.NoTerms += t.Count
			continue
		}
		tf := map[int]float64{}
		for _, w := range words {
			i, ok := vocab[w]
			if !ok {
				i = len(terms)
				vocab[w] = i
				terms = append(terms, w)
			}
			tf[i]++
		}
		w := float64(t.Count)
		for i := range tf {
			df[i] += w
		}
		total += w
		docs = append(docs, doc{text: t.Text, weight: w, vec: tf})
	}
	if len(docs) == 0 {
		return cg, nil
	}
	for _, d := range docs {
		for i, n := range d.vec {
			// Sublinear term frequency and smoothed inverse document
			// frequency, as scikit-learn's TfidfVectorizer does.
			d.vec[i] = (1 + math.Log(n)) * (math.Log((1+total)/(1+df[i])) + 1)
		}
		normalise(d.vec)
	}
	k := req.K
	if k == 0 {
		k = autoK(len(docs))
	}
	k = min(k, len(docs))
	assign, centres := kmeans(docs, k)
	cg.Clusters = describe(docs, assign, centres, terms, total, req.Examples)
	return cg, nil
}

// autoK picks the number of clusters from the number of distinct texts: the
// rule of thumb √(n/2), at least 1 and at most 8, so that a group reads as
// a handful of themes.
func autoK(n int) int {
	k := int(math.Round(math.Sqrt(float64(n) / 2)))
	return max(min(k, 8), 1)
}

func normalise(v map[int]float64) {
	var s float64
	for _, x := range v {
		s += x * x
	}
	if s == 0 {
		return
	}
	s = math.Sqrt(s)
	for i := range v {
		v[i] /= s
	}
}

func cosine(a, b map[int]float64) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var s float64
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// kmeans is weighted spherical k-means with deterministic farthest-point
// seeding. It returns each doc's cluster and the centres.
func kmeans(docs []doc, k int) ([]int, []map[int]float64) {
	centres := []map[int]float64{clone(docs[0].vec)} // docs are heaviest first
	best := make([]float64, len(docs))               // similarity to the nearest centre
	for i := range docs {
		best[i] = cosine(docs[i].vec, centres[0])
	}
	for len(centres) < k {
		far, score := -1, -1.0
		for i, d := range docs {
			if s := d.weight * (1 - best[i]); s > score+1e-12 {
				far, score = i, s
			}
		}
		if score <= 1e-9 {
			break // every text equals a centre already
		}
		c := clone(docs[far].vec)
		centres = append(centres, c)
		for i := range docs {
			best[i] = max(best[i], cosine(docs[i].vec, c))
		}
	}
	assign := make([]int, len(docs))
	for round := 0; round < kmeansRounds; round++ {
		changed := false
		for i, d := range docs {
			c := nearest(d.vec, centres)
			if c != assign[i] || round == 0 {
				changed = changed || c != assign[i]
				assign[i] = c
			}
		}
		if round > 0 && !changed {
			break
		}
		for j := range centres {
			centres[j] = map[int]float64{}
		}
		for i, d := range docs {
			for t, x := range d.vec {
				centres[assign[i]][t] += d.weight * x
			}
		}
		for _, c := range centres {
			normalise(c)
		}
	}
	return assign, centres
}

func nearest(v map[int]float64, centres []map[int]float64) int {
	best, at := -1.0, 0
	for j, c := range centres {
		if s := cosine(v, c); s > best+1e-12 {
			best, at = s, j
		}
	}
	return at
}

func clone(m map[int]float64) map[int]float64 {
	out := make(map[int]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// describe turns the assignment into clusters: their top terms, sizes and,
// if asked, the texts nearest their centre.
func describe(docs []doc, assign []int, centres []map[int]float64, terms []string, total float64, examples bool) []Cluster {
	var out []Cluster
	for j, c := range centres {
		var cl Cluster
		type near struct {
			text string
			sim  float64
		}
		var members []near
		for i, d := range docs {
			if assign[i] == j {
				cl.Count += int64(d.weight)
				members = append(members, near{d.text, cosine(d.vec, c)})
			}
		}
		if cl.Count == 0 {
			continue
		}
		cl.Share = 100 * float64(cl.Count) / total
		for t, w := range c {
			cl.Terms = append(cl.Terms, TermWeight{terms[t], math.Round(w*1000) / 1000})
		}
		slices.SortFunc(cl.Terms, func(a, b TermWeight) int {
			return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.Term, b.Term))
		})
		cl.Terms = cl.Terms[:min(len(cl.Terms), termsInCluster)]
		if examples {
			slices.SortStableFunc(members, func(a, b near) int { return cmp.Compare(b.sim, a.sim) })
			for _, m := range members[:min(len(members), 3)] {
				cl.Examples = append(cl.Examples, m.text)
			}
		}
		out = append(out, cl)
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Terms[0].Term, b.Terms[0].Term))
	})
	return out
}
