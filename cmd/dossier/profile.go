package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes a CPU profile to $DOSSIER_CPUPROFILE and, when the
// returned stop runs, a heap (allocations) profile to $DOSSIER_MEMPROFILE:
// for measuring a long command such as score on a real store, where a Go
// benchmark would have to rebuild the data.
func startProfiles(e *env) (stop func()) {
	var stops []func()
	if path := e.getenv("DOSSIER_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "dossier: cpu profile: %v\n", err)
		} else {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := e.getenv("DOSSIER_MEMPROFILE"); path != "" {
		stops = append(stops, func() {
			f, err := os.Create(path)
			if err == nil {
				runtime.GC()
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(e.stderr, "dossier: memory profile: %v\n", err)
			}
		})
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}
