#!/usr/bin/env bash
# Renders the application icon's PNGs (48, 128, 256 px) from resources/icons/chainsight.svg into
# resources/icons/hicolor/<size>x<size>/apps/chainsight.png. Run it after editing the SVG and commit
# the PNGs: the build and the package take them as they are, so neither needs an SVG renderer.
# Uses rsvg-convert (librsvg2-bin) when present, else ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"

render() { # SIZE OUT
    if command -v rsvg-convert >/dev/null; then
        rsvg-convert --width "$1" --height "$1" --keep-aspect-ratio chainsight.svg --output "$2"
    else
        convert -background none -density 384 chainsight.svg -resize "$1x$1" "$2"
    fi
}

for size in 48 128 256; do
    dir="hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    render "$size" "$dir/chainsight.png.tmp"
    # No timestamps or tool names in the file, so a re-render of the same SVG changes nothing in git.
    if command -v convert >/dev/null; then
        convert "$dir/chainsight.png.tmp" -strip "PNG32:$dir/chainsight.png"
        rm "$dir/chainsight.png.tmp"
    else
        mv "$dir/chainsight.png.tmp" "$dir/chainsight.png"
    fi
    echo "render-icons: $dir/chainsight.png"
done
