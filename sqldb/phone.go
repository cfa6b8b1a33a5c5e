package sqldb

import (
	"strings"

	"github.com/dossier/dossier"
)

// canonPhone brings a stored contact phone to the form two equal numbers
// share: ParsePhone's E.164 where it parses, else the text as written.
func canonPhone(p string) string {
	if canonCNPhone(p) {
		return p
	}
	if c, err := dossier.ParsePhone(p); err == nil {
		return c
	}
	return strings.TrimSpace(p)
}

// canonCNPhone reports, without libphonenumber, that canonPhone(s) is s:
// s is "+86", ASCII digits that cannot begin with China's national prefix
// or carrier code, and perhaps ";ext=" and up to 20 digits, the form
// ParsePhone stores. Reading every stored phone with libphonenumber's
// regular expressions was 44 s of 136 s of `dossier dedupe` on a million
// customers.
//
// Why it holds, whatever the digits: "+86" gives country code 86 (8 is no
// code), and libphonenumber then strips from the national number only a
// match of CN's national prefix for parsing, (1(?:[12]\d|79)\d\d)|0, which
// the first digits below exclude; so a valid number formats back to s, and
// one that does not parse or is invalid makes canonPhone return the text,
// s again. TestCanonCNPhone checks this against libphonenumber, so a
// metadata change that breaks it fails there.
func canonCNPhone(s string) bool {
	num, ext, hasExt := strings.Cut(s, ";ext=")
	if hasExt && (len(ext) == 0 || len(ext) > 20 || !asciiDigits(ext)) {
		return false
	}
	nsn, ok := strings.CutPrefix(num, "+86")
	if !ok || len(nsn) < 2 || len(nsn) > 17 || !asciiDigits(nsn) {
		return false
	}
	switch {
	case nsn[0] >= '2':
		return true
	case nsn[0] == '1':
		// 11…, 12… and 179… may start a carrier code (12593, 17951).
		return nsn[1] != '1' && nsn[1] != '2' && !strings.HasPrefix(nsn, "179")
	}
	return false // 0 is the national prefix
}

func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
