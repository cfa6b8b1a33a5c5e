package demo

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// person is a Chinese name with its pinyin, for e-mail addresses.
type person struct {
	zh           string
	surPY, given string // pinyin of surname and given name
}

func personName(r *rand.Rand) person {
	s := pickSkewed(r, surnames)
	g1 := pick(r, givenChars)
	if chance(r, 0.35) { // one-character given names: 张伟
		return person{zh: s.zh + g1.zh, surPY: s.py, given: g1.py}
	}
	g2 := pick(r, givenChars)
	return person{zh: s.zh + g1.zh + g2.zh, surPY: s.py, given: g1.py + g2.py}
}

var mobilePrefixes = []string{"139", "138", "137", "136", "135", "186", "185", "158", "150", "152", "177", "188", "199", "189", "133"}

// mobile returns an 11-digit mobile number.
func mobile(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(pick(r, mobilePrefixes))
	for range 8 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// email returns a work address at the company's domain or, at small firms,
// a personal one.
func email(r *rand.Rand, p person, dom string, small bool) string {
	if small && chance(r, 0.35) {
		return p.surPY + p.given + itoa(between(r, 70, 99)) + "@" + pick(r, personalMail)
	}
	local := p.surPY + p.given
	switch r.IntN(4) {
	case 0:
		local = p.surPY + "." + p.given
	case 1:
		local = p.given + "." + p.surPY
	}
	return local + "@" + dom
}

// Contacts per customer: 1-5, three the most common.
var contactCountW = newWeighted([]int{12, 23, 30, 22, 13})

// contacts draws a customer's people. Most customers with three or more
// contacts have a complete decision chain; the others miss a role, which the
// decision-chain check reports.
func (g *generator) contacts(p *profile, r *rand.Rand) []dossier.Contact {
	n := 1 + contactCountW.draw(r)
	roles := make([]string, 0, n)
	if n >= 3 && chance(r, 0.7) {
		roles = append(roles, roleDecision, roleTechnical, roleProcurement)
	}
	for len(roles) < n {
		roles = append(roles, pick(r, otherRoles))
	}
	out := make([]dossier.Contact, n)
	var names []string
	for i, role := range roles {
		who := personName(r)
		for slices.Contains(names, who.zh) {
			who = personName(r)
		}
		names = append(names, who.zh)
		out[i] = g.contact(p, r, who, role)
	}
	g.plantContactInvalid(p, out, r)
	return out
}

func (g *generator) contact(p *profile, r *rand.Rand, who person, role string) dossier.Contact {
	// Met before or at the first contact: the notes mention these people.
	at := g.day(max(0, p.first-r.IntN(5)), 8)
	src := dossier.Source{Channel: dossier.ChannelCustomer, Detail: pick(r, contactSources), CollectedAt: at, CollectedBy: p.owner.Name}
	switch src.Detail {
	case "展会名录":
		src.Channel = dossier.ChannelThirdParty
	case "CRM历史记录":
		src.Channel = dossier.ChannelInternal
	}
	c := dossier.Contact{CustomerID: p.id, Name: who.zh, Title: pick(r, roleTitles[role]), Role: role, Source: src, CreatedAt: at}
	if chance(r, 0.95) {
		c.Phone = "+86" + mobile(r)
	}
	if chance(r, 0.75) {
		c.Email = email(r, who, p.domain, p.size < sizeMedium)
	}
	if chance(r, 0.35) {
		c.Preferences = pick(r, contactPreferences)
	}
	return c
}

// plantContactInvalid breaks the first contact's e-mail or phone when the
// plan says so: "wang@", or a mobile number missing a digit, as typed.
func (g *generator) plantContactInvalid(p *profile, cs []dossier.Contact, r *rand.Rand) {
	switch p.invalid {
	case invalidEmail:
		local, _, _ := strings.Cut(email(r, personName(r), p.domain, false), "@")
		cs[0].Email = local + "@"
	case invalidPhone:
		cs[0].Phone = mobile(r)[:10]
	}
}
