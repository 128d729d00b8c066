#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./dev.sh demo   install what is missing, build, open the workbench on the bundled demo incident
#   ./dev.sh test   install what is missing, build, run the whole test suite (what CI runs): the normal build and its
#                   suite, then the sanitizer build and its suite, then a bounded fuzzing smoke run of every target
#                   (CHAINSIGHT_FUZZ_SECONDS each, 30 here)
# The parts of `test` on their own:
#   ./dev.sh suite      the normal build (build/, the same tree `demo` builds, so one follows the other without
#                       a second full compile) and the whole suite
#   ./dev.sh sanitize   the ASan + UBSan build (build-asan, clang) and the whole suite under it
#   ./dev.sh fuzz       the fuzz targets of that build, CHAINSIGHT_FUZZ_SECONDS (default 60) each
# Knobs: CHAINSIGHT_TEST_INSTALL=OFF leaves out the .deb install test (on by default, and in CI); CHAINSIGHT_SANITIZE_GUI=OFF
# leaves the window and its tests out of the sanitizer build (in by default, and in CI); JOBS=N. Long fuzzing
# runs: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

build() {
    local dir=$1; shift
    local t0=$SECONDS
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${LAUNCHER[@]}" "$@"
    cmake --build "$dir" -j "$JOBS"
    echo "dev.sh: built $dir in $((SECONDS - t0)) s"
}

suite() {
    build build -DCHAINSIGHT_TEST_INSTALL="${CHAINSIGHT_TEST_INSTALL:-ON}"
    (cd build && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$JOBS" --timeout 1200)
}

# One clang build serves both the sanitizer suite and the fuzzers: ASan + UBSan everywhere (every UBSan finding
# is fatal, -fno-sanitize-recover), LeakSanitizer on, the libFuzzer targets beside the tests, the window and its
# tests included (CHAINSIGHT_SANITIZE_GUI=OFF leaves them out, for a quicker build).
sanitize_build() {
    build build-asan -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DCHAINSIGHT_SANITIZE=ON -DCHAINSIGHT_FUZZ=ON \
        -DCHAINSIGHT_BUILD_GUI="${CHAINSIGHT_SANITIZE_GUI:-ON}" -DCHAINSIGHT_TEST_INSTALL=OFF \
        -DCHAINSIGHT_FUZZ_SECONDS="${CHAINSIGHT_FUZZ_SECONDS:-60}"
}

sanitize() {
    sanitize_build
    (cd build-asan && \
        ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1 \
        LSAN_OPTIONS=suppressions="$PWD/../tests/hardening/lsan.supp":print_suppressions=0 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        CHAINSIGHT_KILLS=${CHAINSIGHT_KILLS:-10} CHAINSIGHT_EDIT_KILLS=${CHAINSIGHT_EDIT_KILLS:-10} \
        QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$JOBS" --timeout 2400 -LE fuzz)
}

# The bounded fuzzing smoke run: CHAINSIGHT_FUZZ_SECONDS (default 60) per target, one target at a time.
fuzz() {
    [ -f build-asan/CMakeCache.txt ] || sanitize_build
    cmake -S . -B build-asan -DCHAINSIGHT_FUZZ_SECONDS="${CHAINSIGHT_FUZZ_SECONDS:-60}" >/dev/null
    cmake --build build-asan -j "$JOBS" --target fuzz_all fuzz_seed_corpus
    (cd build-asan && ctest --output-on-failure -L fuzz)
}

case "${1:-}" in
demo)
    installer/debian-deps.sh
    build build
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        echo "No display: running under Xvfb and saving a screenshot to build/demo.png"
        xvfb-run -a -s "-screen 0 1600x1000x24" build/app/chainsight --demo --screenshot build/demo.png
    else
        exec build/app/chainsight --demo
    fi
    ;;
test | all)
    # What CI runs: the normal build and the whole suite, the .deb install test included (as root it installs
    # the package with apt-get and removes it again; as another user it unpacks it into a scratch root); the
    # same suite under ASan + UBSan + LeakSanitizer; every fuzz target for CHAINSIGHT_FUZZ_SECONDS (30 here).
    # On two cores from a clean checkout: about 40 minutes, most of it the two builds. (`all` is the old name.)
    export CHAINSIGHT_FUZZ_SECONDS=${CHAINSIGHT_FUZZ_SECONDS:-30}
    installer/debian-deps.sh
    t0=$SECONDS
    suite
    echo "dev.sh: suite done at $((SECONDS - t0)) s"
    sanitize
    echo "dev.sh: sanitizer suite done at $((SECONDS - t0)) s"
    fuzz
    echo "dev.sh: fuzzing smoke run done at $((SECONDS - t0)) s"
    ;;
suite | sanitize | fuzz)
    installer/debian-deps.sh
    "$1"
    ;;
*)
    echo "usage: ./dev.sh demo | test | suite | sanitize | fuzz" >&2
    exit 2
    ;;
esac
