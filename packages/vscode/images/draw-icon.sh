#!/usr/bin/env bash
# Draws the extension's icon (128x128 PNG, as the Marketplace asks) with ImageMagick: the steps of a
# plan as rising columns, the last one checked. Run from anywhere: writes icon.png beside this script.
set -euo pipefail
cd "$(dirname "$0")"
convert -size 128x128 xc:none \
  -fill '#1f2430' -draw 'roundrectangle 4,4 123,123 22,22' \
  -fill '#facc15' -draw 'roundrectangle 22,76 38,104 3,3' \
  -draw 'roundrectangle 46,58 62,104 3,3' \
  -draw 'roundrectangle 70,40 86,104 3,3' \
  -fill none -stroke '#4ade80' -strokewidth 9 -draw 'polyline 88,34 99,46 116,22' \
  -strip PNG32:icon.png
