# Dossier: the same targets run locally and in CI (.ci/run).
GO ?= go
PKGS := ./...

.PHONY: run test test-short lint bench bench-go build fuzz

build:
	$(GO) build -o dossier ./cmd/dossier

run:
	$(GO) run ./cmd/dossier serve --demo

# The test command of the README. PostgreSQL tests run when
# DOSSIER_TEST_POSTGRES is set to a server URL (CI sets it, and fails without).
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)

# Each parser's fuzz target for a short while (FUZZTIME=1m for longer).
FUZZTIME ?= 10s
FUZZPKGS ?= $(shell $(GO) list ./... )
fuzz:
	@for p in $(FUZZPKGS); do for f in $$($(GO) test -list 'Fuzz.*' $$p | grep ^Fuzz); do \
		$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$p || exit 1; done; done

# One run that generates demo data and measures import (against sqlite3
# .import and psql \copy), recompute, dedupe, filters, pivots and serve
# memory side by side; BENCH_CUSTOMERS=1000000 for the issues' goals.
BENCH_CUSTOMERS ?= 100000
bench:
	bench/run.sh $(BENCH_CUSTOMERS)

# The Go benchmarks alone.
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./...
