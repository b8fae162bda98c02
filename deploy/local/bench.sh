#!/usr/bin/env bash
# bench.sh measures the registry on PostgreSQL as `make up` runs it (each
# service its own process, the gateway in front) and prints one table
# (tools/load/cmd/hirfa-bench): a bare gRPC health Check as the baseline,
# GetChamber (public) and GetCooperative over gRPC, the same Get through the
# REST edge, and CreateCooperative at 16 and 32 concurrent callers; then
# the embedded default (SQLite) beside PocketBase (hirfa-vs-pocketbase);
# then the Go benchmarks of the event bus, reporting's projector and
# statistics, and the registry's bulk import, each beside its baseline.
#
# `make bench` runs it under tools/dev/services.sh run, which provides a
# throwaway PostgreSQL and Redis (HIRFA_TEST_POSTGRES_DSN/REDIS_URL; with
# fsync off: this measures the software, not the disk). Without them, up.sh
# starts its own. The stack lives in var/bench on free ports and is stopped,
# its databases dropped, when the benchmark ends.
#
# Usage: bench.sh [hirfa-bench flags, e.g. -duration 5s -only Get]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
dir="$root/var/bench"

[[ -x bin/registry && -x bin/gateway ]] || { echo "bench: run make build first" >&2; exit 1; }
trap 'bash "$here/down.sh" --dir "$dir" --drop-databases >/dev/null 2>&1 || true' EXIT
# Warnings only: the services log each start and stop, not each call, but
# keep the disk out of the measurement anyway. The edge's per-principal rate
# limit (500/s by default) stays in the path, with a limit the benchmark's
# single principal cannot reach, decided as deployed (in memory, synced with
# Redis every HIRFA_RATE_LIMIT_SYNC; set it to 0 to measure a Redis round
# trip per request). The records use the sample nomenclature's codes,
# without the demo records.
HIRFA_SEED_DEMO=false HIRFA_SAMPLE_NOMENCLATURE=true HIRFA_LOG_LEVEL=warn HIRFA_RATE_LIMITS="chamber-clerk=1000000/s:1000000" \
	bash "$here/up.sh" --dir "$dir" --free-ports --db-prefix hirfa_bench_ --owner $$ >/dev/null
# shellcheck source=/dev/null
source "$dir/stack.env"
echo "bench: registry on PostgreSQL ($HIRFA_STACK_DATABASES), edge $HIRFA_STACK_HTTP, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
go run ./tools/load/cmd/hirfa-bench \
	-http "$HIRFA_STACK_HTTP" -grpc "$HIRFA_STACK_REGISTRY_ADDR" -key "$HIRFA_AUTH_DEV_KEY_FILE" \
	-stack "$dir" -pg "$HIRFA_STACK_POSTGRES_URL" "$@"

# Hirfa's embedded default (registry on SQLite behind the edge, rate limits
# off) beside PocketBase v0.36.0, what a small chamber might run instead:
# same cooperative fields, REST, bearer tokens, 32 callers, same run. The
# PocketBase binary is built once from the module proxy into ~/.cache/hirfa
# (tools/pocketbase/build.sh), never a dependency of the services. Hirfa's
# side is the registry and the edge only: no event relay, as PocketBase
# publishes nothing either.
echo "bench: embedded default beside PocketBase v0.36.0 (create and get by id)"
pb="$(bash tools/pocketbase/build.sh)"
go run ./tools/load/cmd/hirfa-vs-pocketbase -registry bin/registry -gateway bin/gateway -pocketbase "$pb"

# The event bus and reporting, on the same PostgreSQL and Redis
# (tools/dev/services.sh run exports HIRFA_TEST_POSTGRES_DSN and
# HIRFA_TEST_REDIS_URL), each printed beside its baseline.
echo "bench: event bus, outbox → stream → projection (baselines: raw pipelined XADD, raw INSERT)"
go test -count=1 -run '^$' -bench Pipeline -benchtime 1x ./pkg/eventbus/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)'
echo "bench: event bus lag at a steady ${HIRFA_BENCH_LAG_RATE:-1000} events/s (baseline: Redis XADD→XREAD alone), load average $(cut -d' ' -f1-3 /proc/loadavg)"
go test -count=1 -run '^$' -bench Lag -benchtime 1x ./pkg/eventbus/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)'
echo "bench: reporting's projector at a steady ${HIRFA_BENCH_LAG_RATE:-1000} events/s, registry outbox → stream → ApplyBatch (baseline: the same events applied one at a time), load average $(cut -d' ' -f1-3 /proc/loadavg)"
go test -count=1 -run '^$' -bench ProjectionLag -benchtime 1x ./services/reporting/internal/service/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)'
echo "bench: registerStatistics by province over ${HIRFA_BENCH_ARTISANS:=3000000} artisans (baseline: GROUP BY on the facts)"
HIRFA_BENCH_ARTISANS=$HIRFA_BENCH_ARTISANS go test -count=1 -run '^$' -bench RegisterStatisticsScale -benchtime 1x -v -timeout 40m \
	./services/reporting/internal/adapters/sqlstore/ | grep -v '^=== '

# Bulk import of artisans (registry ImportService) on PostgreSQL and SQLite,
# beside psql \copy of the same file into a plain table in the same run, then
# the p95 of the first page of the documented list filters, national and per
# chamber, over the imported register.
echo "bench: import of ${HIRFA_BENCH_IMPORT_ROWS:=3000000} artisan rows (baseline: psql \\copy of the same file), then first-page p95, load average $(cut -d' ' -f1-3 /proc/loadavg)"
HIRFA_BENCH_IMPORT_ROWS=$HIRFA_BENCH_IMPORT_ROWS go test -count=1 -run '^$' -bench ImportScale -benchtime 1x -timeout 120m \
	./services/registry/internal/service/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\|{\)'

# Tolerant name search (display_name:"…") on PostgreSQL: the first page's
# p95 for absent, rare and common names, national and per chamber, read from
# the trigram index, beside the LIKE scan the registry ran before it.
echo "bench: artisan name search over ${HIRFA_BENCH_SEARCH_ARTISANS:=300000} artisans (baseline: the same page by LIKE '%…%' scan)"
HIRFA_BENCH_SEARCH_ARTISANS=$HIRFA_BENCH_SEARCH_ARTISANS go test -count=1 -run '^$' -bench NameSearch -benchtime 20x -timeout 60m \
	./services/registry/internal/adapters/sqlstore/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)'

# The first page of every documented list filter and order of the four
# registers, national, in the largest chamber and in the smallest, beside a
# primary-key read in the same run: the artisans at issue 11's 3 million,
# the other registers at HIRFA_BENCH_LIST_ROWS.
echo "bench: list first pages over ${HIRFA_BENCH_LIST_ARTISANS:=3000000} artisans and ${HIRFA_BENCH_LIST_ROWS:=300000} rows of each other register (baseline: an artisan read by primary key), load average $(cut -d' ' -f1-3 /proc/loadavg)"
HIRFA_BENCH_LIST_ARTISANS=$HIRFA_BENCH_LIST_ARTISANS HIRFA_BENCH_LIST_ROWS=$HIRFA_BENCH_LIST_ROWS go test -count=1 -run '^$' -bench FirstPages -benchtime 20x -timeout 90m \
	./services/registry/internal/adapters/sqlstore/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)'

# The stored duplicate queue's scan, per changed record, beside the
# recomputation of the whole register every list call made before it (both
# must find the same pairs), on SQLite and PostgreSQL.
echo "bench: duplicate scan over ${HIRFA_BENCH_DUPLICATE_ARTISANS:=20000} artisans (baseline: the per-call recomputation)"
HIRFA_BENCH_DUPLICATE_ARTISANS=$HIRFA_BENCH_DUPLICATE_ARTISANS go test -count=1 -run '^$' -bench DuplicateScan -benchtime 1x -timeout 30m \
	./services/registry/internal/adapters/sqlstore/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)'

# The public cooperative name check as callers see it: anonymous
# CheckCooperativeName over loopback gRPC against 100,000 imported
# cooperatives, at 1 and 16 callers and with a clerk creating cooperatives
# meanwhile, beside the gRPC health Check at the same caller counts. The
# registry's gRPC server has no rate limit (the anonymous one is the
# edge's), so none is in this path.
echo "bench: name check over gRPC, 100,000 cooperatives (baseline: gRPC health Check), load average $(cut -d' ' -f1-3 /proc/loadavg)"
go test -count=1 -run '^$' -bench NameCheckRPC -benchtime 4000x -timeout 30m \
	./services/registry/internal/service/ | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)'
