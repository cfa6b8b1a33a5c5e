package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	body := []byte(`{"event":"customer.created","data":{"customer_id":1}}`)
	sig := Sign("secret-0123456789", 1700000000, body)
	tests := []struct {
		name   string
		secret string
		at     int64
		body   []byte
		sig    string
		ok     bool
	}{
		{"valid", "secret-0123456789", 1700000000, body, sig, true},
		{"other secret", "secret-xxxxxxxxxx", 1700000000, body, sig, false},
		{"replayed at another time", "secret-0123456789", 1700000001, body, sig, false},
		{"changed body", "secret-0123456789", 1700000000, append([]byte(" "), body...), sig, false},
		{"no prefix", "secret-0123456789", 1700000000, body, sig[len("sha256="):], false},
		{"empty", "secret-0123456789", 1700000000, body, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.secret, tt.at, tt.body, tt.sig); got != tt.ok {
				t.Errorf("Verify = %v, want %v", got, tt.ok)
			}
		})
	}
	// The documented construction: HMAC-SHA256 of "TIMESTAMP.BODY", hex.
	if want := "sha256=" + hmacHex("k", strconv.Itoa(5)+"."+"b"); Sign("k", 5, []byte("b")) != want {
		t.Errorf("Sign does not sign TIMESTAMP.BODY")
	}
}

func TestDelay(t *testing.T) {
	s := &Sender{Backoff: time.Second, MaxBackoff: 10 * time.Second}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 40: 10 * time.Second} {
		if got := s.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want)
		}
	}
}

// FuzzVerify: Verify never panics and accepts only what Sign produced.
func FuzzVerify(f *testing.F) {
	f.Add("secret", int64(1), []byte("{}"), "sha256=00")
	f.Fuzz(func(t *testing.T, secret string, at int64, body []byte, sig string) {
		if Verify(secret, at, body, sig) != (sig == Sign(secret, at, body)) {
			t.Errorf("Verify disagrees with Sign for %q", sig)
		}
	})
}

func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
