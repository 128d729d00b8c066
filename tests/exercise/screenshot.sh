#!/usr/bin/env bash
# Renders docs/screenshot-exercise-score.png: the demo exercise's live score after a containment issued at +17m,
# played to the end, under Xvfb. Usage: tests/exercise/screenshot.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: screenshot.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/docs/screenshot-exercise-score.png"
CHAINSIGHT_SCREENSHOT="$out" CHAINSIGHT_ANALYST=alice TZ=UTC LANG=C.UTF-8 QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/exercise_gui_tests" --gtest_filter='*Midway*'
echo "wrote $out"
