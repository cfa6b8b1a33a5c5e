package dedupe

import (
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/dossier/dossier"
)

// kind says how a field is compared.
type kind uint8

const (
	kindName   kind = iota // company name: parsed, trade name, similarity
	kindID                 // identifier: equal or not (credit code, phone, e-mail)
	kindPlace              // city and province, with the region in the name
	kindString             // anything else: equal, similar, different
)

// feature is one compared field and the names of its levels, best first.
type feature struct {
	key    string
	kind   kind
	levels []string
}

var levelNames = map[kind][]string{
	kindName:   {"exact", "same trade name", "short name", "similar", "somewhat similar", "different"},
	kindID:     {"exact", "different"},
	kindPlace:  {"same city", "same province", "different"},
	kindString: {"exact", "similar", "somewhat similar", "different"},
}

// nameOnlyLevels are the name levels of a list of names alone (see
// dataset.nameOnly): names in words get two more levels between somewhat
// similar and different.
var nameOnlyLevels = []string{"exact", "same trade name", "short name", "similar", "somewhat similar", "related", "weakly related", "different"}

// idFields are compared for equality only; their values may be lists.
var idFields = map[string]bool{"credit_code": true, "contact_phone": true, "contact_email": true, "phone": true, "email": true}

// listSep joins the values of an identifier list (canonical identifiers
// never contain it).
const listSep = "\x1f"

// nameFeat is a parsed name.
type nameFeat struct {
	core, trade string
	tokens      []string // words of a name without Chinese characters
	han         bool
}

// place is where a record is: short city and province names.
type place struct{ city, prov string }

// dataset is the records turned into comparable columns.
type dataset struct {
	ids       []string
	features  []feature
	names     []nameFeat
	places    []place
	vals      [][]string           // vals[feature][record]: the normalised value; identifiers may be a list joined by listSep
	sortKey   []string             // orders the records of a large block
	selective []bool               // generic fields worth blocking on
	freq      []*valueFreq         // per feature: how often each value occurs (names, identifiers, strings)
	idf       map[string]float64   // inverse document frequency of the words of non-Chinese names
	wordIDF   []map[string]float64 // per generic feature of several words: the idf of its words
	// idHash[fi] holds the hashes of the values of identifier feature fi,
	// record i's at idHash[fi][idOff[fi][i]:idOff[fi][i+1]] (none for an
	// empty value): most compared pairs share no identifier, and telling
	// that from a few packed hashes is much cheaper than from the strings.
	idHash [][]uint64
	idOff  [][]uint32
	// strTab[fi], for a generic feature with few distinct values (an
	// industry, a state), holds the level of every two of its values: one
	// lookup per pair instead of a string similarity.
	strTab     []*levelTable
	emptyNames int
	dupIDs     int
	// nameOnly marks records that have a name and nothing else, the
	// names being free text (freeText: a list of affiliations): the name
	// is all the evidence, so names in words get finer levels
	// (nameOnlyLevels) and clustering asks a group to hang together (see
	// joinAverage). With other fields beside the name, those fields
	// decide the doubtful pairs better; short names alone (companies,
	// restaurants) are told apart letter by letter; both keep the coarse
	// levels and single link.
	nameOnly bool
	// affs are the names of a list of names alone parsed as
	// affiliations (organisation, department, place), orgIDF the idf of
	// the organisations' words; nil otherwise.
	affs   []affFeat
	orgIDF map[string]float64
}

func (ds *dataset) n() int { return len(ds.ids) }

func (ds *dataset) fieldNames() []string {
	out := make([]string, len(ds.features))
	for i, f := range ds.features {
		out[i] = f.key
	}
	return out
}

// prepare chooses the features and normalises every record's values.
func prepare(recs []Record, only []string, w int) *dataset {
	keys := only
	if keys == nil {
		set := map[string]bool{}
		for _, r := range recs {
			for k := range r.Fields {
				set[k] = true
			}
		}
		keys = slices.Sorted(maps.Keys(set))
	}
	ds := &dataset{ids: make([]string, len(recs))}
	hasPlace := false
	for _, k := range keys {
		switch {
		case k == "name":
			ds.features = append(ds.features, feature{key: k, kind: kindName})
		case k == "city" || k == "province":
			hasPlace = true
		case idFields[k]:
			ds.features = append(ds.features, feature{key: k, kind: kindID})
		default:
			ds.features = append(ds.features, feature{key: k, kind: kindString})
		}
	}
	if hasPlace {
		ds.features = append(ds.features, feature{key: "city", kind: kindPlace})
	}
	for i := range ds.features {
		ds.features[i].levels = levelNames[ds.features[i].kind]
	}
	ds.vals = make([][]string, len(ds.features))
	seen := make(map[string]bool, len(recs))
	for i, r := range recs {
		ds.ids[i] = r.ID
		if seen[r.ID] {
			ds.dupIDs++
		}
		seen[r.ID] = true
	}
	ds.fill(recs, w)
	if len(ds.features) == 1 && ds.features[0].kind == kindName && ds.freeText() {
		ds.nameOnly = true
		ds.features[0].levels = nameOnlyLevels
		ds.parseAffiliations(recs, w)
	}
	ds.countValues(w)
	ds.wordWeights()
	ds.levelTables(w)
	return ds
}

// freeText reports whether the names are free text in words (an
// affiliation with its department, street and country) rather than
// company names: four words or more on average. Chinese names count as
// no words.
func (ds *dataset) freeText() bool {
	named, words := 0, 0
	for _, nm := range ds.names {
		if nm.core != "" {
			named++
			words += len(nm.tokens)
		}
	}
	return named > 0 && words >= 4*named
}

// wordWeights computes the inverse document frequency of the words of
// non-Chinese names and of generic values of several words: "university",
// "of" or "street" say little, "almaden" or "piedmont" much.
func (ds *dataset) wordWeights() {
	ds.wordIDF = make([]map[string]float64, len(ds.features))
	for fi, f := range ds.features {
		if f.kind == kindString {
			ds.wordIDF[fi] = valueWordIDF(ds.vals[fi])
		}
	}
	df := map[string]int{}
	docs := 0
	for _, nm := range ds.names {
		if len(nm.tokens) == 0 {
			continue
		}
		docs++
		for i, w := range nm.tokens {
			if !slices.Contains(nm.tokens[:i], w) {
				df[w]++
			}
		}
	}
	ds.idf = make(map[string]float64, len(df))
	for w, n := range df {
		ds.idf[w] = math.Log(float64(docs+1) / float64(n))
	}
}

// levelTables fills strTab for the generic features whose distinct
// values are few enough that the levels of all their pairs cost less than
// comparing the records' pairs: at most 1,000 values and their square no
// more than four times the number of records. stringLevel depends only on
// the two values (and the feature's fixed word weights), so a table gives
// exactly its levels.
func (ds *dataset) levelTables(w int) {
	ds.strTab = make([]*levelTable, len(ds.features))
	for fi, f := range ds.features {
		if f.kind != kindString {
			continue
		}
		index := map[string]uint16{}
		var vals []string
		ids := make([]uint16, ds.n())
		small := true
		for i, v := range ds.vals[fi] {
			k, ok := index[v]
			if !ok {
				if len(vals) == 1000 || (len(vals)+1)*(len(vals)+1) > 4*ds.n() {
					small = false
					break
				}
				k = uint16(len(vals))
				index[v] = k
				vals = append(vals, v)
			}
			ids[i] = k
		}
		if !small {
			continue
		}
		d := len(vals)
		tab := make([]uint8, d*d)
		parallelChunks(d, w, func(_, lo, hi int) {
			jw := newJW()
			for x := lo; x < hi; x++ {
				for y := range d {
					tab[x*d+y] = stringLevel(vals[x], vals[y], jw, ds.wordIDF[fi])
				}
			}
		})
		ds.strTab[fi] = &levelTable{d: d, level: tab, id: ids}
	}
}

// levelTable is the level of every two values of a feature (level[x*d+y])
// and each record's value's number.
type levelTable struct {
	d     int
	level []uint8
	id    []uint16
}

func (t *levelTable) of(a, b int) uint8 { return t.level[int(t.id[a])*t.d+int(t.id[b])] }

// valueWordIDF is the idf of the words of values, nil when under a tenth
// of the values have more than one word (dates, codes, single names).
func valueWordIDF(vals []string) map[string]float64 {
	multi, docs := 0, 0
	for _, v := range vals {
		if v != "" {
			docs++
			if strings.Contains(v, " ") {
				multi++
			}
		}
	}
	if multi*10 < docs {
		return nil
	}
	df := map[string]int{}
	for _, v := range vals {
		ws := strings.Fields(v)
		for i, w := range ws {
			if !slices.Contains(ws[:i], w) {
				df[w]++
			}
		}
	}
	idf := make(map[string]float64, len(df))
	for w, n := range df {
		idf[w] = math.Log(float64(docs+1) / float64(n))
	}
	return idf
}

// valueFreq counts the values of one feature.
type valueFreq struct {
	count []int32 // per record: how many records hold its value (0: none)
	n     float64 // records with a value
	same  float64 // pairs of records that share a value
	// The same for the ordinary values, those held by at most tfMin
	// records: nOrd records, sameOrd pairs.
	nOrd, sameOrd float64
}

// countValues fills ds.freq for names, identifiers and generic strings.
// It counts hashes of the values, sorted, not a map of strings: a million
// records with three phones each would need a map of three million keys.
// The features are counted in parallel, w at a time.
func (ds *dataset) countValues(w int) {
	ds.freq = make([]*valueFreq, len(ds.features))
	eachFeature(len(ds.features), w, func(fi int) {
		if ds.features[fi].kind != kindPlace {
			ds.freq[fi] = ds.countFeature(fi)
		}
	})
}

// eachFeature runs f for every feature, w at a time.
func eachFeature(nf, w int, f func(fi int)) {
	next := make(chan int, nf)
	for fi := range nf {
		next <- fi
	}
	close(next)
	var wg sync.WaitGroup
	for range max(1, min(w, nf)) {
		wg.Go(func() {
			for fi := range next {
				f(fi)
			}
		})
	}
	wg.Wait()
}

func (ds *dataset) countFeature(fi int) *valueFreq {
	f := ds.features[fi]
	own := make([]uint64, ds.n())
	{
		var all []uint64
		for i := range ds.n() {
			own[i] = 0
			if v := ds.valueOf(fi, i); v != "" {
				own[i] = hashKey(v)
			}
			if f.kind == kindID {
				for v := range strings.SplitSeq(ds.vals[fi][i], listSep) {
					if v != "" {
						all = append(all, hashKey(v))
					}
				}
			} else if own[i] != 0 {
				all = append(all, own[i])
			}
		}
		slices.Sort(all)
		fr := &valueFreq{count: make([]int32, ds.n())}
		var uniq []uint64
		var counts []int32
		for lo := 0; lo < len(all); {
			hi := lo + 1
			for hi < len(all) && all[hi] == all[lo] {
				hi++
			}
			uniq, counts = append(uniq, all[lo]), append(counts, int32(hi-lo))
			c := float64(hi - lo)
			fr.n += c
			fr.same += c * (c - 1) / 2
			if c <= tfMin {
				fr.nOrd += c
				fr.sameOrd += c * (c - 1) / 2
			}
			lo = hi
		}
		for i, h := range own {
			if h == 0 {
				continue
			}
			if k, ok := slices.BinarySearch(uniq, h); ok {
				fr.count[i] = counts[k]
			}
		}
		return fr
	}
}

// valueOf is the value an exact agreement of feature fi compares: the
// name without region and form, or the first value.
func (ds *dataset) valueOf(fi, i int) string {
	if ds.features[fi].kind == kindName {
		return ds.names[i].core
	}
	v, _, _ := strings.Cut(ds.vals[fi][i], listSep)
	return v
}

func (ds *dataset) fill(recs []Record, w int) {
	n := len(recs)
	ds.sortKey = make([]string, n)
	for fi, f := range ds.features {
		switch f.kind {
		case kindName:
			ds.names = make([]nameFeat, n)
		case kindPlace:
			ds.places = make([]place, n)
		default:
			ds.vals[fi] = make([]string, n)
		}
	}
	parallel(n, w, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ds.fillOne(i, recs[i])
		}
	})
	for i := range ds.names {
		if ds.names[i].core == "" {
			ds.emptyNames++
		}
	}
	ds.hashIdentifiers()
}

// hashIdentifiers fills idHash and idOff: every value of a list (as
// strings.SplitSeq gives them) hashed, none for an empty field.
func (ds *dataset) hashIdentifiers() {
	ds.idHash = make([][]uint64, len(ds.features))
	ds.idOff = make([][]uint32, len(ds.features))
	for fi, f := range ds.features {
		if f.kind != kindID {
			continue
		}
		off := make([]uint32, ds.n()+1)
		h := make([]uint64, 0, ds.n())
		for i, x := range ds.vals[fi] {
			if x != "" {
				for v := range strings.SplitSeq(x, listSep) {
					h = append(h, hashKey(v))
				}
			}
			off[i+1] = uint32(len(h))
		}
		ds.idHash[fi], ds.idOff[fi] = slices.Clip(h), off
	}
}

func (ds *dataset) fillOne(i int, r Record) {
	var nm Name
	for fi, f := range ds.features {
		switch f.kind {
		case kindName:
			nm = ParseName(r.Fields["name"])
			ds.names[i] = newNameFeat(nm)
		case kindID:
			ds.vals[fi][i] = strings.Join(identifiers(f.key, r.Fields[f.key]), listSep)
		case kindString:
			ds.vals[fi][i] = normString(r.Fields[f.key])
		}
	}
	if ds.places != nil {
		ds.places[i] = placeOf(r.Fields["city"], r.Fields["province"], nm.Region)
	}
	if ds.names != nil {
		ds.sortKey[i] = ds.names[i].core
	} else {
		var b strings.Builder
		for fi := range ds.features {
			if ds.vals[fi] == nil {
				continue
			}
			b.WriteString(ds.vals[fi][i])
			b.WriteByte('|')
		}
		ds.sortKey[i] = b.String()
	}
}

func newNameFeat(nm Name) nameFeat {
	f := nameFeat{core: nm.Core(), trade: nm.Trade, han: hasHan(nm.Core())}
	if !f.han && f.core != "" {
		f.tokens = foldWords(strings.Fields(f.core))
		f.core = strings.Join(f.tokens, " ")
	}
	return f
}

// identifiers splits a list of identifiers and brings each to its
// canonical form when it parses (a phone to E.164, a credit code to upper
// case); one that does not parse is kept folded so that two identical
// typos still meet.
func identifiers(key, raw string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(raw, func(r rune) bool { return r == ';' || r == '；' || r == ',' || r == '，' || r == '、' }) {
		v = dossier.CleanText(v)
		if v == "" {
			continue
		}
		switch key {
		case "credit_code":
			if c, err := dossier.ParseCreditCode(v); err == nil {
				v = c
			} else {
				v = strings.ToUpper(strings.ReplaceAll(v, " ", ""))
			}
		case "contact_phone", "phone":
			if e164(v) {
				// Already in the form ParsePhone gives (the store keeps
				// phones so): parsing with libphonenumber's regular
				// expressions was a third of the engine's time.
				break
			}
			if p, err := dossier.ParsePhone(v); err == nil {
				v = p
			} else {
				v = digits(v)
			}
		default:
			v = strings.ToLower(strings.ReplaceAll(v, " ", ""))
		}
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// e164 reports whether s is a "+" and 8 to 15 digits, the first not 0:
// a phone number in the canonical form. (One that libphonenumber would
// find invalid is compared as written, "+" included.)
func e164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// normString folds width and case and drops punctuation, keeping single
// spaces between words.
func normString(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '(' || r == ')' {
			return ' '
		}
		return r
	}, NormalizeName(s))), " ")
}

// placeOf combines the city and province fields with the region in the
// name: "深圳市" and "深圳" and a name starting with 深圳 all give 深圳, 广东.
func placeOf(city, prov, region string) place {
	var p place
	city, prov = normString(city), normString(prov)
	if city != "" {
		p.city = shortPlace(city)
		if pr, ok := dossier.ProvinceOfCity(p.city); ok {
			p.prov = pr.Short
		}
	}
	if prov != "" {
		if pr, ok := dossier.FindProvince(prov); ok {
			p.prov = pr.Short
		} else {
			p.prov = shortPlace(prov)
		}
	}
	if p.city == "" && p.prov == "" && region != "" {
		p = regionPlace(region)
	}
	return p
}

// regionPlace reads the region of a name: a province, a city, or both.
func regionPlace(region string) place {
	var p place
	rs := []rune(region)
	l := lex()
	for len(rs) > 0 {
		n := regionPrefix(rs, l, false)
		if n == 0 {
			break
		}
		part := string(rs[:n])
		if notPlace[part] {
			rs = rs[n:]
			continue
		}
		if pr, ok := dossier.FindProvince(part); ok {
			p.prov = pr.Short
		} else if p.city == "" {
			p.city = shortPlace(part)
			if pr, ok := dossier.ProvinceOfCity(p.city); ok && p.prov == "" {
				p.prov = pr.Short
			}
		}
		rs = rs[n:]
	}
	return p
}

// notPlace are regions in names that say nothing about where a company is.
var notPlace = map[string]bool{"中国": true, "中华": true, "全国": true, "华东": true, "华南": true, "华北": true, "华中": true, "西南": true, "西北": true, "东北": true}

// shortPlace drops the administrative suffix: 深圳市 → 深圳.
func shortPlace(s string) string {
	for _, suf := range []string{"特别行政区", "自治区", "省", "市", "县", "区"} {
		if h, ok := strings.CutSuffix(s, suf); ok && len([]rune(h)) >= 2 {
			return h
		}
	}
	return s
}

// minParallel is the least work parallel splits: below it, goroutines
// cost more than they save. A variable so that tests can run small inputs
// in parallel.
var minParallel = 10_000

func workers() int { return max(1, runtime.GOMAXPROCS(0)) }

// parallel runs f over [0, n) split into one range per worker.
func parallel(n, w int, f func(lo, hi int)) {
	if n < minParallel || w <= 1 {
		f(0, n)
		return
	}
	done := make(chan struct{}, w)
	step := (n + w - 1) / w
	for lo := 0; lo < n; lo += step {
		go func(lo, hi int) { f(lo, hi); done <- struct{}{} }(lo, min(lo+step, n))
	}
	for lo := 0; lo < n; lo += step {
		<-done
	}
}

// parallelChunks runs f over [0, n) split into w ranges, range c on its
// own goroutine; unlike parallel it always makes w ranges (some may be
// empty), so that callers can keep one buffer per range.
func parallelChunks(n, w int, f func(c, lo, hi int)) {
	if w <= 1 || n < minParallel {
		f(0, 0, n)
		for c := 1; c < w; c++ {
			f(c, n, n)
		}
		return
	}
	var wg sync.WaitGroup
	step := (n + w - 1) / w
	for c := range w {
		lo, hi := min(c*step, n), min((c+1)*step, n)
		wg.Go(func() { f(c, lo, hi) })
	}
	wg.Wait()
}

// sortParallel sorts x with w goroutines: each half sorted on its own
// (recursively, down to one part per worker), then merged through a
// buffer the size of the left half. For a total order (uint64s, or block
// entries ordered by hash and record) the result is exactly that of a
// serial sort.
func sortParallel[T any](x []T, w int, sortSerial func([]T), cmp func(a, b T) int) {
	if w <= 1 || len(x) < minParallel {
		sortSerial(x)
		return
	}
	mid := len(x) / 2
	var wg sync.WaitGroup
	wg.Go(func() { sortParallel(x[:mid], w/2, sortSerial, cmp) })
	sortParallel(x[mid:], w-w/2, sortSerial, cmp)
	wg.Wait()
	left := slices.Clone(x[:mid])
	i, j, k := 0, mid, 0
	for i < len(left) && j < len(x) {
		if cmp(x[j], left[i]) < 0 {
			x[k] = x[j]
			j++
		} else {
			x[k] = left[i]
			i++
		}
		k++
	}
	copy(x[k:], left[i:])
}

func sortU64(x []uint64, w int) {
	sortParallel(x, w, slices.Sort[[]uint64], cmpU64)
}

func sortEntries(x []blockEntry, w int) {
	sortParallel(x, w, func(s []blockEntry) { slices.SortFunc(s, cmpEntry) }, cmpEntry)
}

func cmpEntry(a, b blockEntry) int {
	if a.hash != b.hash {
		return cmpU64(a.hash, b.hash)
	}
	return int(a.rec - b.rec)
}

// LevelNames lists every comparison level an Evidence may name, for the
// message catalogues that translate them.
func LevelNames() []string {
	out := []string{"missing"}
	add := func(ls []string) {
		for _, l := range ls {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	for _, ls := range levelNames {
		add(ls)
	}
	add(nameOnlyLevels)
	return out
}
