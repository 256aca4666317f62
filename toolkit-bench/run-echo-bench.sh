#!/usr/bin/env bash
# Echo benchmark: starts each echo server pinned to one core, drives it with EchoLoad from the
# other core, and prints one table row per (server, size, connections): requests/s, MB/s,
# p50/p99/p99.9 latency and the server's CPU time per request.
#
#   mvn -B -q -pl toolkit-bench -am package -DskipTests
#   toolkit-bench/run-echo-bench.sh                       # 100 B and 1 KiB, 1 and 50 connections, 5 s
#   SIZES="100 1024 16384 65536" DURATION=10 toolkit-bench/run-echo-bench.sh
#   PIN=0 toolkit-bench/run-echo-bench.sh                 # no taskset (a machine shared with others)
#   SIZES= IDLE_CONNECTIONS=10000 toolkit-bench/run-echo-bench.sh   # idle memory only
#
# Then, per server, idle memory: IDLE_CONNECTIONS (default 10000, 0 skips) idle connections
# held open; it prints the server's RSS growth per connection and its live heap growth per
# connection after a full GC (jcmd GC.run, then jstat: JVM RSS alone hides small objects).
#
# SERVERS lists name=main-class pairs; each class must accept --port 0 --threads N and print
# "READY port=N" once it listens. Only raw Netty exists so far: the aionet servers join here.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=toolkit-bench/target/benchmarks.jar
SERVERS=${SERVERS:-"raw-netty=dev.aionet.bench.RawNettyEchoServer"}
SIZES=${SIZES-"100 1024"}
CONNECTIONS=${CONNECTIONS-"1 50"}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-5}
PIN=${PIN:-1}
THREADS=${THREADS:-1}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}

[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -q -pl toolkit-bench -am package -DskipTests" >&2; exit 2; }

# Server on core 0, load on core 1 when taskset and two cores are there.
PIN_SERVER=() PIN_LOAD=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER=(taskset -c 0) PIN_LOAD=(taskset -c 1)
fi

LOG=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$LOG"' EXIT
status=0

# Starts server $1 (main class $2) in the background: sets SERVER_PID and port.
start_server() {
  # shellcheck disable=SC2086
  "${PIN_SERVER[@]}" java $JAVA_OPTS -cp "$JAR" "$2" --port 0 --threads "$THREADS" >"$LOG/$1.out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q '^READY port=' "$LOG/$1.out" && break; sleep 0.1; done
  port=$(sed -n 's/^READY port=\([0-9]*\).*/\1/p' "$LOG/$1.out")
  [ -n "$port" ] || { echo "$1 did not start:" >&2; cat "$LOG/$1.out" >&2; exit 1; }
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }

# Live heap in KB after a full GC: survivor + eden + old used (jstat -gc columns 3, 4, 6, 8).
live_heap_kb() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  jstat -gc "$SERVER_PID" | awk 'NR == 2 {printf "%.0f", $3 + $4 + $6 + $8}'
}

printf '%-12s %7s %5s %12s %9s %9s %9s %9s %12s %6s\n' \
  server size conns requests/s MB/s p50_us p99_us p99.9_us cpu_us/req errors
for entry in $SERVERS; do
  name=${entry%%=*} main=${entry#*=}
  start_server "$name" "$main"
  for size in $SIZES; do
    for conns in $CONNECTIONS; do
      # shellcheck disable=SC2086
      if ! "${PIN_LOAD[@]}" java $JAVA_OPTS -cp "$JAR" dev.aionet.bench.EchoLoad --port "$port" \
          -c "$conns" -s "$size" -d "$DURATION" -w "$WARMUP" --server-pid "$SERVER_PID" >"$LOG/load.out" 2>&1; then
        status=1
      fi
      line=$(grep '^RESULT ' "$LOG/load.out" || true)
      [ -n "$line" ] || { echo "EchoLoad failed:" >&2; cat "$LOG/load.out" >&2; status=1; continue; }
      get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
      printf '%-12s %7s %5s %12.0f %9.1f %9s %9s %9s %12s %6s\n' "$name" "$size" "$conns" \
        "$(get rps)" "$(get mbps)" "$(get p50us)" "$(get p99us)" "$(get p999us)" "$(get cpuusperreq)" "$(get errors)"
    done
  done
  stop_server
done

if [ "$IDLE_CONNECTIONS" -gt 0 ]; then
  printf '\n%-12s %7s %16s %20s %6s\n' server idle rss_bytes/conn live_heap_bytes/conn errors
  for entry in $SERVERS; do
    name=${entry%%=*} main=${entry#*=}
    start_server "$name" "$main"
    sleep 1
    heap0=$(live_heap_kb) rss0=$(rss_kb)
    # shellcheck disable=SC2086
    "${PIN_LOAD[@]}" java $JAVA_OPTS -cp "$JAR" dev.aionet.bench.EchoLoad --port "$port" --mode idle \
        -c "$IDLE_CONNECTIONS" -s 16 -d 600 >"$LOG/idle.out" 2>&1 &
    LOAD_PID=$!
    for _ in $(seq 1200); do
      grep -q '^READY idle' "$LOG/idle.out" && break
      kill -0 "$LOAD_PID" 2>/dev/null || break
      sleep 0.1
    done
    errors=$(grep -c '^READY idle' "$LOG/idle.out" >/dev/null && echo 0 || echo 1)
    heap1=$(live_heap_kb) rss1=$(rss_kb)
    kill "$LOAD_PID" 2>/dev/null || true
    wait "$LOAD_PID" 2>/dev/null || true
    [ "$errors" = 0 ] || { echo "idle load failed:" >&2; cat "$LOG/idle.out" >&2; status=1; }
    printf '%-12s %7s %16.0f %20.0f %6s\n' "$name" "$IDLE_CONNECTIONS" \
      "$(( (rss1 - rss0) * 1024 / IDLE_CONNECTIONS ))" "$(( (heap1 - heap0) * 1024 / IDLE_CONNECTIONS ))" "$errors"
    stop_server
  done
fi
exit $status
