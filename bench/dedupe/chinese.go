package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/dedupe"
)

// The Chinese company test set: every labelled name is a company; some are
// entered again the way people really type them (region dropped or put in
// brackets, legal form changed or dropped, full-width characters, the
// short name, a slip in the trade name, spaces), with the credit code,
// phone and city present or not; and some share their trade name with
// another company in another city, with another credit code and phone —
// the hard negatives. Deterministic for a seed.

type company struct {
	full                      string
	region, trade, indu, form string
	city, code, phone         string
}

func chinese(dir string, seed uint64) (*set, error) {
	f, err := os.Open(filepath.Join(dir, "chinese-company-names-labelled/company_names_spans.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed, 7))
	cities := allCities()
	s := &set{name: "chinese", truth: map[string]string{}}
	var trades []string
	var companies []company
	for _, row := range rows[1:] {
		c := parseSpans(row[1], row[2])
		c.city = cityOf(c.region, cities, r)
		c.code, c.phone = creditCode(r), phone(r)
		companies = append(companies, c)
		trades = append(trades, c.trade)
	}
	n := len(companies)
	for i := 0; i < n; i++ {
		if chance(r, 0.2) && companies[i].trade != "" { // a namesake in another city
			c := companies[i]
			for c.city == companies[i].city {
				c.city = cities[r.IntN(len(cities))]
			}
			c.region = strings.TrimSuffix(c.city, "市")
			if chance(r, 0.5) {
				c.region = c.city
			}
			c.full = c.region + c.trade + c.indu + c.form
			c.code, c.phone = creditCode(r), phone(r)
			companies = append(companies, c)
		}
	}
	for i, c := range companies {
		cluster := fmt.Sprint("c", i)
		add := func(id string, fields map[string]string) {
			s.recs = append(s.recs, dedupe.Record{ID: id, Fields: fields})
			s.truth[id] = cluster
		}
		add(cluster+"-0", c.fields(c.full, r, 0.7, 0.6, 0.6))
		copies := 0
		switch u := r.Float64(); {
		case u < 0.35:
			copies = 1
		case u < 0.5:
			copies = 2
		case u < 0.6:
			copies = 3
		}
		for k := 1; k <= copies; k++ {
			name := c.variant(r, trades)
			fs := c.fields(name, r, 0.5, 0.4, 0.5)
			if chance(r, 0.2) { // another contact
				fs["contact_phone"] = phone(r)
			}
			add(fmt.Sprintf("%s-%d", cluster, k), fs)
		}
	}
	return s, nil
}

func (c company) fields(name string, r *rand.Rand, pCity, pCode, pPhone float64) map[string]string {
	fs := map[string]string{"name": name}
	if chance(r, pCity) {
		fs["city"] = c.city
	}
	if chance(r, pCode) {
		fs["credit_code"] = c.code
	}
	if chance(r, pPhone) {
		fs["contact_phone"] = c.phone
	}
	return fs
}

// variant writes the name another way, one to three changes.
func (c company) variant(r *rand.Rand, trades []string) string {
	if c.trade == "" {
		return fullWidth(c.full)
	}
	region, trade, indu, form := c.region, c.trade, c.indu, c.form
	bracket, spaced, wide := false, false, false
	for k := 0; k < 1+r.IntN(3); k++ {
		switch r.IntN(9) {
		case 0:
			region = ""
		case 1:
			bracket = region != ""
		case 2:
			form = map[string]string{"有限公司": "有限责任公司", "有限责任公司": "有限公司", "股份有限公司": "有限公司"}[form]
		case 3:
			wide = true
		case 4: // the short name people say: 深圳华为, 华为
			indu, form = "", ""
		case 5: // a slip in the trade name
			if chance(r, 0.5) {
				rs := []rune(trade)
				other := []rune(trades[r.IntN(len(trades))])
				if len(other) > 0 {
					rs[r.IntN(len(rs))] = other[r.IntN(len(other))]
					trade = string(rs)
				}
			}
		case 6:
			spaced = true
		case 7:
			indu = ""
		case 8:
			region = strings.TrimSuffix(region, "市")
		}
	}
	var name string
	switch {
	case bracket:
		name = trade + indu + "(" + strings.TrimSuffix(region, "市") + ")" + form
	case spaced && region != "":
		name = region + " " + trade + indu + form
	default:
		name = region + trade + indu + form
	}
	if wide {
		name = fullWidth(name)
	}
	return name
}

func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '(':
			return '（'
		case r == ')':
			return '）'
		case r > ' ' && r < 0x7f:
			return r + 0xFEE0
		}
		return r
	}, s)
}

// parseSpans reads the labelled parts: "LOC=上海;NAME=都德;INDU=商贸;ORG=有限公司".
func parseSpans(full, spans string) company {
	c := company{full: full}
	formSeen := false
	for _, sp := range strings.Split(spans, ";") {
		typ, text, _ := strings.Cut(sp, "=")
		switch {
		case typ == "LOC" && c.region == "" && !formSeen:
			c.region = text
		case typ == "NAME" && !formSeen:
			c.trade += text
		case typ == "INDU" && !formSeen:
			c.indu += text
		case typ == "ORG" && !formSeen:
			c.form, formSeen = text, true
		}
	}
	if c.trade == "" || c.form == "" || strings.ContainsAny(full, "()（）") || c.region+c.trade+c.indu+c.form != full {
		c.trade = "" // an irregular name: only written as it is
	}
	return c
}

func allCities() []string {
	var out []string
	for _, p := range dossier.Provinces() {
		out = append(out, p.Cities...)
	}
	return out
}

// cityOf is the company's city, consistent with its name: the labelled
// region when it is a city (or a county: its name stands in), a city of
// the province when it is a province, else a random city.
func cityOf(region string, cities []string, r *rand.Rand) string {
	if region == "" {
		return cities[r.IntN(len(cities))]
	}
	if p, ok := dossier.FindProvince(region); ok {
		return p.Cities[r.IntN(len(p.Cities))]
	}
	for _, p := range dossier.Provinces() {
		if strings.HasPrefix(region, p.Name) || strings.HasPrefix(region, p.Short) {
			region = strings.TrimPrefix(strings.TrimPrefix(region, p.Name), p.Short)
		}
	}
	if region == "" {
		return cities[r.IntN(len(cities))]
	}
	if i := strings.IndexAny(region, "市县区"); i > 0 {
		// 如皋市 stays, 新兴县 stays a county: the city field people
		// fill in names the place in the company's name.
		return region[:i+len("市")]
	}
	return region + "市"
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func creditCode(r *rand.Rand) string {
	b := []byte("91")
	for len(b) < 17 {
		b = append(b, creditAlphabet[r.IntN(len(creditAlphabet))])
	}
	c, _ := dossier.CreditCodeCheck(string(b))
	return string(append(b, c))
}

func phone(r *rand.Rand) string { return fmt.Sprintf("13%09d", r.IntN(1_000_000_000)) }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }
