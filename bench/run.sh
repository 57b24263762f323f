#!/usr/bin/env bash
# Side-by-side benchmark: a plain directory, squashfuse on an uncompressed squashfs image, and
# barecat-mount, on the same generated data, page cache cold and warm. Prints one table with each
# system's figure and its ratio to the plain directory, and writes it as Markdown to bench/results/.
#
# usage: bench/run.sh [--smoke]       (--smoke: tiny data, seconds; what CI runs)
# env:   BENCH_DIR (work dir, default /var/tmp/barecat-bench-SCALE), BENCH_RESULTS (output .md path),
#        BENCH_REPS (runs per figure, default 3, smoke 1; each figure is their median, as this kind of
#        machine varies by 30-50% from minute to minute; a find, an lstat of every file and the
#        sequential read run 2 x BENCH_REPS - 1 times, as they take seconds; the cold whole-file
#        reads and the cold epoch once: they take minutes). The three systems take turns run by run,
#        each round starting with the next; in the cold whole-file and sequential reads, slice by
#        slice (BENCH_SLICES, default 4, smoke 2: each run cut into that many).
set -euo pipefail
. "$(dirname "$0")/common.sh"

scale=full
[ "${1:-}" = "--smoke" ] && scale=smoke
if [ "$scale" = full ]; then
  images=20000; classes=200; small=200000; big_mb=4096
else
  images=300; classes=6; small=2000; big_mb=64
fi
reps=${BENCH_REPS:-$([ "$scale" = full ] && echo 3 || echo 1)}
slices=${BENCH_SLICES:-$([ "$scale" = full ] && echo 4 || echo 2)}
work=${BENCH_DIR:-/var/tmp/barecat-bench-$scale}
results_md=${BENCH_RESULTS:-$(results_path $scale)}
[ "$scale" = smoke ] && results_md=${BENCH_RESULTS:-$work/results.md}

# ---------------------------------------------------------------- dependencies and build
build_barecat
install_missing squashfuse squashfs-tools gnuplot-nox
tool() { java -Xmx2g -cp "$repo/bench" "$repo/bench/BenchTool.java" "$@"; }
has_torch=no
/usr/bin/python3 -c "import torchvision" 2>/dev/null && has_torch=yes

# ---------------------------------------------------------------- data
mkdir -p "$work"
data=$work/data
if [ ! -f "$data/.complete" ]; then
  rm -rf "$data" && mkdir -p "$data/big"
  echo "generating $images images in $classes classes, $small small files, a $big_mb MiB file in $data" >&2
  tool gen-images "$data/images" "$images" "$classes"
  tool gen-small "$data/small" "$small"
  head -c "$((big_mb * 1024 * 1024))" /dev/urandom > "$data/big/big.bin"
  touch "$data/.complete"
fi
for d in images small; do
  (cd "$data/$d" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) > "$work/$d.list"
done
for d in images small big; do
  if [ ! -f "$work/$d.sqfs" ]; then
    mksquashfs "$data/$d" "$work/$d.sqfs" -noI -noD -noF -noX -no-progress -quiet >/dev/null
  fi
  if [ ! -f "$work/$d.barecat" ]; then
    bin/barecat create -f "$work/$d.barecat" -C "$data/$d" . >/dev/null
  fi
done

# ---------------------------------------------------------------- mounts
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do
    fusermount -u "$m" 2>/dev/null || fusermount -uz "$m" 2>/dev/null || true
  done
}
trap cleanup EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
results=$work/results.tsv
: > "$results"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$results"; }  # metric system value better(higher|lower), once per run
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# damon_idle_s: the seconds after which a running DAMON "pageout" scheme evicts page-cache pages nobody
# touched (min age x aggregation interval; some VMs run one to give memory back to the host), or nothing
damon_idle_s() {
  local c s
  for c in /sys/kernel/mm/damon/admin/kdamonds/*/contexts/*; do
    [ "$(cat "${c%/contexts/*}/state" 2>/dev/null)" = on ] || continue
    for s in "$c"/schemes/[0-9]*; do
      [ "$(cat "$s/action" 2>/dev/null)" = pageout ] || continue
      echo $(( $(cat "$s/access_pattern/age/min") * $(cat "$c/monitoring_attrs/intervals/aggr_us") / 1000000 ))
      return
    done
  done
}

prime_mount "$work/big.barecat" "$work/mnt/prime"

declare -A root
for rep in $(seq "$reps"); do  # each round replaces the last one's mounts; the last round's stay
  for d in images small big; do
    root[plain-$d]=$data/$d
    for sys in squashfuse barecat; do
      m=$work/mnt/$sys-$d
      mkdir -p "$m"
      fusermount -u "$m" 2>/dev/null || fusermount -uz "$m" 2>/dev/null || true
      drop_caches
      t0=$(now)
      if [ $sys = squashfuse ]; then squashfuse "$work/$d.sqfs" "$m"; else bin/barecat-mount "$work/$d.barecat" "$m"; fi
      took=$(elapsed "$t0")
      metric="mount time, $d (s)"
      # a mount that did not map the launcher's class-data archive (see bin/barecat-launch) gets a row of its own
      if [ $sys = barecat ] && ! grep -q 'barecat/mount-[0-9-]*\.jsa' \
          "/proc/$(pgrep -f "BarecatMount.*$m" | head -1)/maps" 2>/dev/null; then
        metric="mount time without the class-data archive, $d (s)"
      fi
      record "$metric" $sys "$took" lower
      [ "$rep" -gt 1 ] || mounts+=("$m")
      root[$sys-$d]=$m
    done
  done
done

# ---------------------------------------------------------------- measurements
# measure CACHE RUNS COMMAND...: runs "COMMAND... SYSTEM" RUNS times for each system, the systems
# taking turns (so that a slow minute on a shared machine falls on all of them alike); the output of
# each recorded run is kept in out[SYSTEM] for record_runs. Cold drops the page, dentry and inode
# caches first; warm drops them too, then runs the command twice unrecorded, so the run recorded finds
# everything it needs cached and nothing else (a "warm" figure never depends on what an earlier
# measurement left behind: with the 4 GiB file cached twice by each FUSE system, leftovers of earlier
# runs used to push its pages out). Twice: the second run reads again what memory reclaim paged out
# during the first (see damon_idle_s: a first read of the 4 GiB file on a slow disk outlasts it).
systems=(plain squashfuse barecat)
turn=0
next_turn() {  # order: the systems in the order of the next round. Each round starts with the next system, so
  # none always follows the same one (a disk that throttles, or caches below the VM, favour some places)
  order=("${systems[@]:turn % 3}" "${systems[@]:0:turn % 3}"); turn=$((turn + 1))
}
declare -A out
measure() {
  local cache=$1 runs=$2 sys; shift 2
  out=()
  for _ in $(seq "$runs"); do
    next_turn
    for sys in "${order[@]}"; do
      drop_caches
      if [ "$cache" = warm ]; then "$@" "$sys" > /dev/null; "$@" "$sys" > /dev/null; fi
      out[$sys]+=$("$@" "$sys")$'\n'
    done
  done
}
# measure_slices RUNS SLICES COMMAND...: RUNS cold runs, each one of "COMMAND... K/SLICES SYSTEM" for
# every slice K (the command reads its K-th part of the files or bytes), the systems taking turns slice
# by slice, the caches dropped before each: a slow minute of a shared disk falls on all three alike,
# where one run of every file per system took minutes of its own. out[SYSTEM] gets one line per run:
# files and bytes over the seconds of all its slices.
measure_slices() {
  local runs=$1 n=$2 k sys; shift 2
  local -A parts
  out=()
  for _ in $(seq "$runs"); do
    parts=()
    for k in $(seq "$n"); do
      next_turn
      for sys in "${order[@]}"; do
        drop_caches
        parts[$sys]+=$("$@" "$k/$n" "$sys")$'\n'
      done
    done
    for sys in "${systems[@]}"; do
      out[$sys]+=$(printf '%s' "${parts[$sys]}" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } }
        END { printf "files_per_s=%.0f mb_per_s=%.1f\n", v["files"] / v["seconds"], v["bytes"] / v["seconds"] / 1e6 }')$'\n'
    done
  done
}
# measure_long CACHE RUNS COMMAND...: reads of many files or bytes: cold, RUNS runs in slices; warm, RUNS runs
measure_long() {
  local cache=$1 runs=$2; shift 2
  if [ "$cache" = cold ]; then measure_slices "$runs" "$slices" "$@"; else measure warm "$runs" "$@" 1/1; fi
}
record_runs() {  # FIELD METRIC BETTER: records the FIELD=VALUE of each system's runs (the report takes the median)
  local sys value
  for sys in "${systems[@]}"; do
    for value in $(printf '%s' "${out[$sys]}" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"); do record "$2" "$sys" "$value" "$3"; done
  done
}
find_tree() {  # TREE SYSTEM
  local t0 n; t0=$(now); n=$(find "${root[$2-$1]}" | wc -l)
  [ "$n" -gt "$(wc -l < "$work/$1.list")" ] || { echo "find on $2-$1 saw only $n entries" >&2; return 1; }
  echo "seconds=$(elapsed "$t0")"
}
stat_tree() { tool stat "$work/$1.list" "${root[$2-$1]}"; }              # TREE SYSTEM
ls_lr_tree() { local t0; t0=$(now); ls -lR "${root[$2-$1]}" > /dev/null; echo "seconds=$(elapsed "$t0")"; }  # TREE SYSTEM
du_tree() { local t0; t0=$(now); du -s "${root[$2-$1]}" > /dev/null; echo "seconds=$(elapsed "$t0")"; }      # TREE SYSTEM
read_tree() { tool read "$work/$1.list" "${root[$4-$1]}" "$2" "$3"; }     # TREE THREADS K/N SYSTEM
read_big() { tool seq "${root[$2-big]}/big.bin" "$1"; }                   # K/N SYSTEM
epoch() { /usr/bin/python3 "$repo/bench/imagefolder_epoch.py" "${root[$1-images]}"; }  # SYSTEM
quick=$((2 * reps - 1))  # a find, an lstat of every file, a sequential read take seconds: more runs, same confidence
for cache in cold warm; do
  long=$reps
  [ $cache = warm ] || long=1  # a whole-file read of every file or an epoch takes minutes cold
  for d in images small; do
    measure $cache $quick find_tree $d
    record_runs seconds "find, $d, $cache (s)" lower
    measure $cache $quick stat_tree $d
    record_runs files_per_s "lstat every file, $d, $cache (files/s)" higher
  done
  measure $cache $quick ls_lr_tree images  # list, then stat every entry (and ask for its xattrs)
  record_runs seconds "ls -lR, images, $cache (s)" lower
  measure $cache $quick du_tree images
  record_runs seconds "du -s, images, $cache (s)" lower
  for threads in 1 8; do
    measure_long $cache $long read_tree images $threads
    record_runs files_per_s "shuffled whole-file reads, images, $threads thread(s), $cache (files/s)" higher
    record_runs mb_per_s "shuffled whole-file reads, images, $threads thread(s), $cache (MB/s)" higher
    measure_long $cache $long read_tree small $threads
    record_runs files_per_s "shuffled whole-file reads, small, $threads thread(s), $cache (files/s)" higher
  done
  measure_long $cache $quick read_big
  record_runs mb_per_s "sequential read of one $big_mb MiB file, $cache (MB/s)" higher
  if [ $has_torch = yes ]; then
    measure $cache $long epoch
    record_runs images_per_s "ImageFolder + DataLoader epoch, 2 workers, $cache (images/s)" higher
  fi
done
for d in images small big; do
  for sys in squashfuse barecat; do
    if [ $sys = squashfuse ]; then pid=$(pgrep -f "squashfuse $work/$d.sqfs" | head -1)
    else pid=$(pgrep -f "BarecatMount.*$work/mnt/barecat-$d" | head -1); fi
    record "daemon peak RSS, $d (MB)" $sys "$(peak_rss_mb "$pid")" lower
  done
done

# ---------------------------------------------------------------- report
mkdir -p "$(dirname "$results_md")"
python3 - "$results" "$results_md" "$scale" "$images" "$classes" "$small" "$big_mb" "$has_torch" "$reps" "$slices" "$(damon_idle_s)" <<'PY'
import sys, collections, platform, datetime, subprocess
from bench.report import publish
path, out, scale, images, classes, small, big_mb, torch, reps, slices, damon = sys.argv[1:]
rows = collections.OrderedDict()
for line in open(path):
    metric, system, value, better = line.rstrip("\n").split("\t")
    if value:
        rows.setdefault(metric, {"better": better}).setdefault(system, []).append(float(value))
for row in rows.values():  # each figure: the median of its runs
    for system, values in row.items():
        if system != "better":
            row[system] = sorted(values)[(len(values) - 1) // 2]
def ratio(row, system):
    a, p = row.get(system), row.get("plain")
    if a is None or p is None or a == 0 or p == 0:
        return ""
    return f"{(p / a if row['better'] == 'lower' else a / p):.2f}"
def vs_squash(row):
    a, s = row.get("barecat"), row.get("squashfuse")
    if not a or not s:
        return ""
    return f"{(s / a if row['better'] == 'lower' else a / s):.2f}"
fmt = lambda v: "" if v is None else (f"{v:.3f}" if v < 10 else f"{v:.0f}")
lines = [f"# barecat-mount benchmark ({scale})", "",
         f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {platform.node()}, {subprocess.getoutput('nproc')} cores, "
         f"kernel {platform.release()}. Data: {images} JPEG-like files of ~110 KB in {classes} class folders "
         f"(images), {small} files of 0.5-4 KB (small), one {big_mb} MiB file (big).", "",
         "Ratios are speed relative to the plain directory in the same run (1.00 = as fast as plain files, higher is "
         "faster); the last column is barecat's speed relative to squashfuse (above 1.00: barecat is faster). "
         f"Each figure is the median of {reps} run(s) ({2 * int(reps) - 1} for a find, an lstat and a sequential "
         "read, which take seconds), but for the cold whole-file reads (one run of every file) and the cold epoch "
         "(one run); the three systems take turns run by run, each round starting with the next, and in the cold "
         f"whole-file and sequential reads slice by slice ({slices} slices to a run). A warm run follows two "
         "unrecorded ones."
         + (f" This machine runs DAMON proactive reclaim: page-cache pages idle for about {damon} s are paged out, "
            "so what is warm does not stay warm for long." if damon else ""), "",
         "| measurement | plain | squashfuse | barecat | squashfuse / plain | barecat / plain | barecat / squashfuse |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for metric, row in rows.items():
    lines.append(f"| {metric} | {fmt(row.get('plain'))} | {fmt(row.get('squashfuse'))} | {fmt(row.get('barecat'))} | "
                 f"{ratio(row, 'squashfuse')} | {ratio(row, 'barecat')} | {vs_squash(row)} |")
if torch != "yes":
    lines += ["", "ImageFolder rows skipped: /usr/bin/python3 cannot import torchvision (apt-get install python3-torchvision)."]
publish(out, lines)
PY
python3 bench/chart.py "$results_md" "${results_md%.md}.svg" >/dev/null  # the same figures as a chart
echo "written: $results_md and ${results_md%.md}.svg" >&2
