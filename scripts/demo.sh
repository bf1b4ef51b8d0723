#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The main job on a fresh Debian 12 machine: installs what tattle needs, builds it, imports the sample logs
# shipped in resources/samples into a demo database and shows who probed the machine. When a display is
# there ($DISPLAY or $WAYLAND_DISPLAY), it then opens the desktop app on that database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh -DTATTLE_BUILD_TESTS=OFF -DTATTLE_BUILD_BENCH=OFF
db="${TATTLE_DEMO_DB:-build/demo.db}"
rm -f "$db" "$db-wal" "$db-shm"
tattle=build/app/cli/tattle
echo "== tattle formats"
"$tattle" formats
echo "== tattle import (the UFW sample was written in UTC in 2024: syslog lines carry neither zone nor year)"
"$tattle" --db "$db" import --tz UTC --year 2024 resources/samples/ufw.log
"$tattle" --db "$db" import resources/samples/ZALog.txt
echo "== tattle sources: who probed this machine, most active first"
"$tattle" --db "$db" sources --limit 15
echo "== tattle sources --category windows: NetBIOS, SMB, RPC and Messenger probes"
"$tattle" --db "$db" sources --category windows --limit 10
"$tattle" --db "$db" export csv -o build/demo-sources.csv
echo "Database: $db; CSV export: build/demo-sources.csv"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/app/gui/tattle-gui ]; then
    echo "== tattle-gui: the desktop app on the demo database (it runs on; close its window when done)"
    nohup build/app/gui/tattle-gui --db "$db" >/dev/null 2>&1 &
fi
