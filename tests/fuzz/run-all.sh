#!/usr/bin/env bash
# Runs every fuzz target of a build one after another for a fixed number of executions (or seconds) and
# prints a table: executions, coverage (libFuzzer's cov: edges and ft: features), corpus size, time, result.
#   usage: tests/fuzz/run-all.sh BUILD [RUNS [MAX_SECONDS [TARGET...]]]
#   e.g.   tests/fuzz/run-all.sh build-asan 1000000 3600
# Each target keeps what it finds in BUILD/fuzz-corpus/work/<target> (seeded from BUILD/fuzz-corpus/seeds);
# crashes are left as BUILD/fuzz-corpus/crash-<target>-*; logs in BUILD/fuzz-corpus/log-<target>.txt.
set -uo pipefail
build=$(cd "${1:?usage: run-all.sh BUILD [RUNS [MAX_SECONDS [TARGET...]]]}" && pwd)
runs=${2:-1000000}
secs=${3:-0}
shift $(( $# < 3 ? $# : 3 ))
src=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$build/fuzz-corpus
[ -d "$corpus/seeds" ] || "$build/tests/fuzz_seed_corpus" "$src" "$corpus/seeds" || exit 1
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in "$build"/tests/fuzz_*; do
        t=${f##*/fuzz_}
        [ "$t" = seed_corpus ] || targets+=("$t")
    done
fi
printf "%-16s %12s %8s %8s %8s %8s  %s\n" target execs cov ft corpus seconds result
status=0
for t in "${targets[@]}"; do
    mkdir -p "$corpus/work/$t" "$corpus/seeds/$t"
    log=$corpus/log-$t.txt
    start=$SECONDS
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/tests/fuzz_$t" -runs="$runs" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
        -dict="$src/tests/fuzz/json.dict" -print_final_stats=1 -artifact_prefix="$corpus/crash-$t-" \
        "$corpus/work/$t" "$corpus/seeds/$t" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -E "^#[0-9]+" "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    n=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
    result=ok
    [ $rc -eq 0 ] || { result="FAILED (rc $rc, see $log)"; status=1; }
    printf "%-16s %12s %8s %8s %8s %8s  %s\n" "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${n:-?}" $((SECONDS - start)) "$result"
done
exit $status
