package dedupe

// The word lists of ParseAffiliation, every word as affilWords gives it
// (lower case, no accents, abbreviations and foreign words folded). They
// were written from general knowledge of how organisations are named, not
// from the records of a test set.

// universityWords make a segment a university: the strongest sign of an
// organisation.
var universityWords = set("university", "polytechnic", "hochschule", "academy", "universiteit")

// instituteWords make a segment an institute or college: an organisation,
// weaker than a university it belongs to ("Institute for Advanced Computer
// Studies, University of Maryland", "College of Information Science,
// Drexel University").
var instituteWords = set("institute", "institution", "college")

// companyWords make a segment a company, laboratory or research centre.
var companyWords = set("corporation", "inc", "incorporated", "ltd", "limited", "llc", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "srl", "spa", "ab", "oy", "kk",
	"company", "laboratory", "laboratories", "research", "center", "technologies", "systems", "software", "foundation", "agency", "organization", "organisation",
	"hospital", "council", "consortium", "network", "networks", "services", "solutions", "communications", "telecom", "bank")

// deptWords make a segment a department, school or group inside an
// organisation.
var deptWords = set("department", "division", "school", "faculty", "group", "program", "programme", "chair", "section", "unit", "team", "project", "lehrstuhl", "fachbereich")

// streetWords make a segment an address line.
var streetWords = set("street", "st", "road", "rd", "avenue", "ave", "drive", "dr", "way", "boulevard", "blvd", "lane", "box", "po", "pobox", "suite", "room", "bldg", "building", "floor", "parkway", "strasse", "str", "rue", "via", "calle", "platz", "weg", "allee", "mailstop", "ms", "hall", "highway", "hwy", "place")

// placeWords are the words of countries, states and provinces: a segment
// of them alone (and postcodes) is a place.
var placeWords = set(
	// countries and their short forms
	"usa", "us", "america", "united", "states", "uk", "kingdom", "england", "scotland", "wales", "ireland", "canada", "mexico", "brazil", "argentina", "chile", "colombia", "peru", "venezuela",
	"germany", "deutschland", "france", "italy", "italia", "spain", "espana", "portugal", "netherlands", "holland", "belgium", "luxembourg", "switzerland", "schweiz", "suisse", "austria", "osterreich",
	"denmark", "sweden", "norway", "finland", "iceland", "poland", "czech", "republic", "slovakia", "hungary", "romania", "bulgaria", "greece", "turkey", "cyprus", "malta", "russia", "ukraine", "estonia", "latvia", "lithuania", "slovenia", "croatia", "serbia",
	"israel", "egypt", "south", "north", "africa", "nigeria", "kenya", "morocco", "tunisia", "saudi", "arabia", "uae", "emirates", "iran", "pakistan", "india", "bangladesh", "sri", "lanka", "nepal",
	"china", "pr", "prc", "hong", "kong", "sar", "macau", "taiwan", "roc", "japan", "korea", "singapore", "malaysia", "thailand", "vietnam", "indonesia", "philippines", "australia", "zealand", "new",
	// US states and their postal codes
	"alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "hampshire", "jersey", "york", "carolina", "dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode", "island", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "west", "wisconsin", "wyoming", "dc",
	"al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy",
	// Canadian provinces and Australian states
	"ontario", "ont", "on", "quebec", "qc", "bc", "british", "columbia", "alberta", "ab", "manitoba", "mb", "saskatchewan", "nova", "scotia", "ns", "brunswick", "nb", "nsw", "victoria", "vic", "queensland", "qld",
)

// foreignWords fold the words of organisation names in other Latin-script
// languages, and the native names of a few cities, to English.
var foreignWords = map[string]string{
	"universitat": "university", "universitaet": "university", "universite": "university", "universita": "university", "universidad": "university", "universidade": "university",
	"universitet": "university", "universitetet": "university", "uniwersytet": "university", "univerzita": "university", "universiti": "university", "universitas": "university",
	"technische": "technical", "technischen": "technical", "technischer": "technical", "technique": "technical", "tecnica": "technical", "tecnico": "technical", "tecnologico": "technological",
	"institut": "institute", "instituto": "institute", "istituto": "institute", "institutet": "institute", "instytut": "institute",
	"politecnico": "polytechnic", "politecnica": "polytechnic", "polytechnique": "polytechnic", "politechnika": "polytechnic", "polytechnical": "polytechnic",
	"laboratoire": "laboratory", "laboratorio": "laboratory", "laboratorium": "laboratory",
	"departement": "department", "departamento": "department", "dipartimento": "department", "departament": "department",
	"centro": "center", "zentrum": "center", "centrum": "center",
	"nationale": "national", "nacional": "national", "nazionale": "national",
	"ecole": "school", "escuela": "school", "scuola": "school",
	"munchen": "munich", "wien": "vienna", "koln": "cologne", "roma": "rome", "milano": "milan", "napoli": "naples", "torino": "turin", "firenze": "florence",
	"praha": "prague", "lisboa": "lisbon", "warszawa": "warsaw", "geneve": "geneva", "bruxelles": "brussels", "kobenhavn": "copenhagen", "athina": "athens",
}

// joinWords join the words of a name and say nothing of which
// organisation it is.
var joinWords = set("of", "the", "at", "for", "and", "de", "di", "du", "des", "der", "den", "la", "le", "les", "del", "della", "da", "do", "dos", "in", "und", "et", "e", "y", "an", "a", "fur", "zu", "van", "von", "voor", "i")

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// countryNames are the spellings of countries (one word or two) and the
// country each names; a state or province names its country.
var countryNames = map[string]string{
	"usa": "usa", "us": "usa", "america": "usa", "united states": "usa",
	"uk": "uk", "united kingdom": "uk", "england": "uk", "scotland": "uk", "wales": "uk", "britain": "uk",
	"canada": "canada", "ontario": "canada", "ont": "canada", "quebec": "canada", "qc": "canada", "british columbia": "canada", "bc": "canada", "alberta": "canada", "manitoba": "canada", "nova scotia": "canada",
	"australia": "australia", "nsw": "australia", "queensland": "australia", "victoria": "australia", "new zealand": "new zealand",
	"china": "china", "prc": "china", "hong kong": "china", "macau": "china", "taiwan": "taiwan", "roc": "taiwan", "japan": "japan", "korea": "korea", "singapore": "singapore",
	"india": "india", "israel": "israel", "germany": "germany", "deutschland": "germany", "france": "france", "italy": "italy", "italia": "italy", "spain": "spain", "espana": "spain",
	"portugal": "portugal", "netherlands": "netherlands", "holland": "netherlands", "belgium": "belgium", "switzerland": "switzerland", "schweiz": "switzerland", "suisse": "switzerland",
	"austria": "austria", "osterreich": "austria", "denmark": "denmark", "sweden": "sweden", "norway": "norway", "finland": "finland", "ireland": "ireland", "poland": "poland", "greece": "greece",
	"turkey": "turkey", "russia": "russia", "brazil": "brazil", "mexico": "mexico", "argentina": "argentina", "chile": "chile", "egypt": "egypt", "iran": "iran", "pakistan": "pakistan",
	"malaysia": "malaysia", "thailand": "thailand", "vietnam": "vietnam", "indonesia": "indonesia", "philippines": "philippines", "hungary": "hungary", "czech": "czech", "romania": "romania",
}

// usStates are the states of the United States, by name and postal code
// (one-word names only; "new york" and "ny" are both in placeWords).
var usStates = set("alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "hampshire", "jersey", "york", "carolina", "dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "wisconsin", "wyoming", "dc",
	"ak", "az", "ca", "ct", "fl", "ga", "ia", "ks", "ky", "md", "ma", "mi", "mn", "mo", "mt", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy")

// companyForms are the legal forms of companies: "Oracle", "Oracle Corp."
// and "Oracle USA Inc" are one company.
var companyForms = set("inc", "incorporated", "corporation", "ltd", "limited", "llc", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "srl", "spa", "co", "company", "kk", "oy", "ab", "pty", "lp", "llp")
