#!/usr/bin/env bash
# Runs Redis's own load tool, redis-benchmark, against jpmem-redis and Debian's redis-server in the
# same run on this machine, and prints throughput and the ratios BENCHMARKS.md records.
#
#   bench/redis-vs-jpmem.sh [--requests N] [--restart-keys N] [--skip-restart | --only-restart | --disk]
#
# Needs: the jars (./mvnw -q -DskipTests package), redis-server and redis-tools (apt-get install
# redis-server redis-tools), python3 (the restart dataset). Not a test: it takes minutes and its numbers
# depend on the machine.
#
# Like with like:
#   survives a process crash: jpmem-redis --durability process  vs  redis-server appendonly yes, appendfsync no
#   survives power loss:      jpmem-redis --durability power on emulated pmem (a tmpfs file,
#                             PMEM_IS_PMEM_FORCE=1)  vs  redis-server appendfsync always, AOF on the same tmpfs;
#                             and the same redis-server with its AOF on disk (target/, go-pmem's SSD comparison)
#   ceiling:                  redis-server without persistence
#   on disk (--disk only):    jpmem-redis --durability power --appendfsync always|everysec (its write-ahead
#                             log, heap and log in target/)  vs  redis-server appendfsync always|everysec,
#                             AOF in target/; SET 1 KiB at c=1 P=1 and c=50 P=16; restart after SIGKILL with
#                             N keys; resident memory after loading them
# Workloads: SET and GET, 1024-byte values, 1 and 50 clients, pipeline 1 and 16, after the same
# unmeasured warm-up for every server.
# Restart: N distinct keys of 1 KiB random bytes (default 1,000,000) loaded, then the time from
# start to the first PONG, after a clean shutdown and after SIGKILL, for jpmem-redis and for
# redis-server reloading its AOF.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
requests=100000
restart_keys=1000000
skip_restart=false
only_restart=false
disk_only=false
while [ $# -gt 0 ]; do
    case "$1" in
        --requests) requests=$2; shift 2 ;;
        --restart-keys) restart_keys=$2; shift 2 ;;
        --skip-restart) skip_restart=true; shift ;;
        --only-restart) only_restart=true; shift ;;
        --disk) disk_only=true; shift ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null \
    || { echo "needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)" >&2; exit 2; }
tmpfs=/dev/shm/jpmem-redis-bench
disk="$root/target/redis-bench-disk"
rm -rf "$tmpfs" "$disk"
mkdir -p "$tmpfs" "$disk"
port=6399
pid=""

stop() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        redis-cli -p $port shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    pid=""
}
trap stop EXIT

wait_ready() { # until PONG (a server still loading its data answers -LOADING)
    for _ in $(seq 6000); do
        [ "$(redis-cli -p $port ping 2>/dev/null)" = PONG ] && return 0
        sleep 0.002
    done
    echo "server on $port did not start" >&2
    return 1
}

start() { # name
    case "$1" in
        jpmem-process) "$root/bin/jpmem-redis" --port $port --heap "$tmpfs/process.heap" --heap-size 4g --durability process >"$tmpfs/$1.log" 2>&1 & ;;
        jpmem-power) PMEM_IS_PMEM_FORCE=1 "$root/bin/jpmem-redis" --port $port --heap "$tmpfs/power.heap" --heap-size 4g --durability power >"$tmpfs/$1.log" 2>&1 & ;;
        redis-aof-no) redis-server --port $port --save '' --appendonly yes --appendfsync no --dir "$tmpfs" --appendfilename no.aof --appenddirname aof-no >"$tmpfs/$1.log" 2>&1 & ;;
        redis-aof-always-tmpfs) redis-server --port $port --save '' --appendonly yes --appendfsync always --dir "$tmpfs" --appenddirname aof-always >"$tmpfs/$1.log" 2>&1 & ;;
        redis-aof-always-disk) redis-server --port $port --save '' --appendonly yes --appendfsync always --dir "$disk" >"$tmpfs/$1.log" 2>&1 & ;;
        jpmem-wal-always) "$root/bin/jpmem-redis" --port $port --heap "$disk/wal-always.heap" --heap-size 4g --durability power --appendfsync always >"$tmpfs/$1.log" 2>&1 & ;;
        jpmem-wal-everysec) "$root/bin/jpmem-redis" --port $port --heap "$disk/wal-everysec.heap" --heap-size 4g --durability power --appendfsync everysec >"$tmpfs/$1.log" 2>&1 & ;;
        redis-aof-everysec-disk) redis-server --port $port --save '' --appendonly yes --appendfsync everysec --dir "$disk" --appenddirname aof-everysec >"$tmpfs/$1.log" 2>&1 & ;;
        redis-none) redis-server --port $port --save '' --appendonly no >"$tmpfs/$1.log" 2>&1 & ;;
    esac
    pid=$!
    wait_ready
}

declare -A rps
if [ "$disk_only" = true ]; then
    disk_configs=(jpmem-wal-always redis-aof-always-disk jpmem-wal-everysec redis-aof-everysec-disk)
    for config in "${disk_configs[@]}"; do
        start "$config"
        redis-benchmark -p $port -t set -n "$requests" -c 50 -P 16 -d 1024 -r 100000 -q >/dev/null 2>&1
        for point in "1 1 $((requests / 10))" "50 16 $requests"; do
            read -r clients pipeline n <<<"$point"
            out=$(redis-benchmark -p $port -t set -n "$n" -c "$clients" -P "$pipeline" -d 1024 -r 100000 -q 2>/dev/null | tr '\r' '\n' | grep -E '^SET:' | grep 'requests per second')
            rps["$config c$clients P$pipeline"]=$(printf '%s\n' "$out" | sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p' | tail -1)
        done
        stop
    done
    printf '\nSET 1 KiB on disk (%s), requests/s\n%-12s' "$disk" ""
    for config in "${disk_configs[@]}"; do printf '%26s' "$config"; done
    printf '%14s%14s\n' "always" "everysec"
    for key in "c1 P1" "c50 P16"; do
        printf '%-12s' "$key"
        for config in "${disk_configs[@]}"; do printf '%26s' "${rps[$config $key]:-0}"; done
        printf '%14s%14s\n' \
            "$(awk -v a="${rps[jpmem-wal-always $key]:-0}" -v b="${rps[redis-aof-always-disk $key]:-0}" 'BEGIN{ if (b>0) printf "%.2fx", a/b; else print "-" }')" \
            "$(awk -v a="${rps[jpmem-wal-everysec $key]:-0}" -v b="${rps[redis-aof-everysec-disk $key]:-0}" 'BEGIN{ if (b>0) printf "%.2fx", a/b; else print "-" }')"
    done
    only_restart=true
fi
[ "$only_restart" = true ] && configs=() || configs=(jpmem-process redis-aof-no jpmem-power redis-aof-always-tmpfs redis-aof-always-disk redis-none)
for config in "${configs[@]}"; do
    start "$config"
    # Warm-up, not measured, the same for every server: a JVM compiles its hot paths in the first
    # ~100k commands, and a server is measured as it runs, not as it starts (restart is measured below).
    redis-benchmark -p $port -t set,get -n "$requests" -c 50 -P 16 -d 1024 -r 100000 -q >/dev/null 2>&1
    for clients in 1 50; do
        for pipeline in 1 16; do
            n=$requests
            [ "$clients" = 1 ] && [ "$pipeline" = 1 ] && n=$((requests / 5))
            out=$(redis-benchmark -p $port -t set,get -n "$n" -c "$clients" -P "$pipeline" -d 1024 -r 100000 -q 2>/dev/null | tr '\r' '\n' | grep -E '^(SET|GET):' | grep 'requests per second')
            for op in SET GET; do
                value=$(printf '%s\n' "$out" | sed -n "s/^$op: \([0-9.]*\) requests per second.*/\1/p" | tail -1)
                rps["$config $op c$clients P$pipeline"]=${value:-0}
            done
        done
    done
    stop
done

if [ "$only_restart" = false ]; then
printf '\n%-26s' "requests/s"
for config in "${configs[@]}"; do printf '%24s' "$config"; done
printf '\n'
for op in SET GET; do
    for clients in 1 50; do
        for pipeline in 1 16; do
            key="$op c$clients P$pipeline"
            printf '%-26s' "$key"
            for config in "${configs[@]}"; do printf '%24s' "${rps[$config $key]}"; done
            printf '\n'
        done
    done
done
printf '\nratios (same run)\n%-26s%22s%26s\n' "" "process/aof-no" "power/aof-always-tmpfs"
for op in SET GET; do
    for clients in 1 50; do
        for pipeline in 1 16; do
            key="$op c$clients P$pipeline"
            printf '%-26s%22s%26s\n' "$key" \
                "$(awk -v a="${rps[jpmem-process $key]}" -v b="${rps[redis-aof-no $key]}" 'BEGIN{ if (b>0) printf "%.2fx", a/b; else print "-" }')" \
                "$(awk -v a="${rps[jpmem-power $key]}" -v b="${rps[redis-aof-always-tmpfs $key]}" 'BEGIN{ if (b>0) printf "%.2fx", a/b; else print "-" }')"
        done
    done
done

fi
if [ "$skip_restart" = true ]; then
    exit 0
fi

timed_start() { # config: starts it, sets $took to the seconds from start to the first PONG
    local t0 t1
    t0=$(date +%s.%N)
    start "$1"
    t1=$(date +%s.%N)
    took=$(awk -v a="$t0" -v b="$t1" 'BEGIN{ printf "%.3f", b-a }')
}

# The restart dataset: N SETs of distinct keys with 1,024 random printable bytes each (incompressible,
# so Redis's RDB preamble cannot shrink it), as one RESP stream that redis-cli --pipe sends.
make_dataset() {
    python3 - "$restart_keys" "$tmpfs/restart.resp" <<'PY'
import base64, os, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, 'wb') as out:
    for start in range(0, n, 10000):
        out.write(b''.join(b'*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$1024\r\n%s\r\n'
                           % (i, base64.b64encode(os.urandom(768))) for i in range(start, min(n, start + 10000))))
PY
}

load_keys() {
    redis-cli -p $port --pipe < "$tmpfs/restart.resp" >/dev/null
    redis-cli -p $port dbsize
}

command -v python3 >/dev/null || { echo "the restart benchmark needs python3 to make its dataset" >&2; exit 2; }
make_dataset
printf '\nrestart with %s keys of 1 KiB (seconds from start to first PONG)\n' "$restart_keys"
restart_configs=(jpmem-process redis-aof-no)
[ "$disk_only" = true ] && restart_configs=(jpmem-wal-always redis-aof-always-disk)
for config in "${restart_configs[@]}"; do
    rm -rf "$tmpfs"/aof-* "$tmpfs"/*.heap "$disk"/*
    start "$config"
    keys=$(load_keys)
    if [ "$config" = redis-aof-always-disk ]; then
        rss=$(redis-cli -p $port info memory | tr -d '\r' | sed -n 's/^used_memory_rss://p')
    else
        rss=$(( $(ps -o rss= -p "$pid") * 1024 ))
    fi
    printf '%-24s resident after loading: %s MiB\n' "$config" "$((rss >> 20))"
    stop # clean shutdown
    timed_start "$config"
    clean=$took
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    timed_start "$config"
    crashed=$took
    stop
    printf '%-16s keys=%-9s clean %8ss   after SIGKILL %8ss\n' "$config" "$keys" "$clean" "$crashed"
done
