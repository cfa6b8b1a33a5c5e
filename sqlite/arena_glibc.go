//go:build linux && cgo

package sqlite

/*
#include <malloc.h>

static int dossier_trim(void) { return malloc_trim(0); }

static int dossier_limit_arenas(int n) {
#ifdef M_ARENA_MAX
	return mallopt(M_ARENA_MAX, n);
#else
	return 0;
#endif
}
*/
import "C"

// limitArenas caps glibc's malloc arenas (no-op on other C libraries).
func limitArenas(n int) { C.dossier_limit_arenas(C.int(n)) }

// trimMalloc returns the free memory at the top of glibc's heaps and in
// its arenas' free pages to the system.
func trimMalloc() { C.dossier_trim() }
