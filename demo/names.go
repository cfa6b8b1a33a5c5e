package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// Company names are region + trade name (字号) + industry word + legal form.
// Names must be unique in a data set without remembering the names handed
// out, so the trade name is a function of the company's index that never
// repeats: index i is mapped to a 2-, 3- or 4-character trade name by a
// seeded permutation of each length's name space. About 90% of names have
// two characters while the 2-character space lasts (P·(P-1) names for P
// trade characters, no character twice in a row); longer names take the rest.
type nameSpace struct {
	chars  []syllable // trade characters in a seeded order
	n      int        // companies
	counts [3]int     // 2-, 3- and 4-character names used
	perms  [3]affine
}

// affine is the permutation x → (a·x + b) mod m, with a prime to m.
type affine struct{ a, b, m uint64 }

func newAffine(seed uint64, salt, m uint64) affine {
	a := hash(seed, streamNames, salt)%m | 1
	for gcd(a, m) != 1 {
		a = (a + 2) % m
	}
	return affine{a: a, b: hash(seed, streamNames, salt|1<<20) % m, m: m}
}

func (f affine) apply(x uint64) uint64 { return (f.a*x + f.b) % f.m }

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func newNameSpace(seed uint64, n int) (nameSpace, error) {
	chars := append([]syllable(nil), tradeChars...)
	r := newRand(seed, streamNames, 0)
	r.Shuffle(len(chars), func(i, j int) { chars[i], chars[j] = chars[j], chars[i] })
	p := uint64(len(chars))
	sizes := [3]uint64{p * (p - 1), p * (p - 1) * (p - 1), p * (p - 1) * (p - 1) * (p - 1)}
	ns := nameSpace{chars: chars, n: n}
	ns.counts[0] = min(n-n/10, int(sizes[0]))
	ns.counts[1] = min(n-ns.counts[0], int(sizes[1]))
	ns.counts[2] = n - ns.counts[0] - ns.counts[1]
	if uint64(ns.counts[2]) > sizes[2] {
		return nameSpace{}, fmt.Errorf("demo: at most %d customers", sizes[0]+sizes[1]+sizes[2])
	}
	for i := range ns.perms {
		ns.perms[i] = newAffine(seed, uint64(i+1), sizes[i])
	}
	return ns, nil
}

// spread splits index i of n into a class of k members spread evenly over
// [0, n) and the rest: in reports whether i is in the class and its rank
// there, or its rank among the rest.
func spread(i, n, k int) (in bool, rank int) {
	below := i * k / n
	if (i+1)*k/n > below {
		return true, below
	}
	return false, i - below
}

// trade returns the trade name of company i and its characters.
func (ns nameSpace) trade(i int) []syllable {
	class, rank := 0, i
	if in, r := spread(i, ns.n, ns.counts[0]); in {
		rank = r
	} else {
		class, rank = 1, r
		if in, r := spread(r, ns.n-ns.counts[0], ns.counts[1]); !in {
			class, rank = 2, r
		}
	}
	x := ns.perms[class].apply(uint64(rank))
	p := uint64(len(ns.chars))
	out := make([]syllable, class+2)
	prev := x % p
	out[0], x = ns.chars[prev], x/p
	for k := 1; k < len(out); k++ {
		d := x % (p - 1)
		x /= p - 1
		if d >= prev {
			d++ // never the same character twice in a row
		}
		out[k], prev = ns.chars[d], d
	}
	return out
}

func joinZH(ss []syllable) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.zh)
	}
	return b.String()
}

// homophone numbers the characters of tradeChars that share a pinyin, so
// that 华信 and 华鑫 get different e-mail domains.
var homophone = func() map[string]int {
	seen, out := map[string]int{}, map[string]int{}
	for _, s := range tradeChars {
		out[s.zh] = seen[s.py]
		seen[s.py]++
	}
	return out
}()

// domain is the company's web and mail domain: the trade name's pinyin, a
// hyphen before a syllable starting with a vowel (li-an, not lian), a number
// telling homophones apart, and a top-level domain. It is unique per trade
// name.
func domain(trade []syllable, tld string) string {
	var b strings.Builder
	variant := 0
	for k, s := range trade {
		if k > 0 && strings.ContainsRune("aoe", rune(s.py[0])) {
			b.WriteByte('-')
		}
		b.WriteString(s.py)
		variant = variant*3 + homophone[s.zh]
	}
	if variant > 0 {
		b.WriteString(strconv.Itoa(variant))
	}
	return b.String() + "." + tld
}

// Name styles, as real names are written.
const (
	styleCity     = iota // 深圳市华信科技有限公司
	styleBracket         // 华信科技(深圳)有限公司
	styleProvince        // 广东华信科技股份有限公司
	styleGroup           // 华信科技集团有限公司: large companies only
)

// companyName renders a name. The region is given by its province and city.
func companyName(style int, prov *dossier.Province, city, trade, word, form string) string {
	switch style {
	case styleBracket:
		return trade + word + "(" + dossier.CityShort(city) + ")" + form
	case styleProvince:
		return prov.Short + trade + word + form
	case styleGroup:
		return trade + word + "集团" + form
	}
	return city + trade + word + form
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCode builds a unified social credit code (GB 32100): registration
// authority 9 (market regulation), type 1 (enterprise), the six-digit
// division code, the nine-character organisation code (GB 11714, with its own
// check character) and the check character. The organisation code's body is
// a permutation of the company index, so codes are unique in a data set.
func creditCode(orgPerm affine, company int, division string) string {
	body := fmt.Sprintf("%08d", orgPerm.apply(uint64(company)))
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := range 8 {
		sum += int(body[k]-'0') * weights[k]
	}
	check := "0123456789X0"[11-sum%11]
	first17 := "91" + division + body + string(check)
	c, _ := dossier.CreditCodeCheck(first17)
	return first17 + string(c)
}

// breakCreditCode swaps the check character for a wrong one.
func breakCreditCode(code string, r *rand.Rand) string {
	i := strings.IndexByte(creditAlphabet, code[17])
	return code[:17] + string(creditAlphabet[(i+1+r.IntN(30))%31])
}
