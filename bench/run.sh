#!/usr/bin/env bash
# Runs the standard voxpop benchmarks against freshly started servers (a fresh database per
# scenario) and writes the results into docs/BENCHMARKS.md, between the markers of the
# chosen mode; the rest of that file (analysis, notes) is kept as it is.
#   bench/run.sh quick   smaller sizes, under 2 minutes
#   bench/run.sh full    the sizes of issue 7, ingest and REST three times (about 6 minutes)
# Needs build/voxpop and build/bench/voxpop-loadgen (./scripts/run builds both, and
# build/bench/voxpop-loopback-floor, whose figure heads the report). Override with
# BENCH_VOXPOP, BENCH_LOADGEN and BENCH_FLOOR (not VOXPOP_*: the server reads those as
# config). Set BENCH_ONLY="burst steady" to run only some.
set -euo pipefail
MODE="${1:-quick}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_BIN="${BENCH_VOXPOP:-$ROOT/build/voxpop}"
LOADGEN="${BENCH_LOADGEN:-$ROOT/build/bench/voxpop-loadgen}"
FLOOR="${BENCH_FLOOR:-$(dirname "$LOADGEN")/voxpop-loopback-floor}"
DOC="$ROOT/docs/BENCHMARKS.md"
ONLY="${BENCH_ONLY:-hold burst steady ingest wordcloud restart rest}"

case "$MODE" in
    quick | full) ;;
    *) echo "usage: bench/run.sh [quick|full]" >&2; exit 2 ;;
esac
for bin in "$SERVER_BIN" "$LOADGEN"; do
    if [[ ! -x "$bin" ]]; then
        echo "bench/run.sh: $bin is missing. Build it first:" >&2
        echo "  ./scripts/run   (builds build/voxpop and build/bench/voxpop-loadgen), or" >&2
        echo "  cmake -S . -B build -G Ninja -DVOXPOP_BUILD_TESTS=OFF && ninja -C build -j2 voxpop voxpop-loadgen" >&2
        exit 1
    fi
done

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# wrk drives the REST scenario; it comes from Debian like the rest of the project's tools.
if [[ " $ONLY " == *" rest "* ]] && ! command -v wrk >/dev/null; then
    log "installing wrk (scripts/packages-bench.txt)"
    (source "$ROOT/scripts/lib/common.sh" && ensure_packages "$ROOT/scripts/packages-bench.txt") >&2 ||
        echo "bench/run.sh: could not install wrk" >&2
fi

# One open file per WebSocket: the server raises its own limit, the load generator too,
# and the shell passes its hard limit on.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE="$(ulimit -n)"

if [[ "$MODE" == quick ]]; then
    HOLD=(--connections 2000 --duration 15 --ping-interval 5 --ramp 2000)
    BURST=(--connections 2000 --window 5)
    STEADY=(--connections 2000 --rate 1000 --duration 10)
    INGEST=(--connections 1000 --duration 10)
    WORDCLOUD=(--connections 1000 --window 5)
    FILL=(--connections 5000 --polls 10 --join-pool 128)
    WRK=(-t2 -c64 -d5s)
else
    HOLD=(--connections 15000 --duration 60 --ping-interval 20 --ramp 2000)
    BURST=(--connections 10000 --window 5)
    STEADY=(--connections 10000 --rate 5000 --duration 30)
    INGEST=(--connections 1000 --duration 30)
    WORDCLOUD=(--connections 5000 --window 10)
    FILL=(--connections 20000 --polls 50 --join-pool 128)
    WRK=(-t2 -c128 -d15s)
fi
# Throughput on this kind of VM drifts by ±10-15% over minutes, so the full run measures the
# two throughput scenarios three times and the table shows the median run and all three.
REPEATS=1
[[ "$MODE" == full ]] && REPEATS=3

WORK="$(mktemp -d "${TMPDIR:-/tmp}/voxpop-bench.XXXXXX")"
# Run copies, so a rebuild of build/ during the run cannot pull the binaries away.
cp "$SERVER_BIN" "$WORK/voxpop"
cp "$LOADGEN" "$WORK/voxpop-loadgen"
SERVER_REAL="$SERVER_BIN"
SERVER_BIN="$WORK/voxpop"
LOADGEN="$WORK/voxpop-loadgen"
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
COMMANDS="$WORK/commands.txt"
: >"$COMMANDS"
SERVER_PID=""
PORT=""

stop_server() {
    [[ -z "$SERVER_PID" ]] && return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT

# Each server gets this run's admin token, so the load generator can read its write and
# group-commit counters (GET /api/admin/stats).
ADMIN_TOKEN="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
ADMIN_HASH="$(printf '%s' "$ADMIN_TOKEN" | sha256sum | cut -d' ' -f1)"

# Records a command for the report, with the temporary directory written as <tmp>.
note() {
    local line="${*//$WORK/<tmp>}"
    line="${line//$ADMIN_TOKEN/<admin-token>}"
    line="${line//$ADMIN_HASH/<sha256 of it>}"
    printf '%s\n' "${line//$ROOT\//}" >>"$COMMANDS"
}

# start_server NAME [PORT] [extra flags…]: a server on a fresh (or, for restart, the named)
# database; sets SERVER_PID and PORT. The server logs "listening on http://127.0.0.1:<port>".
start_server() {
    local name="$1" port="$2"
    shift 2
    mkdir -p "$WORK/$name"
    local cmd=("$SERVER_BIN" --port "$port" --address 127.0.0.1 --db "$WORK/$name/voxpop.db"
        --web-root "$ROOT/web" --log-level info --access-log false --sqlite-synchronous full \
        --max-connections-per-ip 0 --admin-token-sha256 "$ADMIN_HASH" "$@")
    note "build/voxpop ${cmd[*]:1}"
    "${cmd[@]}" >>"$WORK/$name/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 200); do
        PORT="$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$WORK/$name/server.log" | tail -1)"
        [[ -n "$PORT" ]] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "bench/run.sh: the server did not start; its log:" >&2
    cat "$WORK/$name/server.log" >&2
    exit 1
}

loadgen() {
    local name="$1"
    shift
    local cmd=("$LOADGEN" --port "$PORT" --server-pid "$SERVER_PID" --admin-token "$ADMIN_TOKEN"
        --out "$RESULTS/$name.json" --label "$MODE" "$@")
    note "build/bench/voxpop-loadgen --port <port> --server-pid <pid> --admin-token <admin-token> --out <tmp>/results/$name.json --label $MODE $*"
    "${cmd[@]}" || echo "bench/run.sh: loadgen $name exited with $?" >&2
}

wants() { [[ " $ONLY " == *" $1 "* ]]; }
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# Figures are only meaningful on an otherwise idle machine (2 cores are shared by the
# server and the load generator already).
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${LOAD_AT_START%% *}" 'BEGIN { exit !(l > 0.5) }'; then
    echo "bench/run.sh: warning: load average $LOAD_AT_START; other work on this machine skews the figures" >&2
fi
START=$(date +%s)

# A VM like the one these figures come from drifts by up to ±20% over tens of minutes, so
# each report carries the loopback floor measured at its start (what a round trip costs the
# kernel alone at that moment): a reader can tell a slower transport from a slower server
# when comparing runs made at different times.
FLOOR_LINE="not measured (no ${FLOOR#"$ROOT"/})"
if [[ -x "$FLOOR" ]]; then
    log "loopback floor"
    floor_args=(--scenario roundtrip --connections 1000 --duration 5)
    floor_out="$("$FLOOR" "${floor_args[@]}" 2>&1 || true)"
    floor_rate=$(sed -n 's/.*wall (\([0-9]*\)\/s).*/\1/p' <<<"$floor_out")
    floor_cpu=$(sed -n 's/.* = \([0-9.]*\) us$/\1/p' <<<"$floor_out")
    if [[ -n "$floor_rate" ]]; then
        FLOOR_LINE="$floor_rate round trips/s, $floor_cpu µs of CPU per round trip"
        FLOOR_LINE+=" (\`voxpop-loopback-floor ${floor_args[*]}\`)"
    else
        FLOOR_LINE="not measured (${FLOOR#"$ROOT"/} failed: ${floor_out//$'\n'/ })"
    fi
    log "loopback floor: $FLOOR_LINE"
fi

for scenario in hold burst steady ingest wordcloud; do
    wants "$scenario" || continue
    log "$scenario"
    extra=()
    # ingest measures storage and transport throughput: 20-30 responses a second from each
    # of 1,000 participants is over both abuse limits (responses_per_minute, and
    # ws_messages_per_second = 20, which alone would cap 1,000 clients at 20,000/s), so lift
    # them for this one.
    runs=1
    [[ "$scenario" == ingest ]] && extra=(--responses-per-minute 1000000 --ws-messages-per-second 1000) && runs=$REPEATS
    args_name="${scenario^^}[@]"
    for run in $(seq 1 "$runs"); do
        name="$scenario"
        ((run > 1)) && name="$scenario-$run" && log "$scenario, run $run of $runs"
        start_server "$name" 0 "${extra[@]}"
        loadgen "$name" --scenario "$scenario" "${!args_name}"
        stop_server
    done
done

if wants restart || wants rest; then
    log "restart: filling a database"
    start_server restart 0
    FIRST_PORT="$PORT"
    loadgen fill --scenario fill "${FILL[@]}" --results-out "$WORK/restart/before.txt"
    stop_server
    log "restart: starting on the filled database"
    t0=$(now_s)
    start_server restart "$FIRST_PORT"
    healthz=""
    for _ in $(seq 1 600); do
        if curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
            healthz=$(elapsed "$t0" "$(now_s)")
            break
        fi
        sleep 0.01
    done
    exact=true
    polls=0
    while read -r id body; do
        polls=$((polls + 1))
        [[ "$(curl -fs "http://127.0.0.1:$PORT/api/polls/$id/results")" == "$body" ]] || exact=false
    done <"$WORK/restart/before.txt"
    ready=$(elapsed "$t0" "$(now_s)")
    responses=$(sed -n 's/.*"respondents_total": *\([0-9]*\).*/\1/p' "$RESULTS/fill.json" | head -1)
    note "restart: time from starting the server to /healthz 200 and every poll's GET results equal to before (curl)"
    printf '{"scenario":"restart","responses":%s,"polls":%s,"healthz_s":%s,"exact_results_s":%s,"exact":%s}\n' \
        "${responses:-0}" "$polls" "${healthz:--1}" "$ready" "$exact" >"$RESULTS/restart.json"
    log "restart: healthz after ${healthz:-never} s, exact results ($exact) after $ready s"

    if wants rest && command -v wrk >/dev/null; then
        log "REST: wrk"
        poll_id=$(head -1 "$WORK/restart/before.txt" | cut -d' ' -f1)
        url="http://127.0.0.1:$PORT/api/polls/$poll_id/results"
        note "wrk ${WRK[*]} --latency http://127.0.0.1:<port>/api/polls/$poll_id/results ($REPEATS times)"
        for run in $(seq 1 "$REPEATS"); do
            name=rest
            ((run > 1)) && name="rest-$run"
            wrk "${WRK[@]}" --latency "$url" >"$WORK/wrk.txt" 2>&1 || true
            rps=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.txt")
            lat=$(awk '/^ +Latency / { print "avg " $2 ", max " $4; exit }' "$WORK/wrk.txt")
            p99=$(awk '/^ +99%/ { print $2; exit }' "$WORK/wrk.txt")
            errors=$(awk '/Non-2xx|Socket errors/ { sub(/^ +/, ""); printf "%s; ", $0 }' "$WORK/wrk.txt")
            printf '{"scenario":"rest","requests_per_second":%s,"latency":"%s, p99 %s","errors":"%s","wrk":"%s"}\n' \
                "${rps:-0}" "$lat" "$p99" "${errors:-0}" "${WRK[*]}" >"$RESULTS/$name.json"
            log "REST: $rps requests/s"
        done
    elif wants rest; then
        echo "bench/run.sh: wrk is not installed (apt-get install wrk): REST scenario skipped" >&2
    fi
    stop_server
fi
TOTAL=$(($(date +%s) - START))

# Keep the raw results next to the tool, then rewrite this mode's section of the report.
mkdir -p "$ROOT/bench/results/$MODE"
rm -f "$ROOT/bench/results/$MODE"/*.json
cp "$RESULTS"/*.json "$ROOT/bench/results/$MODE/"
ordered=()
for name in hold burst steady ingest wordcloud restart rest; do
    for file in "$RESULTS/$name.json" "$RESULTS/$name"-[0-9].json; do
        [[ -f "$file" ]] && ordered+=("$file")
    done
done

SECTION="$WORK/section.md"
{
    echo "<!-- generated:$MODE:begin (bench/run.sh $MODE rewrites this section) -->"
    echo "## \`bench/run.sh $MODE\`: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "* Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r); open-file limit $NOFILE; load average at start $LOAD_AT_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "* Commit: \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git -C "$ROOT" diff --quiet HEAD -- server 2>/dev/null || echo ' (server/ has uncommitted changes)'); server build: \`$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$SERVER_REAL")/CMakeCache.txt" 2>/dev/null || echo unknown)\`"
    echo "* Loopback floor at the start: $FLOOR_LINE"
    echo "* Server and load generator on the same machine; a fresh server and database per scenario; the whole run took ${TOTAL} s"
    echo "* Raw results: \`bench/results/$MODE/*.json\`"
    echo
    "$LOADGEN" --table "${ordered[@]}"
    echo
    echo "<details><summary>Exact commands</summary>"
    echo
    echo '```'
    echo "bench/run.sh $MODE"
    cat "$COMMANDS"
    echo '```'
    echo "</details>"
    echo "<!-- generated:$MODE:end -->"
} >"$SECTION"

if [[ ! -f "$DOC" ]]; then
    printf '# voxpop benchmarks\n\n' >"$DOC"
fi
if grep -q "<!-- generated:$MODE:begin" "$DOC"; then
    awk -v mode="$MODE" -v section="$SECTION" '
        index($0, "<!-- generated:" mode ":begin") { while ((getline line < section) > 0) print line; skip = 1; next }
        index($0, "<!-- generated:" mode ":end") { skip = 0; next }
        !skip { print }' "$DOC" >"$WORK/doc.md"
    cp "$WORK/doc.md" "$DOC"
else
    { echo; cat "$SECTION"; } >>"$DOC"
fi
log "wrote the $MODE section of docs/BENCHMARKS.md (${TOTAL} s)"
