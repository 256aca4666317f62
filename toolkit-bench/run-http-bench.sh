#!/usr/bin/env bash
# Message benchmark: the HttpHello sample (aionet's message streams over Netty's HTTP codec)
# beside a raw Netty HTTP hello world in Netty's example style, driven by wrk; then a line echo
# on Codec.lines beside a raw Netty LineBasedFrameDecoder echo, driven by line_load.py.
#
#   mvn -B -q -pl toolkit-bench -am package -DskipTests
#   RUNS=5 DURATION=5 toolkit-bench/run-http-bench.sh
#   PIN=0 RUNS=5 DURATION=5 toolkit-bench/run-http-bench.sh      # no taskset
#   LINES=0 toolkit-bench/run-http-bench.sh                      # HTTP only
#
# Each server has one loop thread and is started once, pinned to core 0 (PIN=1, where taskset
# and 2 cores exist; the load runs on core 1), warmed up for WARMUP seconds of load, then the
# pair is driven in turn, A B A B, RUNS times: wrk -t1 -c$CONNECTIONS -d${DURATION}s --timeout 10s (lines:
# line_load.py, $CONNECTIONS asyncio ping-pong connections of $LINE_SIZE-byte lines). Server CPU
# per request is the server process's utime+stime (/proc/PID/stat) over the run, divided by the
# requests the load counted. The table gives each figure's median and spread (min-max) and the
# ratio aionet / raw Netty of the medians. wrk is installed with apt-get if missing.
#
# Settings (environment): RUNS, DURATION, WARMUP, CONNECTIONS, LINES (1: also the line echo),
# LINE_SIZE, PIN, JAVA_OPTS, JAR, RESULTS (the per-run figures, TSV).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-toolkit-bench/target/benchmarks.jar}
RUNS=${RUNS:-5}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-50}
LINES=${LINES:-1}
LINE_SIZE=${LINE_SIZE:-32}
PIN=${PIN:-1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
RESULTS=${RESULTS:-toolkit-bench/target/http-results.tsv}

[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -q -pl toolkit-bench -am package -DskipTests" >&2; exit 2; }
if ! command -v wrk >/dev/null; then
  echo "installing wrk (apt-get)" >&2
  apt-get update -q >&2 && apt-get install -y -q wrk >&2
fi

server_command() {
  case $1 in
    raw-http)     echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.RawNettyMessageServer --protocol http --port 0 --threads 1" ;;
    aionet-http)  echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.AionetMessageServer --protocol http --port 0 --threads 1" ;;
    raw-lines)    echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.RawNettyMessageServer --protocol lines --port 0 --threads 1" ;;
    aionet-lines) echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.AionetMessageServer --protocol lines --port 0 --threads 1" ;;
    *) echo "unknown server $1" >&2; return 1 ;;
  esac
}

PIN_SERVER=() PIN_LOAD=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER=(taskset -c 0) PIN_LOAD=(taskset -c 1)
fi

LOG=$(mktemp -d)
declare -A PID PORT
cleanup() {
  for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$LOG"
}
trap cleanup EXIT
status=0

start_server() {
  local cmd
  cmd=$(server_command "$1")
  # shellcheck disable=SC2086
  "${PIN_SERVER[@]}" $cmd >"$LOG/$1.out" 2>&1 &
  PID[$1]=$!
  for _ in $(seq 600); do grep -q '^READY port=' "$LOG/$1.out" && break; sleep 0.1; done
  PORT[$1]=$(sed -n 's/^READY port=\([0-9]*\).*/\1/p' "$LOG/$1.out")
  [ -n "${PORT[$1]}" ] || { echo "$1 did not start:" >&2; cat "$LOG/$1.out" >&2; exit 1; }
}

stop_server() {
  kill "${PID[$1]}"; wait "${PID[$1]}" 2>/dev/null || true
  unset "PID[$1]"
}

# The CPU time of process $1 so far, in clock ticks (utime + stime; the name field may hold spaces).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# Runs the load against server $1 for $2 seconds; prints "requests errors".
run_load() {
  local port=${PORT[$1]} out
  case $1 in
    *-http)
      out=$("${PIN_LOAD[@]}" wrk -t1 -c"$CONNECTIONS" -d"$2"s --timeout 10s "http://127.0.0.1:$port/" 2>&1) || { echo "$out" >&2; echo "0 1"; return; }
      awk '/requests in/ {r = $1} /Socket errors/ {gsub(",", ""); e += $4 + $6 + $8 + $10} /Non-2xx/ {e += $NF}
           END {print r + 0, e + 0}' <<<"$out" ;;
    *-lines)
      out=$("${PIN_LOAD[@]}" python3 toolkit-bench/line_load.py --port "$port" -c "$CONNECTIONS" -d "$2" -s "$LINE_SIZE" 2>&1) \
        || { echo "$out" >&2; echo "0 1"; return; }
      sed -n 's/^RESULT requests=\([0-9]*\) .* errors=\([0-9]*\).*/\1 \2/p' <<<"$out" ;;
  esac
}

# One measured run of server $1 (round $2): appends "server run requests/s cpu_us/req errors".
measure() {
  local before after requests errors start end ticks_per_s
  ticks_per_s=$(getconf CLK_TCK)
  before=$(cpu_ticks "${PID[$1]}")
  start=$(date +%s.%N)
  read -r requests errors < <(run_load "$1" "$DURATION")
  end=$(date +%s.%N)
  after=$(cpu_ticks "${PID[$1]}")
  [ "$errors" = 0 ] && [ "$requests" -gt 0 ] || status=1
  awk -v n="$1" -v run="$2" -v r="$requests" -v e="$errors" -v t="$(( after - before ))" -v hz="$ticks_per_s" \
    -v d="$DURATION" 'BEGIN { printf "%s\t%s\t%.0f\t%.2f\t%d\n", n, run, r / d, (r > 0 ? t * 1e6 / hz / r : 0), e }' >>"$RESULTS"
}

# Prints medians, spreads and ratios of server $2 against baseline $1.
table() {
  awk -F'\t' -v base="$1" -v other="$2" '
    function sort(list, v,   n, i, j, t) {
      n = split(list, v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return n
    }
    function median(list,   v, n) { n = sort(list, v); return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
    function spread(list, fmt,   v, n) { n = sort(list, v); return sprintf(fmt "-" fmt, v[1], v[n]) }
    $1 == base || $1 == other { rps[$1] = rps[$1] " " $3; cpu[$1] = cpu[$1] " " $4; err[$1] += $5; runs[$1]++ }
    END {
      printf "%-13s %4s %11s %17s %11s %15s %6s %7s %7s\n", "server", "runs", "requests/s", "(min-max)", "cpu_us/req",
        "(min-max)", "errors", "x_rps", "x_cpu"
      for (k = 1; k <= 2; k++) {
        s = k == 1 ? base : other
        xr = xc = "-"
        if (s != base) {
          xr = sprintf("%.2f", median(rps[s]) / median(rps[base])); xc = sprintf("%.2f", median(cpu[s]) / median(cpu[base]))
        }
        printf "%-13s %4d %11.0f %17s %11.2f %15s %6d %7s %7s\n", s, runs[s], median(rps[s]), spread(rps[s], "%.0f"),
          median(cpu[s]), spread(cpu[s], "%.1f"), err[s], xr, xc
      }
    }' "$RESULTS"
}

# Starts, warms up and drives the pair $1 (baseline) and $2, interleaved, then prints the table.
compare() {
  local name run
  for name in "$1" "$2"; do
    start_server "$name"
    run_load "$name" "$WARMUP" >/dev/null
  done
  for run in $(seq "$RUNS"); do
    for name in "$1" "$2"; do measure "$name" "$run"; done
  done
  for name in "$1" "$2"; do stop_server "$name"; done
  table "$1" "$2"
}

mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(java -version 2>&1 | head -1), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), PIN=$PIN" \
  "RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS"
echo
echo "HTTP/1.1 hello world, wrk -t1 -c$CONNECTIONS -d${DURATION}s, 1 server loop thread; x_* = aionet / raw Netty (medians)"
compare raw-http aionet-http
if [ "$LINES" = 1 ]; then
  echo
  echo "Line echo, $CONNECTIONS ping-pong connections of $LINE_SIZE-byte lines (line_load.py), 1 server loop thread;" \
    "x_* = aionet / raw Netty (medians)"
  compare raw-lines aionet-lines
fi
exit $status
