#!/usr/bin/env bash
# Restart storm: a long test (about 10 s at 2,000 clients), not part of ./scripts/test.
#
# Proves: "Restart with 2,000 connected browsers: clients reconnect with capped exponential
# backoff and full jitter (spread over seconds, not one thundering instant), resync from the
# snapshot, and a response sent just before the drop is counted exactly once."
#
#   tests/restart_storm.sh [CLIENTS]        (default 2000)
#
# Starts voxpop on a fresh database under a supervisor loop that starts it again 300 ms after
# it exits (like systemd's Restart=always). voxpop-restart-storm then connects CLIENTS
# participants, has each answer a poll, sends SIGTERM to the server the moment the last
# answer is written, and checks that every client reconnects (with the browser's backoff),
# resyncs, and that the results count every answer exactly once. Exits with its status.
#
# Needs build/voxpop and build/bench/voxpop-restart-storm:
#   cmake --build build --target voxpop voxpop-restart-storm
# Overrides: STORM_VOXPOP, STORM_TOOL (the two binaries), STORM_PORT (default 18093),
# STORM_OUT (keep the JSON report there), STORM_DEADLINE_S (default 60).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLIENTS="${1:-2000}"
VOXPOP="${STORM_VOXPOP:-$ROOT/build/voxpop}"
TOOL="${STORM_TOOL:-$ROOT/build/bench/voxpop-restart-storm}"
PORT="${STORM_PORT:-18093}"
DEADLINE_S="${STORM_DEADLINE_S:-60}"

if [[ ! "$CLIENTS" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: tests/restart_storm.sh [CLIENTS]" >&2
    exit 2
fi
for bin in "$VOXPOP" "$TOOL"; do
    if [[ ! -x "$bin" ]]; then
        echo "restart_storm.sh: $bin is missing. Build it first:" >&2
        echo "  cmake --build build --target voxpop voxpop-restart-storm" >&2
        exit 1
    fi
done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "restart_storm.sh: port $PORT is in use; pick another with STORM_PORT" >&2
    exit 1
fi

# One open file per WebSocket, on both sides; the children inherit the raised limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK="$(mktemp -d "${TMPDIR:-/tmp}/voxpop-storm.XXXXXX")"
SUPERVISOR=""
cleanup() {
    # The supervisor first, so that it cannot start another server, then the current one.
    if [[ -n "$SUPERVISOR" ]]; then
        kill "$SUPERVISOR" 2>/dev/null || true
        wait "$SUPERVISOR" 2>/dev/null || true
    fi
    local pid
    pid="$(cat "$WORK/server.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; then
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run copies: a rebuild of build/ during the run must not swap the binary under the restart.
cp "$VOXPOP" "$WORK/voxpop"
cp "$TOOL" "$WORK/voxpop-restart-storm"

# Restart=always: each start appends its pid to server.pids and writes it to server.pid.
supervise() {
    while true; do
        "$WORK/voxpop" --address 127.0.0.1 --port "$PORT" --db "$WORK/voxpop.db" \
            --web-root "$ROOT/web" --access-log false --max-connections-per-ip 0 \
            --ws-messages-per-second 1000 --responses-per-minute 100000 \
            >>"$WORK/server.log" 2>&1 &
        local pid=$!
        echo "$pid" >"$WORK/server.pid"
        echo "$pid" >>"$WORK/server.pids"
        local status=0
        wait "$pid" || status=$?
        echo "supervisor: voxpop $pid exited with status $status" >>"$WORK/server.log"
        sleep 0.3
    done
}
supervise &
SUPERVISOR=$!

# Wait for the first server to listen.
for _ in $(seq 1 200); do
    grep -q "listening on http://127.0.0.1:$PORT" "$WORK/server.log" 2>/dev/null && break
    sleep 0.05
done
if ! grep -q "listening on http://127.0.0.1:$PORT" "$WORK/server.log" 2>/dev/null; then
    echo "restart_storm.sh: the server did not start; its log:" >&2
    cat "$WORK/server.log" >&2
    exit 1
fi
FIRST_PID="$(head -1 "$WORK/server.pids")"

echo "restart_storm.sh: $CLIENTS clients against voxpop (pid $FIRST_PID) on port $PORT"
status=0
"$WORK/voxpop-restart-storm" --host 127.0.0.1 --port "$PORT" --clients "$CLIENTS" \
    --server-pid "$FIRST_PID" --deadline-s "$DEADLINE_S" --out "$WORK/result.json" || status=$?

starts="$(wc -l <"$WORK/server.pids")"
echo "restart_storm.sh: the server was started $starts time(s); exits seen by the supervisor:"
grep '^supervisor:' "$WORK/server.log" | sed 's/^/  /' || echo "  none"
[[ -n "${STORM_OUT:-}" && -f "$WORK/result.json" ]] && cp "$WORK/result.json" "$STORM_OUT"
if [[ "$status" -ne 0 ]]; then
    echo "restart_storm.sh: FAILED (exit $status); the server log's last lines:" >&2
    tail -n 30 "$WORK/server.log" >&2
fi
exit "$status"
