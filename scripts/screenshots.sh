#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's screenshots: imports the sample logs into a fresh database and renders each view of
# tattle-gui to docs/screenshots/<view>.png on the offscreen platform (tattle-gui --screenshot).
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/app/cli/tattle" --db "$tmp/demo.db" import --tz UTC --year 2024 resources/samples/ufw.log 2>/dev/null
"$build/app/cli/tattle" --db "$tmp/demo.db" import resources/samples/ZALog.txt 2>/dev/null
mkdir -p docs/screenshots
for view in sources events charts report; do
    # A settings folder of its own: the user's window layout and settings stay out of the pictures.
    XDG_CONFIG_HOME=$tmp/config QT_QPA_PLATFORM=offscreen "$build/app/gui/tattle-gui" --db "$tmp/demo.db" \
        --screenshot "docs/screenshots/$view.png" --view "$view" 2>/dev/null
done
ls -l docs/screenshots
