package dedupe

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Blocking: every record gets several keys (each identifier, the trade
// name, the name without region and form, the trade name's first or last
// character with the industry words, each word of a non-Chinese name, each
// value of a selective generic field). Records sharing a key are compared.
// A block larger than MaxBlock is not compared all-pairs: its records are
// sorted by name and each is compared with its Window next neighbours, so a
// million copies of one company cost a few million comparisons, not 5·10¹¹.

type blockEntry struct {
	hash uint64
	rec  int32
}

// candidates returns the distinct pairs (lo<<32 | hi) to compare, sorted.
// One field's keys are blocked at a time, so that the block entries of
// only one field are in memory at once.
func candidates(ctx context.Context, ds *dataset, opt Options, rep *Report) ([]uint64, error) {
	ds.selective = selectiveFeatures(ds)
	rank := sortRanks(ds)
	var pairs []uint64
	compacted := 0
	var entries []blockEntry
	chunks := make([][]blockEntry, opt.Workers)
	for fi := range ds.features {
		// The keys of one field are hashed in parallel, one range of
		// records per worker, and put together in record order.
		parallelChunks(ds.n(), opt.Workers, func(c, lo, hi int) {
			buf := chunks[c][:0]
			var hs []uint64
			for i := lo; i < hi; i++ {
				hs = blockHashes(ds, fi, i, hs[:0])
				for _, h := range hs {
					buf = append(buf, blockEntry{h, int32(i)})
				}
			}
			chunks[c] = buf
		})
		entries = entries[:0]
		for c := range chunks {
			entries = append(entries, chunks[c]...)
			chunks[c] = chunks[c][:0]
		}
		if len(entries) == 0 {
			continue
		}
		sortEntries(entries, opt.Workers)
		var err error
		if pairs, err = blockPairs(ctx, ds, fi, entries, rank, opt, rep, pairs); err != nil {
			return nil, err
		}
		if len(pairs) > compacted+1_000_000 {
			sortU64(pairs, opt.Workers)
			pairs = slices.Compact(pairs)
			compacted = len(pairs)
		}
	}
	sortU64(pairs, opt.Workers)
	pairs = slices.Compact(pairs)
	slices.SortFunc(rep.WindowedBlocks, func(a, b LargeBlock) int { return b.Size - a.Size })
	rep.CandidatePairs = len(pairs)
	return pairs, nil
}

// blockPairs appends the pairs of the blocks of one field's sorted entries.
func blockPairs(ctx context.Context, ds *dataset, fi int, entries []blockEntry, rank []int32, opt Options, rep *Report, pairs []uint64) ([]uint64, error) {
	for lo := 0; lo < len(entries); {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := lo + 1
		for hi < len(entries) && entries[hi].hash == entries[lo].hash {
			hi++
		}
		blk := slices.CompactFunc(entries[lo:hi], func(a, b blockEntry) bool { return a.rec == b.rec })
		if len(blk) > 1 {
			rep.Blocks++
			if len(blk) > maxBlock(ds, opt) {
				_, key, _ := strings.Cut(keyOf(ds, fi, int(blk[0].rec), entries[lo].hash), ":")
				rep.WindowedBlocks = append(rep.WindowedBlocks, LargeBlock{Field: ds.features[fi].key, Key: key, Size: len(blk)})
				pairs = windowPairs(blk, rank, opt.Window, pairs)
			} else {
				pairs = allPairs(blk, pairs)
			}
		}
		lo = hi
	}
	return pairs, nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

func allPairs(blk []blockEntry, pairs []uint64) []uint64 {
	for i := range blk {
		for j := i + 1; j < len(blk); j++ {
			pairs = append(pairs, pairKey(blk[i].rec, blk[j].rec))
		}
	}
	return pairs
}

// windowPairs sorts a large block by the records' name order and pairs
// each record with the next w.
func windowPairs(blk []blockEntry, rank []int32, w int, pairs []uint64) []uint64 {
	recs := make([]int32, len(blk))
	for i, e := range blk {
		recs[i] = e.rec
	}
	slices.SortFunc(recs, func(a, b int32) int { return int(rank[a] - rank[b]) })
	for i := range recs {
		for j := i + 1; j < len(recs) && j <= i+w; j++ {
			pairs = append(pairs, pairKey(recs[i], recs[j]))
		}
	}
	return pairs
}

// sortRanks orders the records by their sort key (the name without region
// and form), so that windows over large blocks hold similar names.
func sortRanks(ds *dataset) []int32 {
	idx := make([]int32, ds.n())
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		switch x, y := ds.sortKey[a], ds.sortKey[b]; {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	rank := make([]int32, ds.n())
	for r, i := range idx {
		rank[i] = int32(r)
	}
	return rank
}

// hashKey is 64-bit FNV-1a, written out so that hashing tens of millions
// of keys allocates nothing. A collision only merges two blocks.
func hashKey(k string) uint64 { return fnvAdd(fnvOffset, k) }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvAdd continues an FNV-1a hash with the bytes of s: hashing "t:" then
// a name gives hashKey("t:" + name) without building the key.
func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvAddRune(h uint64, r rune) uint64 {
	var b [utf8.UTFMax]byte
	for _, c := range utf8.AppendRune(b[:0], r) {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// blockHashes appends the hashes of record i's blocking keys from feature
// fi to dst: hashKey of each key blockKeys gives, in the same order,
// without building the keys (TestBlockHashesAreKeyHashes).
func blockHashes(ds *dataset, fi, i int, dst []uint64) []uint64 {
	f := ds.features[fi]
	switch f.kind {
	case kindName:
		dst = nameHashes(ds.names[i], dst)
		if ds.affs != nil {
			dst = orgHashes(ds.affs[i], dst)
		}
	case kindID:
		x := ds.vals[fi][i]
		if x == "" {
			break
		}
		pre := fnvAdd(fnvAdd(fnvOffset, f.key), ":")
		for v := range strings.SplitSeq(x, listSep) {
			if v != "" {
				dst = append(dst, fnvAdd(pre, v))
			}
		}
	case kindString:
		if v := ds.vals[fi][i]; ds.selective[fi] && utf8.RuneCountInString(v) >= 2 {
			dst = append(dst, fnvAdd(fnvAdd(fnvAdd(fnvOffset, strconv.Itoa(fi)), ":"), v))
		}
	}
	return dst
}

// nameHashes is nameKeys hashed (see blockHashes).
func nameHashes(n nameFeat, dst []uint64) []uint64 {
	if n.core == "" {
		return dst
	}
	if n.han {
		t := fnvAdd(fnvOffset, "t:")
		dst = append(dst, fnvAdd(t, n.core))
		runes := 0
		var first, last rune
		for _, r := range n.trade { // as []rune(n.trade) decodes it
			if runes == 0 {
				first = r
			}
			last = r
			runes++
		}
		if runes >= 2 && n.trade != n.core {
			dst = append(dst, fnvAdd(t, n.trade))
		}
		ind := n.core[len(n.trade):]
		if runes >= 2 && ind != "" {
			dst = append(dst, fnvAdd(fnvAddRune(fnvAdd(fnvOffset, "f:"), first), ind),
				fnvAdd(fnvAddRune(fnvAdd(fnvOffset, "l:"), last), ind))
		}
		return dst
	}
	dst = append(dst, fnvAdd(fnvAdd(fnvOffset, "t:"), n.core))
	for _, w := range n.tokens {
		if len(w) >= 2 {
			dst = append(dst, fnvAdd(fnvAdd(fnvOffset, "w:"), w))
		}
	}
	if len(n.tokens) >= 2 {
		dst = append(dst, fnvAdd(fnvAdd(fnvAdd(fnvAdd(fnvOffset, "2:"), n.tokens[0]), " "), n.tokens[1]))
	}
	return dst
}

// keyOf finds the key of record i that has hash h, to name a large block.
func keyOf(ds *dataset, fi, i int, h uint64) string {
	for _, k := range blockKeys(ds, fi, i, nil) {
		if hashKey(k) == h {
			return k
		}
	}
	return "?"
}

// selectiveFeatures marks the generic fields worth blocking on: those
// whose values are mostly distinct (a postcode, a date of birth), not a
// handful of categories (a state, a cuisine).
func selectiveFeatures(ds *dataset) []bool {
	sel := make([]bool, len(ds.features))
	for fi, f := range ds.features {
		if f.kind != kindString {
			continue
		}
		distinct := map[string]struct{}{}
		nonEmpty := 0
		for _, v := range ds.vals[fi] {
			if v != "" {
				nonEmpty++
				if len(distinct) < 1<<20 {
					distinct[v] = struct{}{}
				}
			}
		}
		sel[fi] = nonEmpty > 0 && len(distinct)*20 >= nonEmpty
	}
	return sel
}

// blockKeys appends record i's blocking keys from feature fi to dst.
func blockKeys(ds *dataset, fi, i int, dst []string) []string {
	f := ds.features[fi]
	switch f.kind {
	case kindName:
		dst = nameKeys(ds.names[i], dst)
	case kindID:
		for v := range strings.SplitSeq(ds.vals[fi][i], listSep) {
			if v != "" {
				dst = append(dst, f.key+":"+v)
			}
		}
	case kindString:
		if v := ds.vals[fi][i]; ds.selective[fi] && utf8.RuneCountInString(v) >= 2 {
			dst = append(dst, strconv.Itoa(fi)+":"+v)
		}
	}
	return dst
}

func nameKeys(n nameFeat, dst []string) []string {
	if n.core == "" {
		return dst
	}
	if n.han {
		// The trade name and the core share one key space: a short name
		// ("华为") is both, and must meet the full one's trade name.
		dst = append(dst, "t:"+n.core)
		if utf8.RuneCountInString(n.trade) >= 2 && n.trade != n.core {
			dst = append(dst, "t:"+n.trade)
		}
		// A typo in a two-character trade name leaves one of its
		// characters; with the industry words that is still a small block.
		rs := []rune(n.trade)
		ind := n.core[len(n.trade):]
		if len(rs) >= 2 && ind != "" {
			dst = append(dst, "f:"+string(rs[0])+ind, "l:"+string(rs[len(rs)-1])+ind)
		}
		return dst
	}
	dst = append(dst, "t:"+n.core)
	for _, w := range n.tokens {
		if len(w) >= 2 {
			dst = append(dst, "w:"+w)
		}
	}
	if len(n.tokens) >= 2 {
		dst = append(dst, "2:"+n.tokens[0]+" "+n.tokens[1])
	}
	return dst
}

// affMaxBlock is the largest block of a list of affiliations compared
// all-pairs: the affiliations of one organisation often share only its
// name's words ("berkeley"), and a big organisation has a hundred of
// them. Still a constant: the pairs grow with the records, not their
// square.
const affMaxBlock = 250

func maxBlock(ds *dataset, opt Options) int {
	if ds.affs != nil {
		return max(opt.MaxBlock, affMaxBlock)
	}
	return opt.MaxBlock
}
