#!/usr/bin/env bash
# Renders docs/screenshot-containment.png (and -receipts.png): the Containment panel on the demo incident after a
# dry run and real runs against a loopback HTTPS test backend (a CA made by the test), under Xvfb.
# Usage: tests/containment/screenshot.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: screenshot.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/docs/screenshot-containment.png"
CHAINSIGHT_SCREENSHOT="$out" CHAINSIGHT_ANALYST=alice TZ=UTC LANG=C.UTF-8 QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/containment_gui_tests"
echo "wrote $out"
