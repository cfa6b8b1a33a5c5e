package dedupe

// abbrev maps the abbreviations of words common in organisation names to
// the full word, so that "Aalborg Univ." and "Aalborg University", or
// "Dept. of Computer Sci." and "Department of Computer Science", share
// their words. Only abbreviations that mean nothing else in such names are
// listed ("lab", not "co", which is also a state and a word of a place).
var abbrev = map[string]string{
	"univ":     "university",
	"uni":      "university",
	"dept":     "department",
	"dep":      "department",
	"lab":      "laboratory",
	"labs":     "laboratories",
	"inst":     "institute",
	"instit":   "institute",
	"natl":     "national",
	"nat":      "national",
	"intl":     "international",
	"int":      "international",
	"sci":      "science",
	"sciences": "science",
	"comput":   "computer",
	"comp":     "computer",
	"eng":      "engineering",
	"engg":     "engineering",
	"tech":     "technology",
	"technol":  "technology",
	"res":      "research",
	"ctr":      "center",
	"cntr":     "center",
	"centre":   "center",
	"assoc":    "association",
	"mgmt":     "management",
	"corp":     "corporation",
	"div":      "division",
	"fac":      "faculty",
	"grp":      "group",
	"sch":      "school",
	"coll":     "college",
}

// foldWords replaces, in place, the abbreviations among the words of a
// name without Chinese characters by their full word (see abbrev) and
// returns ws.
func foldWords(ws []string) []string {
	for i, w := range ws {
		if full, ok := abbrev[w]; ok {
			ws[i] = full
		}
	}
	return ws
}
