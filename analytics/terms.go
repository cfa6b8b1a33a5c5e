package analytics

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// The segmenter is gse (a maintained Go port of jieba's method: a
// dictionary DAG plus an HMM for words it does not know) loaded with
// Dossier's own business vocabulary instead of gse's 20 MB general
// dictionary: that one costs 30 MB of binary, ~200 MB of heap and seconds
// to load, which `dossier serve` cannot afford for one analysis, while the
// need and interaction texts this package clusters are business language.
// Words outside the vocabulary still come out whole through the HMM.
//
//go:embed terms.txt
var termsTxt string

var (
	segOnce sync.Once
	seg     gse.Segmenter
	segErr  error
)

func segmenter() (*gse.Segmenter, error) {
	segOnce.Do(func() {
		var lines []string
		for _, l := range strings.Split(termsTxt, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		seg.SkipLog = true
		segErr = seg.LoadDictStr(strings.Join(lines, "\n"))
	})
	return &seg, segErr
}

// stopWords carry no topic: function words and the verbs every note has.
var stopWords = map[string]bool{
	"客户": true, "需要": true, "希望": true, "表示": true, "进行": true, "已经": true, "正在": true,
	"没有": true, "我们": true, "他们": true, "对于": true, "以及": true, "一个": true, "存在": true,
	"提到": true, "较大": true, "较高": true, "要求": true, "实现": true, "提升": true, "建设": true,
	"目前": true, "主要": true, "比较": true, "非常": true, "可以": true, "能够": true, "相关": true, "方面": true,
	"the": true, "and": true, "for": true, "with": true,
}

// Terms splits a text into the words that can characterise it: words of
// two or more characters, or Latin words (ERP, WMS) of two or more
// letters, lower-cased, without stop words and numbers.
func Terms(text string) ([]string, error) {
	s, err := segmenter()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range s.Cut(text, true) {
		w = strings.ToLower(strings.TrimSpace(w))
		if utf8.RuneCountInString(w) < 2 || stopWords[w] || !wordLike(w) {
			continue
		}
		out = append(out, w)
	}
	return out, nil
}

// wordLike is true for a word of letters (Han or Latin), not punctuation
// or digits.
func wordLike(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
