#!/usr/bin/env bash
# Per-request counts, not timings, of the HTTP hello servers of run-http-bench.sh (raw Netty and
# the aionet HttpHello sample): what each server does per request under the same wrk load, so the
# difference can be explained on a busy machine where timings mean nothing.
#
#   mvn -B -q -pl toolkit-bench -am package -DskipTests
#   toolkit-bench/run-http-counts.sh                    # both servers
#   SERVERS=aionet-http toolkit-bench/run-http-counts.sh
#
# For each server (one loop thread, epoll unless TRANSPORT says otherwise): WARMUP seconds of
# wrk -t1 -c$CONNECTIONS, then measured wrk runs of DURATION seconds:
#   1. ROUNDS runs, each under a JFR recording (jcmd JFR.start/stop around the run): bytes
#      allocated per request by the busiest thread (the loop thread; jdk.ThreadAllocationStatistics
#      at the recording's start and end) and the classes with most sampled allocation weight
#      (jdk.ObjectAllocationSample; few samples, so a rough guide only);
#   2. one run under strace -c attached to the loop thread: its system calls per request by name
#      (strace slows the server; both servers are slowed alike and only counts are read). A
#      socket write is a flush that had bytes to send.
# Requests are wrk's count for that run. strace is installed with apt-get if missing.
#
# Settings (environment): SERVERS, DURATION, ROUNDS, WARMUP, CONNECTIONS, TRANSPORT, JAVA_OPTS, JAR, OUT
# (a directory kept with the recordings and strace outputs).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-toolkit-bench/target/benchmarks.jar}
SERVERS=${SERVERS:-"raw-http aionet-http"}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-50}
TRANSPORT=${TRANSPORT:-epoll}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
OUT=${OUT:-toolkit-bench/target/http-counts}

[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -q -pl toolkit-bench -am package -DskipTests" >&2; exit 2; }
for tool in wrk strace; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool (apt-get)" >&2
    apt-get update -q >&2 && apt-get install -y -q "$tool" >&2
  fi
done
JCMD=$(dirname "$(readlink -f "$(command -v java)")")/jcmd
JFR=$(dirname "$(readlink -f "$(command -v java)")")/jfr
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

server_class() {
  case $1 in
    raw-http) echo "dev.aionet.bench.RawNettyMessageServer" ;;
    aionet-http) echo "dev.aionet.bench.AionetMessageServer" ;;
    *) echo "unknown server $1" >&2; return 1 ;;
  esac
}

PID=
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT

# wrk against port $1 for $2 seconds; prints the request count.
load() {
  wrk -t1 -c"$CONNECTIONS" -d"$2"s --timeout 10s "http://127.0.0.1:$1/" | awk '/requests in/ {print $1}'
}

for name in $SERVERS; do
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$JAR" "$(server_class "$name")" --protocol http --port 0 --threads 1 \
    --transport "$TRANSPORT" >"$OUT/$name.log" 2>&1 &
  PID=$!
  for _ in $(seq 600); do grep -q '^READY port=' "$OUT/$name.log" && break; sleep 0.1; done
  port=$(sed -n 's/^READY port=\([0-9]*\).*/\1/p' "$OUT/$name.log")
  [ -n "$port" ] || { echo "$name did not start:" >&2; cat "$OUT/$name.log" >&2; exit 1; }
  load "$port" "$WARMUP" >/dev/null

  for round in $(seq "$ROUNDS"); do
    "$JCMD" "$PID" JFR.start name=counts settings=profile \
      +jdk.ThreadAllocationStatistics#period=everyChunk +jdk.ObjectAllocationSample#throttle=1000/ms >/dev/null
    requests=$(load "$port" "$DURATION")
    "$JCMD" "$PID" JFR.stop name=counts filename="$OUT/$name-$round.jfr" >/dev/null
    echo "round $round"
    "$JFR" print --json --events jdk.ThreadAllocationStatistics,jdk.ObjectAllocationSample "$OUT/$name-$round.jfr" \
      | python3 toolkit-bench/jfr_per_request.py "$name" "$requests"
  done

  # The loop thread alone (the JIT's threads make system calls of their own meanwhile).
  tid=$(grep -l -E '^(raw-http|aionet-)' /proc/"$PID"/task/*/comm | head -1 | cut -d/ -f5)
  strace -c -p "$tid" -o "$OUT/$name.strace" 2>/dev/null &
  tracer=$!
  sleep 1
  requests=$(load "$port" "$DURATION")
  kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  awk -v n="$name" -v r="$requests" -v t="$(cat /proc/"$PID"/task/"$tid"/comm)" '
    $NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" { printf "  %-16s %8.3f per request\n", $NF, $4 / r }
    END { printf "%s, thread %s under strace: %d requests\n", n, t, r }' "$OUT/$name.strace" | sort -k2 -rn
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=
done
