#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end benchmark of tattle against fwlogwatch and awk, for docs/PERFORMANCE.md.
#
# Usage: bench/run.sh [--big] [--runs N] [--lines N] [--no-build] [--no-micro] [--fwlogwatch-big]
#   --big             also measure a 10x larger log (10M lines by default) to check that time is linear
#   --runs N          runs per measurement (default 3); the table shows the fastest run and its peak memory
#   --lines N         lines in the main log (default 1000000)
#   --no-build        use build-release as it is
#   --no-micro        skip tattle_bench (the parser micro-benchmarks)
#   --fwlogwatch-big  run fwlogwatch on the big log too (its summary costs lines x sources: hours)
#
# It configures and builds build-release (Release, benchmarks on), writes netfilter logs with
# bench/gen_logs.py into bench/out/ (kept between runs; rewritten when the generator changes), reads each
# log once so every tool starts from the page cache, and times each command with /usr/bin/time -v:
#   tattle parse --json LOG > /dev/null    tattle --db NEW.db import LOG    tattle --db NEW.db sources > /dev/null
#   fwlogwatch -D -o /dev/null LOG         a per-source count in mawk and in gawk (the ratios use the first)
# The Markdown table goes to stdout and bench/out/results.md; raw timings to bench/out/time/.
# Tattle commands this build does not have yet are skipped with a message.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build-release
OUT=$ROOT/bench/out
TATTLE=$BUILD/app/cli/tattle
GEN=$ROOT/bench/gen_logs.py
PYTHON=/usr/bin/python3

big=0 runs=3 lines=1000000 build=1 micro=1 fwbig=0
while [ $# -gt 0 ]; do
    case $1 in
    --big) big=1 ;;
    --runs) runs=$2; shift ;;
    --lines) lines=$2; shift ;;
    --no-build) build=0 ;;
    --no-micro) micro=0 ;;
    --fwlogwatch-big) fwbig=1 ;;
    -h | --help) sed -n '3,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

mkdir -p "$OUT/time"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
note() { echo "run.sh: $*" >&2; }

if [ $build = 1 ]; then
    if [ ! -f "$BUILD/build.ninja" ]; then
        cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTATTLE_BUILD_TESTS=OFF \
            -DTATTLE_BUILD_BENCH=ON >&2
    fi
    ninja -C "$BUILD" -j2 tattle tattle_bench >&2
fi
# The tree the binaries were built from ("-dirty": with uncommitted changes, maybe other engineers').
built_from=$(git -C "$ROOT" describe --always --dirty 2> /dev/null || echo '?')

# --- helpers -------------------------------------------------------------------------------------------

# Writes LINES netfilter lines to FILE unless FILE is already newer than the generator.
generate() {
    local n=$1 file=$2
    if [ -f "$file" ] && [ "$file" -nt "$GEN" ]; then return; fi
    note "generating $n netfilter lines into $file"
    /usr/bin/time -v -o "$OUT/time/generate-$n.txt" \
        "$PYTHON" "$GEN" --format netfilter --lines "$n" --seed 1 --out "$file.tmp"
    mv "$file.tmp" "$file"
}

# Seconds from /usr/bin/time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.03".
wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]
        printf "%.2f", s }' "$1"
}
cpu_seconds() { awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$1"; }
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }
exit_status() { awk -F': ' '/Exit status/ { print $2 }' "$1"; }

# True when this build's tattle lists the subcommand in its --help.
has_tattle() {
    local help
    [ -x "$TATTLE" ] && help=$("$TATTLE" --help 2> /dev/null) && grep -Eq "^ +$1( |\$)" <<< "$help"
}

declare -A WALL CPU RSS SKIP
# measure KEY N SETUP COMMAND...: runs COMMAND (stdout to /dev/null) N times, each after calling SETUP
# (a function name or :), and keeps the fastest run's wall time, CPU time and peak memory.
measure() {
    local key=$1 n=$2 setup=$3
    shift 3
    local best="" mem="" cpu="" i t f
    for ((i = 1; i <= n; i++)); do
        "$setup"
        f=$OUT/time/$key.$i.txt
        /usr/bin/time -v -o "$f" "$@" > /dev/null || true
        if [ "$(exit_status "$f")" != 0 ]; then
            note "$key failed (exit status $(exit_status "$f")): $*"
            SKIP[$key]="failed, exit status $(exit_status "$f")"
            return
        fi
        t=$(wall_seconds "$f")
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$t mem=$(peak_mb "$f") cpu=$(cpu_seconds "$f")
        fi
    done
    WALL[$key]=$best RSS[$key]=$mem CPU[$key]=$cpu
    note "$key: ${best} s wall, ${cpu} s CPU, ${mem} MB"
}

# --- measurements --------------------------------------------------------------------------------------

sizes=("$lines")
[ $big = 1 ] && sizes+=($((lines * 10)))
# shellcheck disable=SC2016 # awk's $i, not the shell's
AWK_PROG='{ for (i = 1; i <= NF; i++) if (substr($i, 1, 4) == "SRC=") c[substr($i, 5)]++ }
END { for (k in c) n++; print n }'
# Both common awks when present: mawk (Debian's default awk) is about twice as fast as gawk at this.
awks=()
for a in mawk gawk; do command -v "$a" > /dev/null && awks+=("$a"); done
[ ${#awks[@]} = 0 ] && awks=(awk)
declare -A EVENTS DBBYTES

for n in "${sizes[@]}"; do
    log=$OUT/netfilter-$n.log
    db=$OUT/netfilter-$n.db
    generate "$n" "$log"
    cat "$log" > /dev/null # every tool starts from the page cache
    r=$runs
    [ "$n" != "$lines" ] && r=1

    if has_tattle parse; then
        measure "parse-$n" "$r" : "$TATTLE" parse --json "$log"
    else
        SKIP[parse-$n]="not in this build yet"
        note "tattle parse is not in this build yet: skipped"
    fi
    if has_tattle import; then
        fresh_db() { rm -f "$db" "$db-wal" "$db-shm" "$db-journal"; }
        measure "import-$n" "$r" fresh_db "$TATTLE" --db "$db" import "$log"
        if [ -f "$db" ] && [ -z "${SKIP[import-$n]:-}" ]; then
            DBBYTES[$n]=$(($(stat -c %s "$db") + $( [ -f "$db-wal" ] && stat -c %s "$db-wal" || echo 0)))
            EVENTS[$n]=$(sqlite3 "$db" 'select count(*) from events' 2> /dev/null || echo "")
        fi
    else
        SKIP[import-$n]="not in this build yet"
        note "tattle import is not in this build yet: skipped"
    fi
    if ! has_tattle sources; then
        SKIP[sources-$n]="not in this build yet"
        note "tattle sources is not in this build yet: skipped"
    elif [ ! -f "$db" ] || [ -n "${SKIP[import-$n]:-}" ]; then
        SKIP[sources-$n]="no database (import skipped)"
    else
        measure "sources-$n" "$r" : "$TATTLE" --db "$db" sources
    fi
    if [ "$n" = "$lines" ] || [ $fwbig = 1 ]; then
        # One run: it takes minutes, so noise hardly matters (its per-line search of the summary list makes it
        # O(lines x entries)).
        measure "fwlogwatch-$n" 1 : fwlogwatch -D -o /dev/null "$log"
    else
        SKIP[fwlogwatch-$n]="skipped on the big log (it costs lines x sources: hours; --fwlogwatch-big runs it)"
    fi
    for a in "${awks[@]}"; do measure "$a-$n" "$r" : "$a" "$AWK_PROG" "$log"; done
done

# --- report --------------------------------------------------------------------------------------------

ratio() { # ratio A B: A / B to three significant digits, empty when either is missing
    if [ -n "${1:-}" ] && [ -n "${2:-}" ]; then awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3g", a / b }'; fi
}
{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
        "$(free -g | awk '/Mem:/ { print $2 }') GB RAM, $(uname -sr)"
    echo "Load average: $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
        "(the machine is shared: wall times include other processes' load; CPU s is user + system time)."
    echo "Versions: tattle $built_from,"\
        "$(fwlogwatch -V 2>&1 | head -1 | cut -d' ' -f1-2), mawk $(dpkg-query -W -f='${Version}' mawk 2> /dev/null || echo '?'),"\
        "$(gawk --version 2>&1 | head -1 | cut -d, -f1),"\
        "sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
    echo "Best of $runs runs (1 run for fwlogwatch and for the big log); wall time and peak RSS from /usr/bin/time -v."
    echo
    for n in "${sizes[@]}"; do
        log=$OUT/netfilter-$n.log
        mb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN { printf "%.0f", b / 1048576 }')
        echo "### $n netfilter lines ($mb MB, bench/gen_logs.py --seed 1)"
        echo
        echo "| Step | Command | Lines/s | Wall s | CPU s | Peak MB | Wall / fwlogwatch | Wall / ${awks[0]} |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|"
        fw=${WALL[fwlogwatch-$n]:-} aw=${WALL[${awks[0]}-$n]:-}
        for key in parse import sources fwlogwatch "${awks[@]}"; do
            case $key in
            parse) cmd="tattle parse --json LOG > /dev/null" ;;
            import) cmd="tattle --db NEW.db import LOG" ;;
            sources) cmd="tattle --db NEW.db sources > /dev/null" ;;
            fwlogwatch) cmd="fwlogwatch -D -o /dev/null LOG" ;;
            *awk) cmd="$key per-source count of SRC= fields" ;;
            esac
            w=${WALL[$key-$n]:-}
            if [ -z "$w" ]; then
                echo "| $key | \`$cmd\` | ${SKIP[$key-$n]:-not measured} | | | | | |"
                continue
            fi
            rate=""
            [ "$key" != sources ] && rate=$(awk -v n="$n" -v w="$w" 'BEGIN { if (w > 0) printf "%.0f", n / w }')
            echo "| $key | \`$cmd\` | $rate | $w | ${CPU[$key-$n]} | ${RSS[$key-$n]} | $(ratio "$w" "$fw") | $(ratio "$w" "$aw") |"
        done
        echo
        if [ -n "${EVENTS[$n]:-}" ] && [ "${EVENTS[$n]}" -gt 0 ] 2> /dev/null; then
            echo "Database: ${DBBYTES[$n]} bytes for ${EVENTS[$n]} events:" \
                "$(awk -v b="${DBBYTES[$n]}" -v e="${EVENTS[$n]}" 'BEGIN { printf "%.1f", b / e }') bytes per event."
        elif [ -n "${DBBYTES[$n]:-}" ]; then
            echo "Database: ${DBBYTES[$n]} bytes; \`select count(*) from events\` gave no count."
        fi
        if [ -f "$OUT/time/generate-$n.txt" ]; then
            echo "Generator: $(wall_seconds "$OUT/time/generate-$n.txt") s for $n lines (when it last wrote the log)."
        fi
        echo
    done
    if [ $big = 1 ]; then
        small=${sizes[0]} large=${sizes[1]}
        echo "Scaling ${large} vs ${small} lines (linear would be 10.00):"
        for key in parse import sources "${awks[@]}"; do
            r=$(ratio "${WALL[$key-$large]:-}" "${WALL[$key-$small]:-}")
            c=$(ratio "${CPU[$key-$large]:-}" "${CPU[$key-$small]:-}")
            echo "- $key: ${r:-n/a} x the wall time, ${c:-n/a} x the CPU time," \
                "peak ${RSS[$key-$small]:-?} -> ${RSS[$key-$large]:-?} MB"
        done
        echo
    fi
} | tee "$OUT/results.md"

if [ $micro = 1 ]; then
    note "running tattle_bench (parser micro-benchmarks)"
    "$BUILD/bench/tattle_bench" --benchmark_out="$OUT/tattle_bench.json" --benchmark_out_format=json 2>&1 |
        tee "$OUT/tattle_bench.txt"
fi
