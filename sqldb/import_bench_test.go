package sqldb_test

import (
	"os"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// BenchmarkImportCSV imports the customer CSV named by
// DOSSIER_BENCH_IMPORT_CSV (an export of demo customers, see
// bench/import.sh) into a fresh SQLite store per iteration, for profiling
// the importer with -cpuprofile:
//
//	DOSSIER_BENCH_IMPORT_CSV=c.csv go test ./sqldb -run '^$' -bench ImportCSV -benchtime 1x -cpuprofile cpu.out
func BenchmarkImportCSV(b *testing.B) {
	path := os.Getenv("DOSSIER_BENCH_IMPORT_CSV")
	if path == "" {
		b.Skip("DOSSIER_BENCH_IMPORT_CSV not set")
	}
	for range b.N {
		b.StopTimer()
		db := dbtest.SQLite(b, dbtest.Options())
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := csv.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		im := &dossier.Importer{Store: db, Opt: dossier.ImportOptions{}}
		src := dossier.Source{Channel: dossier.ChannelCustomer, Detail: "bench", CollectedAt: time.Now(), CollectedBy: "import"}
		res, err := im.Import(ctx, r, dossier.ImportRun{File: "c.csv", Kind: "customers", Source: src})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		f.Close()
		b.ReportMetric(float64(res.Run.Imported), "imported")
	}
}
