package dossier

import (
	"strings"
)

// The unified social credit code of GB 32100-2015: 18 characters from an
// alphabet of 31 (no I, O, S, V, Z); the last is a check character computed
// from the first 17 with fixed weights, modulo 31.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheck returns the check character for the first 17 characters of
// a credit code, and false if they contain a character outside the alphabet.
func CreditCodeCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	c := (31 - sum%31) % 31
	return creditAlphabet[c], true
}

// ParseCreditCode upper-cases and checks a unified social credit code.
func ParseCreditCode(s string) (string, error) {
	t := strings.ToUpper(strings.ReplaceAll(CleanText(s), " ", ""))
	if len(t) != 18 {
		return "", reasonf("code_length", "%q is not a unified social credit code: it needs 18 characters, has %d", s, len([]rune(t)))
	}
	want, ok := CreditCodeCheck(t[:17])
	if !ok {
		return "", reasonf("code_char", "%q contains a character not allowed in a credit code (I, O, S, V, Z and symbols are not used)", s)
	}
	if t[17] != want {
		return "", reasonf("code_check", "%q fails the GB 32100 check: the last character should be %s", s, string(rune(want)))
	}
	return t, nil
}
