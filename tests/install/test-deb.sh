#!/usr/bin/env bash
# Installs the .deb built from BUILD and runs what a user would: `chainsight --version`, an import of the
# installed demo bundle and `chainsight info` on the case, the man page check, the desktop entry validated
# and started the way a desktop starts it (its Exec line, under Xvfb, rendering one frame to a PNG).
#   usage: test-deb.sh BUILD SOURCE
# As root it installs the package for real (apt-get resolves its Depends) and removes it afterwards; as
# another user, or with CHAINSIGHT_INSTALL_MODE=extract, it unpacks the package into a scratch root and
# checks it there (the Depends then are not checked).
set -euo pipefail
build=$(cd "${1:?usage: test-deb.sh BUILD SOURCE}" && pwd)
src=$(cd "${2:?usage: test-deb.sh BUILD SOURCE}" && pwd)
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-deb: $*" >&2; exit 1; }
# Output is captured before grep reads it: with pipefail, `cmd | grep -q` fails whenever grep exits at its first
# match while cmd is still writing (SIGPIPE), which made this test fail at random under load.

# 1. The packages, from this build.
(cd "$build" && rm -f chainsight_*.deb chainsight-*.tar.gz && cpack -G "DEB;TGZ" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$build"/chainsight_*.deb)
tgz=$(ls "$build"/chainsight-*.tar.gz)
echo "test-deb: built $(basename "$deb") ($(du -h "$deb" | cut -f1)) and $(basename "$tgz")"
grep -q "Package: chainsight" <<<"$(dpkg-deb --info "$deb")" || fail "the .deb has no Package: chainsight"
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/chainsight ./usr/share/applications/chainsight.desktop ./usr/share/mime/packages/chainsight.xml \
         ./usr/share/man/man1/chainsight.1.gz ./usr/share/icons/hicolor/scalable/apps/chainsight.svg \
         ./usr/share/icons/hicolor/48x48/apps/chainsight.png ./usr/share/chainsight/demo/refund-incident/manifest.json \
         ./usr/share/chainsight/exercises/refund-incident.exercise.json ./usr/share/chainsight/playbooks/; do
    grep -qF " $f" <<<"$contents" || fail "the .deb lacks $f"
done
grep -q "/bin/chainsight$" <<<"$(tar -tzf "$tgz")" || fail "the .tar.gz lacks bin/chainsight"

# 2. Install.
mode=${CHAINSIGHT_INSTALL_MODE:-}
[ -z "$mode" ] && { [ "$(id -u)" -eq 0 ] && mode=apt || mode=extract; }
if [ "$mode" = apt ]; then
    preinstalled=$(dpkg-query -W -f='${Status}' chainsight 2>/dev/null | grep -c "install ok installed" || true)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install failed"; }
    [ "$preinstalled" = 1 ] || trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -q chainsight >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
    root=""
    grep -q "Status: install ok installed" <<<"$(dpkg -s chainsight)" || fail "dpkg does not list chainsight as installed"
else
    dpkg-deb -x "$deb" "$work/root"
    root="$work/root"
fi
bin="$root/usr/bin/chainsight"
[ -x "$bin" ] || fail "$bin is not installed"
echo "test-deb: installed ($mode) $bin"

# 3. The command line from the installed binary, on the installed demo bundle.
version=$("$bin" --version) || fail "chainsight --version failed"
grep -qE "^chainsight [0-9]+\.[0-9]+\.[0-9]+" <<<"$version" || fail "unexpected --version output: $version"
demo="$root/usr/share/chainsight/demo/refund-incident"
QT_QPA_PLATFORM=offscreen "$bin" import "$demo" --case "$work/demo.db" >"$work/import.log" 2>&1 || { cat "$work/import.log"; fail "import of the installed demo failed"; }
info=$(QT_QPA_PLATFORM=offscreen "$bin" info "$work/demo.db") || fail "chainsight info failed"
grep -qE "^Events: [1-9][0-9]*" <<<"$info" || fail "chainsight info shows no events of the demo: $info"
QT_QPA_PLATFORM=offscreen "$bin" verify "$work/demo.db" >/dev/null || fail "chainsight verify of the demo case failed"
QT_QPA_PLATFORM=offscreen "$bin" exercise "$root/usr/share/chainsight/exercises/refund-incident.exercise.json" --headless \
    --json >"$work/exercise.json" 2>"$work/exercise.log" || { cat "$work/exercise.log"; fail "the installed demo exercise did not play"; }
echo "test-deb: $version; demo imported; info, verify and the demo exercise ok"

# 4. The man page as installed.
"$src/tests/install/check-manpage.sh" "$bin" "$root/usr/share/man/man1/chainsight.1.gz"

# 5. The desktop entry: valid, its MIME types declared by the package, and it starts the window.
desktop="$root/usr/share/applications/chainsight.desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects the desktop entry"
mime="$root/usr/share/mime/packages/chainsight.xml"
for t in $(sed -n 's/^MimeType=//p' "$desktop" | tr ';' ' '); do
    grep -q "type=\"$t\"" "$mime" || fail "the desktop entry names MIME type $t, which chainsight.xml does not declare"
done
for size in 48x48 128x128 256x256 scalable; do
    grep -q "^chainsight\." <<<"$(ls "$root/usr/share/icons/hicolor/$size/apps/")" || fail "no $size icon"
done
# The Exec line as a launcher runs it: %f replaced by the file opened (here the demo case), the command
# found on PATH; --screenshot makes the window render once, save it and exit.
exec_line=$(sed -n '/^\[Desktop Entry\]/,/^\[/{s/^Exec=//p}' "$desktop")
cmd=${exec_line//%f/$work/demo.db}
read -r -a argv <<<"$cmd"
[ "${argv[0]}" = chainsight ] || fail "Exec does not start chainsight: $exec_line"
argv[0]=$bin
HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    timeout 120 xvfb-run -a -s "-screen 0 1600x1000x24" "${argv[@]}" --screenshot "$work/window.png" >"$work/gui.log" 2>&1 ||
    { cat "$work/gui.log"; fail "the window did not start from the desktop entry's Exec line"; }
[ -s "$work/window.png" ] || fail "the window started but wrote no screenshot"
if command -v identify >/dev/null; then
    dims=$(identify -format "%w %h" "$work/window.png")
    read -r w h <<<"$dims"
    [ "$w" -ge 800 ] && [ "$h" -ge 500 ] || fail "the window's screenshot is only ${w}x${h}"
fi
echo "test-deb: desktop entry valid; the window started from it (${exec_line}) and rendered"
echo "test-deb: ok"
