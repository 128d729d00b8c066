#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./dev.sh demo   install what is missing, build, open the workbench on the bundled demo incident
#   ./dev.sh test   install what is missing, build, run the whole test suite (what CI runs)
set -euo pipefail
cd "$(dirname "$0")"
JOBS=$(nproc 2>/dev/null || echo 2)

build() {
    local dir=$1; shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    cmake --build "$dir" -j "$JOBS"
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
test)
    installer/debian-deps.sh
    build build-test -DCHAINSIGHT_TEST_INSTALL="${CHAINSIGHT_TEST_INSTALL:-OFF}"
    cd build-test
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$JOBS" --timeout 1200
    ;;
*)
    echo "usage: ./dev.sh demo | ./dev.sh test" >&2
    exit 2
    ;;
esac
