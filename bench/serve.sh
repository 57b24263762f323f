#!/usr/bin/env bash
# barecat serve against nginx over loopback: wrk fetching the 20,000 images of the full bench (about
# 110 KB each, random order) from `barecat serve images.barecat` and from nginx serving the extracted
# directory, then random 1 MiB ranges of the 4 GiB file from `barecat serve big.barecat` and from
# nginx. Both read from the page cache (each is warmed first) and run one after the other in the same
# run; each figure is the median of BENCH_REPS runs. Prints a Markdown table with each figure
# relative to nginx's.
#
# usage: bench/serve.sh     (after bench/run.sh has made the data)
# env:   BENCH_DIR (the full bench's work dir), BENCH_REPS (default 3), BENCH_SECONDS (per run, default 15),
#        BENCH_CONNECTIONS (default 8), BENCH_RESULTS (output .md path)
set -euo pipefail
. "$(dirname "$0")/common.sh"
reps=${BENCH_REPS:-3}
seconds=${BENCH_SECONDS:-15}
connections=${BENCH_CONNECTIONS:-8}
results_md=${BENCH_RESULTS:-$(results_path serve)}
use_full_bench images.barecat images.list big.barecat data/big/big.bin
install_missing wrk nginx

sw=$(mktemp -d /tmp/barecat-bench-serve.XXXXXX)
pids=()
cleanup() {
  [ -f "$sw/nginx.pid" ] && kill "$(cat "$sw/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$sw"
}
trap cleanup EXIT

# ---------------------------------------------------------------- the servers
nginx_port=$(free_port)
cat > "$sw/nginx.conf" <<EOF
daemon on;
worker_processes auto;
pid $sw/nginx.pid;
error_log $sw/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $work/data; }
}
EOF
nginx -c "$sw/nginx.conf" -p "$sw"
start_serve() {  # start_serve ARCHIVE PORT: a server on PORT, killed on exit (so not in a subshell)
  bin/barecat serve "$1" --port "$2" > "$sw/serve-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$2/api/list" && break; sleep 0.2; done
}
images_port=$(free_port)
start_serve "$work/images.barecat" "$images_port"
big_port=$(free_port)
start_serve "$work/big.barecat" "$big_port"

# ---------------------------------------------------------------- wrk's request makers
cp "$work/images.list" "$sw/images.list"
# each of wrk's threads a random sequence of its own
cat > "$sw/seed.lua" <<'EOF'
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) math.randomseed(os.time() * 64 + id) end
EOF
cat "$sw/seed.lua" - > "$sw/files.lua" <<'EOF'
-- a random image of the list for each request, under the URL prefix in WRK_PREFIX
local paths = {}
for line in io.lines(os.getenv("WRK_LIST")) do paths[#paths + 1] = line end
local prefix = os.getenv("WRK_PREFIX")
request = function()
  return wrk.format("GET", prefix .. paths[math.random(#paths)])
end
EOF
cat "$sw/seed.lua" - > "$sw/ranges.lua" <<'EOF'
-- a random 1 MiB range of the file at WRK_PATH, WRK_SIZE bytes long
local path, size, length = os.getenv("WRK_PATH"), tonumber(os.getenv("WRK_SIZE")), 1048576
request = function()
  local from = math.random(0, (size - length) / 4096) * 4096
  return wrk.format("GET", path, { Range = string.format("bytes=%.0f-%.0f", from, from + length - 1) })
end
EOF
big_size=$(stat -c %s "$work/data/big/big.bin")

# run_wrk SCRIPT URL ENV...: requests/s and MB/s of one run, as "RPS MBPS"
run_wrk() {
  local script=$1 url=$2
  shift 2
  env "$@" wrk -t 2 -c "$connections" -d "${seconds}s" --latency -s "$script" "$url" > "$sw/wrk.out" 2>&1 || true
  local non2xx
  non2xx=$(awk '/Non-2xx/ { print $NF }' "$sw/wrk.out")
  [ -z "$non2xx" ] || { echo "bench/serve.sh: $url: $non2xx answers not 2xx:" >&2; cat "$sw/wrk.out" >&2; exit 1; }
  awk '/^Requests\/sec/ { r = $2 } /^Transfer\/sec/ { t = $2; u = t; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", t);
       m = (u == "GB") ? t * 1024 : (u == "MB") ? t : (u == "KB") ? t / 1024 : t / 1048576 } END { printf "%.0f %.1f\n", r, m }' "$sw/wrk.out"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# warm both sources' page cache: every image once, the whole big file once
cat "$work/images.barecat-shard-00000" "$work/big.barecat-shard-00000" > /dev/null
find "$work/data/images" -type f -exec cat {} + > /dev/null
cat "$work/data/big/big.bin" > /dev/null

files_ours=() files_nginx=() ranges_ours=() ranges_nginx=()
for _ in $(seq "$reps"); do
  files_ours+=("$(run_wrk "$sw/files.lua" "http://127.0.0.1:$images_port" WRK_LIST="$sw/images.list" WRK_PREFIX=/files/)")
  files_nginx+=("$(run_wrk "$sw/files.lua" "http://127.0.0.1:$nginx_port" WRK_LIST="$sw/images.list" WRK_PREFIX=/images/)")
  ranges_ours+=("$(run_wrk "$sw/ranges.lua" "http://127.0.0.1:$big_port" WRK_PATH=/files/big.bin WRK_SIZE="$big_size")")
  ranges_nginx+=("$(run_wrk "$sw/ranges.lua" "http://127.0.0.1:$nginx_port" WRK_PATH=/big/big.bin WRK_SIZE="$big_size")")
done
pick() { local column=$1; shift; printf '%s\n' "$@" | awk -v c="$column" '{ print $c }' | median; }
fo=$(pick 1 "${files_ours[@]}") fn=$(pick 1 "${files_nginx[@]}")
ro=$(pick 2 "${ranges_ours[@]}") rn=$(pick 2 "${ranges_nginx[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

mkdir -p "$(dirname "$results_md")"
{
  echo "# barecat serve against nginx, $(date -u +%Y-%m-%d), commit $(git describe --always --dirty --abbrev=7)"
  echo
  echo "\`bench/serve.sh\`: wrk, 2 threads, $connections connections, ${seconds} s a run, median of $reps runs;"
  echo "loopback, page cache warm, $(nproc) cores shared by wrk, the server and everything else running."
  echo
  echo "| what | barecat serve | nginx | barecat / nginx |"
  echo "|---|---:|---:|---:|"
  echo "| images of about 110 KB, random order, requests/s | $fo | $fn | $(ratio "$fo" "$fn") |"
  echo "| 1 MiB ranges of the 4 GiB file, random, MB/s | $ro | $rn | $(ratio "$ro" "$rn") |"
  echo
  echo "Every run: barecat files ${files_ours[*]// /:}; nginx files ${files_nginx[*]// /:};"
  echo "barecat ranges ${ranges_ours[*]// /:}; nginx ranges ${ranges_nginx[*]// /:} (requests/s:MB/s)."
} > "$results_md"
cat "$results_md"
