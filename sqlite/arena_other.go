//go:build !linux || !cgo

package sqlite

func limitArenas(int) {}

func trimMalloc() {}
