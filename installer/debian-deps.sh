#!/usr/bin/env bash
# Installs the Debian 12 packages Chainsight builds and tests with, skipping those already present.
# Used by ./dev.sh (and so by CI). Needs root or sudo. Installs without recommends, so dependencies Debian only
# recommends are listed too (Qt Charts' CMake config needs Qt6OpenGL: libqt6opengl6-dev; cpack's .deb needs file;
# the sanitizers need llvm's llvm-symbolizer to name functions in their reports and match suppressions).
set -euo pipefail

PACKAGES=(
    build-essential cmake pkg-config git
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev qt6-svg-dev libgl-dev
    zlib1g-dev libsqlite3-dev libgraphviz-dev libarchive-dev libsimdjson-dev libssl-dev
    qtkeychain-qt6-dev libyaml-cpp-dev
    googletest libgtest-dev libgmock-dev
    python3 python3-cryptography
    xvfb xauth imagemagick poppler-utils desktop-file-utils groff-base
    clang libclang-rt-14-dev llvm ccache file
)

missing=()
for p in "${PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "debian-deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "debian-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
