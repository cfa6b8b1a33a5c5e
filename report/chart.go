package report

// Charts are drawn as inline SVG by the template from the geometry
// computed here, so the report prints without JavaScript and every label
// goes through html/template's escaping. Only our own layout arithmetic is
// hand-written; there is no charting library in it.

// Chart is a horizontal bar chart: one row per bar, bar length in
// proportion to Value/Max.
type Chart struct {
	Width, Height int
	LabelWidth    int // room left of the bars for the labels
	BarMax        int // pixel length of a full bar
	Bars          []Bar
}

// Bar is one bar with its position.
type Bar struct {
	Label     string
	Text      string // the figure shown after the bar, e.g. "20 / 30"
	Y, W      int    // top and length in pixels
	TextX     int
	LabelY    int // baseline of the label and text
	Level     string
	FullWidth int // the track behind the bar
}

const (
	chartWidth   = 640
	chartLabelW  = 180
	chartBarMax  = 360
	chartRow     = 30
	chartBarH    = 18
	chartPadding = 8
)

// newChart lays out bars of value v[i] out of max m[i].
func newChart(labels, texts, levels []string, v, m []int) *Chart {
	if len(labels) == 0 {
		return nil
	}
	c := &Chart{Width: chartWidth, Height: 2*chartPadding + len(labels)*chartRow, LabelWidth: chartLabelW, BarMax: chartBarMax}
	for i, l := range labels {
		w := 0
		if m[i] > 0 {
			w = min(max(v[i], 0)*chartBarMax/m[i], chartBarMax)
		}
		y := chartPadding + i*chartRow + (chartRow-chartBarH)/2
		c.Bars = append(c.Bars, Bar{Label: l, Text: texts[i], Y: y, W: w, TextX: chartLabelW + chartBarMax + 10,
			LabelY: y + chartBarH - 4, Level: levels[i], FullWidth: chartBarMax})
	}
	return c
}

// ScoreChart draws R, F, M and V against their maxima.
func (r *Report) ScoreChart() *Chart {
	if r.Score == nil {
		return nil
	}
	var labels, texts, levels []string
	var v, m []int
	for _, p := range r.Score.Parts {
		labels, texts = append(labels, p.Component+" "+p.Label), append(texts, itoa(p.Points)+" / "+itoa(p.Max))
		level := "low"
		switch {
		case p.Points >= p.Max:
			level = "high"
		case p.Points*3 >= p.Max*2:
			level = "medium"
		}
		levels, v, m = append(levels, level), append(v, p.Points), append(m, p.Max)
	}
	return newChart(labels, texts, levels, v, m)
}

// ICPChart draws the fit to each ideal customer profile in percent.
func (r *Report) ICPChart() *Chart {
	if r.Analysis == nil {
		return nil
	}
	var labels, texts, levels []string
	var v, m []int
	for _, f := range r.Analysis.ICP {
		level := "low"
		switch {
		case f.Fit >= 80:
			level = "high"
		case f.Fit >= 50:
			level = "medium"
		}
		labels, texts, levels = append(labels, f.Name), append(texts, itoa(f.Fit)+"%"), append(levels, level)
		v, m = append(v, f.Fit), append(m, 100)
	}
	return newChart(labels, texts, levels, v, m)
}
