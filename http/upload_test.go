package http

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

// multipartBody is a form with the given fields in order ("file" as a file).
func multipartBody(fields ...string) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i] == "file" {
			fw, _ := mw.CreateFormFile("file", "a.csv")
			_, _ = fw.Write([]byte(fields[i+1]))
			continue
		}
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	_ = mw.Close()
	return &b, mw.FormDataContentType()
}

func TestMultipartToken(t *testing.T) {
	big := strings.Repeat("x", 8<<10)
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{"token first", []string{"csrf", "tok", "file", big}, "tok"},
		{"file first", []string{"file", "a", "csrf", "tok"}, ""},
		{"token after a big field", []string{"pad", big, "csrf", "tok"}, ""},
		{"no token", []string{"file", "a"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartBody(tt.fields...)
			orig := body.String()
			r := httptest.NewRequest("POST", "/import", body)
			r.Header.Set("Content-Type", ct)
			if got := multipartToken(r); got != tt.want {
				t.Errorf("token %q, want %q", got, tt.want)
			}
			// The handler still reads the whole upload.
			if rest, _ := io.ReadAll(r.Body); string(rest) != orig {
				t.Errorf("body changed: %d bytes, want %d", len(rest), len(orig))
			}
		})
	}
}

// FuzzMultipartToken: any body and content type, no panic, and the body
// the handler reads afterwards is the one sent.
func FuzzMultipartToken(f *testing.F) {
	body, ct := multipartBody("csrf", "tok", "file", "客户名称\n甲\n")
	f.Add(body.Bytes(), ct)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nx"), "multipart/form-data; boundary=b")
	f.Add([]byte{}, "multipart/form-data")
	f.Fuzz(func(t *testing.T, data []byte, ct string) {
		r := httptest.NewRequest("POST", "/import", bytes.NewReader(data))
		r.Header.Set("Content-Type", ct)
		_ = multipartToken(r)
		if rest, _ := io.ReadAll(r.Body); !bytes.Equal(rest, data) {
			t.Fatalf("body changed: %q, want %q", rest, data)
		}
	})
}
