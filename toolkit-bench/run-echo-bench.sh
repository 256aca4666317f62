#!/usr/bin/env bash
# Echo benchmark: raw Netty beside the aionet echo servers (zero-copy readBuf/write(ByteBuf), and
# byte[] read(65536)/write), then the seed's own code (aionet read(100)) beside Python 3 asyncio
# running the seed's echo server, then idle memory per connection.
#
#   mvn -B -q -pl toolkit-bench -am package -DskipTests
#   toolkit-bench/run-echo-bench.sh                  # everything once, about 5 minutes
#   RUNS=3 toolkit-bench/run-echo-bench.sh           # medians of 3 runs (about 12 minutes)
#   PIN=0 RUNS=5 DURATION=3 SERVERS="raw-netty raw-netty-alt aionet-zerocopy aionet-bytes" \
#     toolkit-bench/run-echo-bench.sh                # BENCHMARKS.md's table, with raw Netty twice (40 minutes)
#   SIZES="1024" CONNECTIONS=50 MODES=pingpong DURATION=5 toolkit-bench/run-echo-bench.sh
#   PIN=0 toolkit-bench/run-echo-bench.sh            # no taskset
#   LOAD=nio-open-loop RATE=20000 SEED_RATE=5000 MODES=pingpong toolkit-bench/run-echo-bench.sh
#                                                    # the same servers under OpenLoopLoad (see below)
#
# Every server is started once, pinned to core 0 (PIN=1, where taskset and 2 cores exist); EchoLoad
# runs on core 1. For each row (mode x size x connections) the servers are driven in turn, RUNS
# times (interleaved, so a noisy neighbour hits every server alike), and the table shows the
# median of each figure and the ratio aionet / raw Netty of throughput, server CPU time per
# request and p99 latency. Streaming rows count one S-byte chunk as a request.
#
# Settings (environment): SERVERS, SIZES, CONNECTIONS, MODES (pingpong stream), DURATION and
# WARMUP (seconds per run), SERVER_WARMUP (seconds of load per mode x size x connections once
# after each start), SEED_WARMUP (seconds of the seed's load once after its servers start), RUNS,
# IN_FLIGHT (stream: bytes in flight per connection), SEED (1: the seed comparison at SEED_SIZE x
# SEED_CONNECTIONS), IDLE_CONNECTIONS (0 skips idle memory), THREADS (server loop threads),
# JAVA_OPTS, RESULTS (the raw per-run figures, TSV), JAR, PYTHON (the seed's Python server's
# interpreter; default /usr/bin/python3), RESTART (1: every run of every server in a JVM of its
# own, warmed up on that row alone, so the medians cover the launch-to-launch spread of the JIT's
# code, which on this machine is wider than most differences measured; 0: each server started
# LAUNCHES times, default 1, and driven RUNS rounds per launch: rounds seconds apart, which the
# machine's slow spells hit alike, and still several launches' JIT outcomes),
# PRETOUCH (1, the default: the Java servers run with -XX:+AlwaysPreTouch, their heap's pages mapped
# at start as a long-running server's are after its first pass over the heap; without it a fresh JVM
# pays a page fault on each new page its allocations reach, which the server that allocates more per
# request pays more often, about 2 % of aionet's CPU at 1 KiB under the open loop, a start-up cost and
# not the steady state; idle memory always runs without it, so that its RSS column shows growth),
# JIT_QUIET (1, the default: after the warm-up, keep warming in 2-second steps until the server's
# JIT compiler threads use under 1 % of a step, at most JIT_MAX_WARMUP seconds, default 30; 0: the
# fixed warm-up only). The compiler CPU left inside each measured run is the jit_ms column: a
# fixed warm-up of a few seconds left C2 compiling in the measured window of a fresh JVM, more for
# aionet's deeper call chains than for raw Netty's, which it charged to the server's CPU per request.
# Two builds side by side: JAR_ALT=other/benchmarks.jar and a server name ending in -alt (e.g.
# SERVERS="raw-netty aionet-zerocopy aionet-zerocopy-alt", SEED_SERVERS="python-seed aionet-seed
# aionet-seed-alt") runs that server from JAR_ALT (default: JAR itself).
# The load client: LOAD=echo-load (default) is EchoLoad (Netty, closed loop: each connection sends
# its next request when the last came back, as fast as the server answers); LOAD=nio-open-loop is
# OpenLoopLoad (plain java.nio, open loop: RATE requests/s in all, SEED_RATE for the seed's servers,
# sent on schedule whatever the answers, latency from each request's intended send time). The open
# loop has no streaming mode (stream rows are skipped), and its throughput column is the rate achieved,
# the target when the server keeps up: compare CPU per request and latency at equal rates. Pick a
# RATE every server sustains at every size in SIZES (a server that falls behind leaves requests
# unanswered after the drain timeout, and the row counts them as errors). Warm-ups and idle memory
# always use EchoLoad.
# The machine's noise, measured: SERVERS="raw-netty raw-netty-alt aionet-zerocopy aionet-bytes"
# adds raw Netty a second time, so its row's ratios (the same code against itself) show how far
# a ratio strays by chance in this run.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-toolkit-bench/target/benchmarks.jar}
JAR_ALT=${JAR_ALT:-$JAR}
SERVERS=${SERVERS-"raw-netty aionet-zerocopy aionet-bytes"}
SIZES=${SIZES-"100 1024 16384 65536"}
CONNECTIONS=${CONNECTIONS-"1 50"}
MODES=${MODES-"pingpong stream"}
DURATION=${DURATION:-2}
WARMUP=${WARMUP:-1}
SERVER_WARMUP=${SERVER_WARMUP:-1}
SEED_WARMUP=${SEED_WARMUP:-6}
RUNS=${RUNS:-1}
IN_FLIGHT=${IN_FLIGHT:-262144}
SEED=${SEED:-1}
SEED_SERVERS=${SEED_SERVERS:-"python-seed aionet-seed"}
SEED_SIZE=${SEED_SIZE:-1024}
SEED_CONNECTIONS=${SEED_CONNECTIONS:-50}
PIN=${PIN:-1}
THREADS=${THREADS:-1}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
RESULTS=${RESULTS:-toolkit-bench/target/echo-results.tsv}
LOAD=${LOAD:-echo-load}
RESTART=${RESTART:-0}
LAUNCHES=${LAUNCHES:-1}
JIT_QUIET=${JIT_QUIET:-1}
PRETOUCH=${PRETOUCH:-1}
JIT_MAX_WARMUP=${JIT_MAX_WARMUP:-30}
# Debian's own build by default (a pyenv build of the same version can be slower)
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
RATE=${RATE:-20000}
SEED_RATE=${SEED_RATE:-5000}
case $LOAD in
  echo-load|nio-open-loop) ;;
  *) echo "unknown LOAD $LOAD (echo-load nio-open-loop)" >&2; exit 2 ;;
esac

[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -q -pl toolkit-bench -am package -DskipTests" >&2; exit 2; }

# The command line of each server; each prints "READY port=N" once it listens.
server_command() {
  local common=(--port 0 --threads "$THREADS") JAR=$JAR JAVA_OPTS=$JAVA_OPTS
  [ "$PRETOUCH" != 1 ] || JAVA_OPTS="$JAVA_OPTS -XX:+AlwaysPreTouch"
  if [[ $1 == *-alt ]]; then
    JAR=$JAR_ALT
  fi
  case ${1%-alt} in
    raw-netty)       echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.RawNettyEchoServer ${common[*]}" ;;
    aionet-zerocopy) echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.AionetEchoServer --mode zerocopy ${common[*]}" ;;
    aionet-bytes)    echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.AionetEchoServer --mode bytes --read-size 65536 ${common[*]}" ;;
    aionet-seed)     echo "java $JAVA_OPTS -cp $JAR dev.aionet.bench.AionetEchoServer --mode bytes --read-size 100 ${common[*]}" ;;
    # the seed's code in sequential style (Aio.async/Aio.await); java.lang opened so that Java 24+
    # runs bodies on virtual threads carried by the loop thread (Java 17 accepts and ignores it)
    aionet-seed-await) echo "java $JAVA_OPTS --add-opens java.base/java.lang=ALL-UNNAMED -cp $JAR dev.aionet.bench.AionetEchoServer --mode await --read-size 100 ${common[*]}" ;;
    python-seed)     echo "$PYTHON toolkit-bench/seed_echo_server.py --port 0" ;;
    *) echo "unknown server $1 (raw-netty aionet-zerocopy aionet-bytes aionet-seed aionet-seed-await python-seed, each with -alt)" >&2; return 1 ;;
  esac
}

# Server on core 0, load on core 1 when taskset and two cores are there.
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

# Starts server $1 in the background: sets PID[$1] and PORT[$1].
start_server() {
  local cmd
  cmd=$(server_command "$1")
  # shellcheck disable=SC2086
  "${PIN_SERVER[@]}" $cmd >"$LOG/$1.out" 2>&1 &
  PID[$1]=$!
  for _ in $(seq 200); do grep -q '^READY port=' "$LOG/$1.out" && break; sleep 0.1; done
  PORT[$1]=$(sed -n 's/^READY port=\([0-9]*\).*/\1/p' "$LOG/$1.out")
  [ -n "${PORT[$1]}" ] || { echo "$1 did not start:" >&2; cat "$LOG/$1.out" >&2; exit 1; }
}

# The load client's class and options for mode $1, size $2 and rate $3 (the open loop only) into
# the array CLIENT; returns 1 for a row the client does not run (the open loop has no streaming).
client_for() {
  CLIENT=(dev.aionet.bench.EchoLoad --mode "$1" --in-flight "$(( IN_FLIGHT > $2 ? IN_FLIGHT : $2 ))")
  if [ "$LOAD" = nio-open-loop ]; then
    [ "$1" = pingpong ] || return 1
    CLIENT=(dev.aionet.bench.OpenLoopLoad --rate "$3")
  fi
}

# Warms server $1 up (the JIT), not measured: SERVER_WARMUP seconds of every mode x size x
# connection count it will be measured at, each on connections of its own: EchoLoad first (its
# saturating load gets every hot path compiled soon), then, when the open loop measures, as long
# again from OpenLoopLoad (its lone requests take other branches, and a path first compiled inside
# a measured run costs that run the compiler's CPU). Connections that open and close matter: the
# first closes deoptimize hot code (branches never taken before), and the recompiling C2 threads
# would otherwise burn CPU inside the first measured runs.
# Arguments: the server, the lists of modes, sizes and connection counts, the seconds of each, and
# the rate (the open loop only).
warm_up() {
  [ "$5" != 0 ] || return 0
  local mode size conns load
  for mode in $2; do
    for size in $3; do
      for conns in $4; do
        for load in echo-load $LOAD; do
          LOAD=$load client_for "$mode" "$size" "$6" || continue
          # shellcheck disable=SC2086
          "${PIN_LOAD[@]}" java $JAVA_OPTS -cp "$JAR" "${CLIENT[@]}" --port "${PORT[$1]}" \
            -c "$conns" -s "$size" -w "$5" -d 0.1 >"$LOG/warmup.out" 2>&1 \
            || { echo "warm-up of $1 failed:" >&2; cat "$LOG/warmup.out" >&2; status=1; }
          [ "$LOAD" != echo-load ] || break
        done
      done
    done
  done
}

# CPU milliseconds the JIT compiler threads of process $1 have used so far (Linux /proc; 0 elsewhere).
jit_ms() {
  local t sum=0 ticks
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ Compiler*|C2\ Compiler*)
        # fields after "(comm) ": state is 1, utime 12, stime 13
        ticks=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')
        sum=$(( sum + ${ticks:-0} )) ;;
    esac
  done
  echo $(( sum * 1000 / CLK_TCK ))
}
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# With JIT_QUIET=1, warms server $1 further with EchoLoad (mode $2, size $3, connections $4) in
# 2-second steps until its JIT compiler threads use under 1 % of a step (at most JIT_MAX_WARMUP
# seconds): a method compiled inside a measured run charges that run the compiler's CPU, and on a
# pinned core steals the loop thread's time too. Prints nothing; the compiler time left inside
# each measured run is the jit_ms column of RESULTS.
warm_until_jit_quiet() {
  [ "$JIT_QUIET" = 1 ] || return 0
  local waited=0 before
  while [ "$waited" -lt "$JIT_MAX_WARMUP" ]; do
    before=$(jit_ms "${PID[$1]}")
    LOAD=echo-load client_for "$2" "$3"
    # shellcheck disable=SC2086
    "${PIN_LOAD[@]}" java $JAVA_OPTS -cp "$JAR" "${CLIENT[@]}" --port "${PORT[$1]}" \
      -c "$4" -s "$3" -w 2 -d 0.1 >"$LOG/warmup.out" 2>&1 \
      || { echo "JIT warm-up of $1 failed:" >&2; cat "$LOG/warmup.out" >&2; status=1; return; }
    [ $(( $(jit_ms "${PID[$1]}") - before )) -ge 20 ] || return 0
    waited=$(( waited + 2 ))
  done
}

first() { set -- $1; echo "$1"; }

stop_server() {
  kill "${PID[$1]}"; wait "${PID[$1]}" 2>/dev/null || true
  unset "PID[$1]"
}

# One load run against server $1: mode $2, size $3, connections $4, run $5, at rate $6 (the open
# loop only); appends a TSV line.
load() {
  local name=$1 mode=$2 size=$3 conns=$4 run=$5 rate=$6 line jit0
  client_for "$mode" "$size" "$rate" || return 0
  [ "$LOAD" != nio-open-loop ] || mode=openloop
  jit0=$(jit_ms "${PID[$name]}")
  # shellcheck disable=SC2086
  if ! "${PIN_LOAD[@]}" java $JAVA_OPTS -cp "$JAR" "${CLIENT[@]}" --port "${PORT[$name]}" \
      -c "$conns" -s "$size" -d "$DURATION" -w "$WARMUP" --server-pid "${PID[$name]}" >"$LOG/load.out" 2>&1; then
    status=1
  fi
  line=$(grep '^RESULT ' "$LOG/load.out" || true)
  if [ -z "$line" ]; then
    echo "$LOAD against $name failed:" >&2; cat "$LOG/load.out" >&2; status=1; return
  fi
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mode" "$size" "$conns" "$run" \
    "$(get rps)" "$(get mbps)" "$(get p50us)" "$(get p99us)" "$(get p999us)" "$(get cpuusperreq)" "$(get errors)" \
    "$(( $(jit_ms "${PID[$name]}") - jit0 ))" >>"$RESULTS"
  [ "$(get errors)" = 0 ] || status=1
}

# Starts server $1 and warms it up on the rows of $2 (modes) x $3 (sizes) x $4 (conns) for $5
# seconds each, at rate $6 (the open loop only); then, Java servers, until the JIT is quiet on the
# first row.
launch() {
  start_server "$1"; warm_up "$1" "$2" "$3" "$4" "$5" "$6"
  # shellcheck disable=SC2086
  [ "$1" = python-seed ] || warm_until_jit_quiet "$1" $(first "$2") $(first "$3") $(first "$4")
}

# Drives every server of $1 (a list) in turn, RUNS times, for each row of $2 (modes) x $3 (sizes) x $4 (conns),
# at rate $5 (the open loop only). With RESTART=1 each run of each server is a fresh JVM, warmed up
# for $6 seconds on that row alone, so that the medians are over JIT outcomes too (one launch's
# compiled code can stay 30 % faster or slower than the next one's for its whole life). Otherwise
# the servers are started LAUNCHES times, each time warmed up and driven for RUNS rounds (numbered
# on across launches), so that the rounds of a launch follow each other seconds apart.
drive() {
  local servers=$1 name nth launches=1
  [ "$RESTART" = 1 ] || launches=$LAUNCHES
  for nth in $(seq "$launches"); do
    if [ "$RESTART" != 1 ]; then
      for name in $servers; do launch "$name" "$2" "$3" "$4" "$6" "$5"; done
    fi
    rounds "$@" $(( (nth - 1) * RUNS ))
    if [ "$RESTART" != 1 ]; then
      for name in $servers; do stop_server "$name"; done
    fi
  done
}

# drive's RUNS rounds of one launch: its arguments, then the number of rounds run before these.
rounds() {
  local mode size conns run name
  for mode in $2; do
    for size in $3; do
      for conns in $4; do
        for run in $(seq "$RUNS"); do
          for name in $1; do
            if [ "$RESTART" = 1 ]; then
              client_for "$mode" "$size" "$5" || continue
              launch "$name" "$mode" "$size" "$conns" "$6" "$5"
            fi
            load "$name" "$mode" "$size" "$conns" "$(( $7 + run ))" "$5"
            [ "$RESTART" != 1 ] || stop_server "$name"
          done
        done
      done
    done
  done
}

# Prints the table of the medians of $RESULTS, with each server's ratio to the baseline $1 (the
# same mode, size and connections): throughput, CPU time per request, p99; then p_tput and p_cpu,
# the median of the per-round ratios (each run against the baseline's run of the same round), which
# the machine's slow spells disturb less than the ratio of medians when they hit servers unevenly.
table() {
  awk -F'\t' -v base="$1" '
    function median(list,   v, n, i, j, t) {
      n = split(list, v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    {
      key = $2 SUBSEP $3 SUBSEP $4 SUBSEP $1
      if (!(key in n)) { order[++rows] = key }
      n[key]++
      for (c = 6; c <= 11; c++) col[key, c] = col[key, c] " " $c
      rounds[key] = rounds[key] " " $5; tput[key, $5] = $6; cpu[key, $5] = $11
      col[key, 13] = col[key, 13] " " ($13 == "" ? 0 : $13)
      err[key] += $12
    }
    END {
      printf "%-16s %-8s %6s %5s %4s %11s %9s %9s %9s %10s %10s %6s %7s %7s %7s %7s %7s %7s\n", "server", "mode", "size", "conns", "runs",
        "requests/s", "MB/s", "p50_us", "p99_us", "p99.9_us", "cpu_us/req", "errors", "x_tput", "x_cpu", "x_p99", "jit_ms", "p_tput", "p_cpu"
      for (r = 1; r <= rows; r++) {
        key = order[r]; split(key, k, SUBSEP)
        for (c = 6; c <= 11; c++) m[c] = median(col[key, c])
        bkey = k[1] SUBSEP k[2] SUBSEP k[3] SUBSEP base
        xt = xc = xp = pt = pc = "-"
        if (k[4] != base && (bkey in n)) {
          nr = split(rounds[key], rs, " "); lt = lc = ""
          for (i = 1; i <= nr; i++) {
            if (tput[bkey, rs[i]] > 0) lt = lt " " tput[key, rs[i]] / tput[bkey, rs[i]]
            if (cpu[bkey, rs[i]] > 0) lc = lc " " cpu[key, rs[i]] / cpu[bkey, rs[i]]
          }
          if (lt != "") pt = sprintf("%.2f", median(lt))
          if (lc != "") pc = sprintf("%.2f", median(lc))
          bt = median(col[bkey, 6]); bc = median(col[bkey, 11]); bp = median(col[bkey, 9])
          if (bt > 0) xt = sprintf("%.2f", m[6] / bt)
          if (bc > 0) xc = sprintf("%.2f", m[11] / bc)
          if (bp > 0) xp = sprintf("%.2f", m[9] / bp)
        }
        printf "%-16s %-8s %6s %5s %4d %11.0f %9.1f %9.1f %9.1f %10.1f %10.2f %6d %7s %7s %7s %7d %7s %7s\n", k[4], k[1], k[2], k[3], n[key],
          m[6], m[7], m[8], m[9], m[10], m[11], err[key], xt, xc, xp, median(col[key, 13]), pt, pc
      }
    }' "$RESULTS"
}

mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), PIN=$PIN" \
  "DURATION=$DURATION WARMUP=$WARMUP SERVER_WARMUP=$SERVER_WARMUP RUNS=$RUNS RESTART=$RESTART LAUNCHES=$LAUNCHES JIT_QUIET=$JIT_QUIET PRETOUCH=$PRETOUCH IN_FLIGHT=$IN_FLIGHT LOAD=$LOAD$([ "$LOAD" = nio-open-loop ] && echo " RATE=$RATE SEED_RATE=$SEED_RATE")"

if [ -n "$SERVERS" ] && [ -n "$SIZES" ] && [ -n "$CONNECTIONS" ] && [ -n "$MODES" ]; then
  drive "$SERVERS" "$MODES" "$SIZES" "$CONNECTIONS" "$RATE" "$SERVER_WARMUP"
  echo
  echo "Echo, ${THREADS} server loop thread(s), load: $LOAD: medians; x_* = this server / raw Netty (same mode, size, connections)"
  table raw-netty
fi

if [ "$SEED" = 1 ]; then
  seed_results=$RESULTS
  RESULTS=$(dirname "$seed_results")/seed-results.tsv
  : >"$RESULTS"
  drive "$SEED_SERVERS" pingpong "$SEED_SIZE" "$SEED_CONNECTIONS" "$SEED_RATE" "$SEED_WARMUP"
  echo
  echo "The seed's echo (read(100)): aionet beside Python $($PYTHON -c 'import sys; print(sys.version.split()[0])') asyncio ($PYTHON);" \
    "x_* = aionet / Python"
  table python-seed
  RESULTS=$seed_results
fi

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Live heap in KB after a full GC: survivor + eden + old used (jstat -gc columns 3, 4, 6, 8).
live_heap_kb() {
  jcmd "$1" GC.run >/dev/null
  jstat -gc "$1" | awk 'NR == 2 {printf "%.0f", $3 + $4 + $6 + $8}'
}

if [ "$IDLE_CONNECTIONS" -gt 0 ] && [ -n "$SERVERS" ]; then
  echo
  echo "Idle memory per connection (server growth with IDLE_CONNECTIONS idle connections); x_* = this server / raw Netty"
  printf '%-16s %7s %16s %20s %6s %7s %7s\n' server idle rss_bytes/conn live_heap_bytes/conn errors x_rss x_heap
  base_rss= base_heap=
  for name in $SERVERS; do
    PRETOUCH=0 start_server "$name"
    pid=${PID[$name]}
    sleep 1
    heap0=$(live_heap_kb "$pid") rss0=$(rss_kb "$pid")
    # shellcheck disable=SC2086
    "${PIN_LOAD[@]}" java $JAVA_OPTS -cp "$JAR" dev.aionet.bench.EchoLoad --port "${PORT[$name]}" --mode idle \
        -c "$IDLE_CONNECTIONS" -s 16 -d 600 >"$LOG/idle.out" 2>&1 &
    load_pid=$!
    for _ in $(seq 1200); do
      grep -q '^READY idle' "$LOG/idle.out" && break
      kill -0 "$load_pid" 2>/dev/null || break
      sleep 0.1
    done
    errors=$(grep -q '^READY idle' "$LOG/idle.out" && echo 0 || echo 1)
    heap1=$(live_heap_kb "$pid") rss1=$(rss_kb "$pid")
    kill "$load_pid" 2>/dev/null || true
    wait "$load_pid" 2>/dev/null || true
    [ "$errors" = 0 ] || { echo "idle load failed:" >&2; cat "$LOG/idle.out" >&2; status=1; }
    rss=$(( (rss1 - rss0) * 1024 / IDLE_CONNECTIONS )) heap=$(( (heap1 - heap0) * 1024 / IDLE_CONNECTIONS ))
    xr=- xh=-
    if [ "$name" = raw-netty ]; then
      base_rss=$rss base_heap=$heap
    elif [ -n "$base_rss" ]; then
      xr=$(awk -v a="$rss" -v b="$base_rss" 'BEGIN { print (b > 0 ? sprintf("%.2f", a / b) : "-") }')
      xh=$(awk -v a="$heap" -v b="$base_heap" 'BEGIN { print (b > 0 ? sprintf("%.2f", a / b) : "-") }')
    fi
    printf '%-16s %7s %16s %20s %6s %7s %7s\n' "$name" "$IDLE_CONNECTIONS" "$rss" "$heap" "$errors" "$xr" "$xh"
    stop_server "$name"
  done
fi
exit $status
