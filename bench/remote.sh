#!/usr/bin/env bash
# Object storage: the images of the full bench (bench/run.sh makes them) served by S3Proxy on
# loopback, once as one Barecat archive and once as one object per file, read through our mount of
# s3://bench/images.barecat (as it is, and with -o prefetch), through `rclone mount` of the separate
# objects (Debian's rclone, default VFS settings, as a new user sets it up) and through our mount of
# the local archive. Each reads the first BENCH_REMOTE_FILES images in path order, shuffled, with 1
# and 8 readers, page cache dropped: a first epoch on an empty block cache and a second one after it.
# rclone reads only the first BENCH_REMOTE_RCLONE_FILES: it makes a request per file, so its files/s
# does not depend on how many, and it is slow. Then again with BENCH_REMOTE_DELAY_MS added to every
# request by bench/DelayProxy.java (a real object store's first byte). Last, the first epoch at that
# delay for each block size in BENCH_REMOTE_BLOCKS.
#
# usage: bench/remote.sh     (after bench/run.sh; some 20 minutes: rclone at 20 ms reads some 20 files/s)
# env:   BENCH_DIR (the full bench's work dir), BENCH_REMOTE_FILES (default 20000, all of them),
#        BENCH_REMOTE_RCLONE_FILES (default 2000), BENCH_REMOTE_DELAY_MS (default 20),
#        BENCH_REMOTE_BLOCKS (MiB, default "1 2 4 8")
set -euo pipefail
. "$(dirname "$0")/common.sh"
files=${BENCH_REMOTE_FILES:-20000}
rclone_files=${BENCH_REMOTE_RCLONE_FILES:-2000}
delay=${BENCH_REMOTE_DELAY_MS:-20}
blocks=${BENCH_REMOTE_BLOCKS:-1 2 4 8}
use_full_bench images.barecat data/images
install_missing rclone

rw=$work/remote
mnt=$rw/mnt
pids=()
cleanup() {
  fusermount -u "$mnt" 2>/dev/null || fusermount -uz "$mnt" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
rm -rf "$rw/cache" "$rw/rclone-cache"
mkdir -p "$rw/s3" "$mnt"
tool() { java -Xmx2g -cp "$repo/bench" "$repo/bench/BenchTool.java" "$@"; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# ---------------------------------------------------------------- S3Proxy, filled through its API once
port=$(free_port)
./mvnw -q -B -f bench/s3proxy/pom.xml dependency:build-classpath -Dmdep.outputFile="$rw/classpath.txt" >/dev/null
cat > "$rw/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$rw/s3
EOF
java -cp "$(cat "$rw/classpath.txt")" org.gaul.s3proxy.Main --properties "$rw/s3proxy.conf" > "$rw/s3proxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
curl -s -o /dev/null "http://127.0.0.1:$port/" || { echo "bench/remote.sh: S3Proxy did not start: $rw/s3proxy.log" >&2; exit 1; }
export RCLONE_CONFIG_S3_TYPE=s3 RCLONE_CONFIG_S3_PROVIDER=Other RCLONE_CONFIG_S3_ACCESS_KEY_ID=bench \
  RCLONE_CONFIG_S3_SECRET_ACCESS_KEY=bench-secret RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true
unset AWS_CA_BUNDLE  # rclone 1.60 fails on any custom CA bundle (everything here is plain HTTP on loopback)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
filled=$rw/s3/bench.filled
if [ ! -f "$filled" ]; then  # S3Proxy keeps its objects as files with their metadata in xattrs: filled once
  RCLONE_CONFIG_S3_ENDPOINT=http://127.0.0.1:$port rclone mkdir s3:bench
  RCLONE_CONFIG_S3_ENDPOINT=http://127.0.0.1:$port rclone copy --transfers 8 "$work/data/images" s3:bench/images
  RCLONE_CONFIG_S3_ENDPOINT=http://127.0.0.1:$port rclone copy --transfers 2 --include 'images.barecat*' "$work" s3:bench
  touch "$filled"
fi
(cd "$work/data/images" && find . -type f | sed 's|^\./||' | sort | sed -n "1,${files}p") > "$rw/files.list"
head -n "$rclone_files" "$rw/files.list" > "$rw/rclone-files.list"
dport=$(free_port)
java "$repo/bench/DelayProxy.java" "$dport" "$port" "$delay" > "$rw/proxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$dport/" && break; sleep 0.2; done

# mount SYSTEM ENDPOINT CACHE: mounts at $mnt; the daemon's block size from BLOCK_MIB if set (our mounts)
mount_system() {
  case $1 in
    rclone) RCLONE_CONFIG_S3_ENDPOINT=$2 rclone mount s3:bench/images "$mnt" --read-only --daemon ;;
    s3|s3-prefetch) BARECAT_JAVA_OPTS=${BLOCK_MIB:+-Dbarecat.block_size=$((BLOCK_MIB << 20))} \
          bin/barecat-mount s3://bench/images.barecat "$mnt" -o "endpoint=$2,cache_dir=$3$([ "$1" = s3 ] || echo ,prefetch)" ;;
    local) bin/barecat-mount "$work/images.barecat" "$mnt" ;;
  esac
  for _ in $(seq 100); do [ -e "$mnt/$(head -1 "$rw/files.list")" ] && return; sleep 0.1; done
}
results=$rw/results.tsv
: > "$results"
# run LABEL SYSTEM ENDPOINT READERS: first and second epoch, each cold in the page cache
run() {
  local cache=$rw/cache/$1-$2-$4
  rm -rf "$cache"
  for e in first second; do
    mount_system "$2" "$3" "$cache"
    drop_caches
    local list=$rw/files.list
    [ "$2" != rclone ] || list=$rw/rclone-files.list
    local r; r=$(tool read "$list" "$mnt" "$4" 1/1)
    fusermount -u "$mnt" || fusermount -uz "$mnt"
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$4" "$e" "$(sed -n 's/.*files_per_s=\([0-9.]*\).*/\1/p' <<< "$r")" | tee -a "$results"
  done
}
for latency in 0 "$delay"; do
  endpoint=http://127.0.0.1:$([ "$latency" = 0 ] && echo "$port" || echo "$dport")
  for readers in 1 8; do
    for system in local s3 s3-prefetch rclone; do
      run "${latency}ms" "$system" "$endpoint" "$readers"
    done
  done
done
for mib in $blocks; do
  for readers in 1 8; do
    BLOCK_MIB=$mib run "${delay}ms-block-${mib}MiB" s3 "http://127.0.0.1:$dport" "$readers"
  done
done
echo "results: $results"
