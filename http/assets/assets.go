// Package assets holds the web UI's stylesheet and script. The server serves
// them under content-hash names, so browsers may cache them for a year and
// still see a change the moment a new binary ships.
package assets

import "embed"

// FS holds every asset at its plain name ("app.css").
//
//go:embed *.css *.js
var FS embed.FS
