#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The desktop app on a big database, for docs/PERFORMANCE.md.
#
# Usage: bench/gui_bench.sh [--lines N] [--build DIR]
#   --lines N    events in the generated log (default 10000000)
#   --build DIR  a configured build directory with tattle and tattle_gui_bench (default build-release)
#
# Writes bench/out/netfilter-<N>.log with bench/gen_logs.py (kept between runs), imports it into
# bench/out/gui-<N>.db with `tattle import` (kept too), then runs tattle_gui_bench on it under
# /usr/bin/time -v (offscreen). The figures go to stdout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
lines=10000000 build=$ROOT/build-release
while [ $# -gt 0 ]; do
    case $1 in
    --lines) lines=$2; shift ;;
    --build) build=$2; shift ;;
    -h | --help) sed -n '3,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gui_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
out=$ROOT/bench/out
mkdir -p "$out"
log=$out/netfilter-$lines.log
db=$out/gui-$lines.db
[ -f "$log" ] || /usr/bin/python3 "$ROOT/bench/gen_logs.py" --format netfilter --lines "$lines" --seed 1 --out "$log"
[ -f "$db" ] || "$build/app/cli/tattle" --db "$db" import --tz UTC --year 2024 "$log"
sync
QT_QPA_PLATFORM=offscreen /usr/bin/time -v "$build/bench/tattle_gui_bench" "$db" 2> "$out/gui-bench-time.txt"
grep -E "Maximum resident|Elapsed" "$out/gui-bench-time.txt"
