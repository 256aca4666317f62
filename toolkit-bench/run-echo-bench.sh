#!/usr/bin/env bash
# Echo benchmark: starts each echo server pinned to one core, drives it with EchoLoad from the
# other core, and prints one table row per (server, size, connections): requests/s, MB/s,
# p50/p99/p99.9 latency and the server's CPU time per request.
#
#   mvn -B -q -pl toolkit-bench -am package -DskipTests
#   toolkit-bench/run-echo-bench.sh                       # 100 B and 1 KiB, 1 and 50 connections, 5 s
#   SIZES="100 1024 16384 65536" DURATION=10 toolkit-bench/run-echo-bench.sh
#   PIN=0 toolkit-bench/run-echo-bench.sh                 # no taskset (a machine shared with others)
#
# SERVERS lists name=main-class pairs; each class must accept --port 0 --threads N and print
# "READY port=N" once it listens. Only raw Netty exists so far: the aionet servers join here.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=toolkit-bench/target/benchmarks.jar
SERVERS=${SERVERS:-"raw-netty=dev.aionet.bench.RawNettyEchoServer"}
SIZES=${SIZES:-"100 1024"}
CONNECTIONS=${CONNECTIONS:-"1 50"}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-5}
PIN=${PIN:-1}
THREADS=${THREADS:-1}
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

printf '%-12s %7s %5s %12s %9s %9s %9s %9s %12s %6s\n' \
  server size conns requests/s MB/s p50_us p99_us p99.9_us cpu_us/req errors
for entry in $SERVERS; do
  name=${entry%%=*} main=${entry#*=}
  # shellcheck disable=SC2086
  "${PIN_SERVER[@]}" java $JAVA_OPTS -cp "$JAR" "$main" --port 0 --threads "$THREADS" >"$LOG/$name.out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q '^READY port=' "$LOG/$name.out" && break; sleep 0.1; done
  port=$(sed -n 's/^READY port=\([0-9]*\).*/\1/p' "$LOG/$name.out")
  [ -n "$port" ] || { echo "$name did not start:" >&2; cat "$LOG/$name.out" >&2; exit 1; }
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
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
done
exit $status
