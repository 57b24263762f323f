#!/usr/bin/env bash
# Side-by-side benchmark: a plain directory, squashfuse on an uncompressed squashfs image, and
# barecat-mount, on the same generated data, page cache cold and warm. Prints one table with each
# system's figure and its ratio to the plain directory, and writes it as Markdown to bench/results/.
#
# usage: bench/run.sh [--smoke]       (--smoke: tiny data, seconds; what CI runs)
# env:   BENCH_DIR (work dir, default /var/tmp/barecat-bench-SCALE), BENCH_RESULTS (output .md path),
#        BENCH_REPS (runs per figure, default 3, smoke 1; each figure is their median, as this kind of
#        machine varies by 30-50% from minute to minute; the cold whole-file reads, the cold sequential
#        read and the cold epoch run once: they take minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

scale=full
[ "${1:-}" = "--smoke" ] && scale=smoke
if [ "$scale" = full ]; then
  images=20000; classes=200; small=200000; big_mb=4096
else
  images=300; classes=6; small=2000; big_mb=64
fi
reps=${BENCH_REPS:-$([ "$scale" = full ] && echo 3 || echo 1)}
work=${BENCH_DIR:-/var/tmp/barecat-bench-$scale}
results_md=${BENCH_RESULTS:-$repo/bench/results/$(date -u +%Y-%m-%d)-$scale.md}
[ "$scale" = smoke ] && results_md=${BENCH_RESULTS:-$work/results.md}

# ---------------------------------------------------------------- dependencies and build
scripts/install-deps.sh
need=()
for p in squashfuse squashfs-tools; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -f cli/target/barecat.jar ] || ./mvnw -q -B -DskipTests package
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
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$results"; }  # metric system value better(higher|lower)
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
field() {  # NAME: the median of the NAME=VALUE found in the lines read
  sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# A first mount has the launcher make barecat-mount's class-data archive in the background (see
# bin/barecat-launch): done here, so every mount measured is one as users get it from the second on.
mkdir -p "$work/mnt/prime"
bin/barecat-mount "$work/big.barecat" "$work/mnt/prime" && fusermount -u "$work/mnt/prime"
cds_cache=${XDG_CACHE_HOME:-$HOME/.cache}/barecat  # the launcher holds a lock directory there while it trains
for _ in $(seq 600); do compgen -G "$cds_cache/*.jsa.lock" > /dev/null || break; sleep 0.1; done

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
      record "mount time, $d (s)" $sys "$(elapsed "$t0")" lower
      [ "$rep" -gt 1 ] || mounts+=("$m")
      root[$sys-$d]=$m
    done
  done
done

# ---------------------------------------------------------------- measurements
# prepare CACHE: cold drops the page, dentry and inode caches; warm drops them too, then runs the
# measurement once unrecorded, so the one recorded finds everything it needs cached and nothing else
# (a "warm" figure never depends on what an earlier measurement left behind: with the 4 GiB file
# cached twice by each FUSE system, leftovers of earlier runs used to push its pages out).
run_measured() {  # CACHE COMMAND... : prints the output of each recorded run ($runs of them)
  for _ in $(seq "$runs"); do
    drop_caches
    if [ "$1" = warm ]; then "${@:2}" > /dev/null; fi
    "${@:2}"
  done
}
count_entries() { find "$1" | wc -l; }
timed_find() { local t0; t0=$(now); n=$(count_entries "$1"); echo "seconds=$(elapsed "$t0") entries=$n"; }
for cache in cold warm; do
  for sys in plain squashfuse barecat; do
    runs=$reps
    for d in images small; do
      out=$(run_measured $cache timed_find "${root[$sys-$d]}")
      [ "$(echo "$out" | field entries)" -gt "$(wc -l < "$work/$d.list")" ] || { echo "find on $sys-$d: $out" >&2; exit 1; }
      record "find | wc -l, $d, $cache (s)" $sys "$(echo "$out" | field seconds)" lower
      record "lstat every file, $d, $cache (files/s)" $sys \
        "$(run_measured $cache tool stat "$work/$d.list" "${root[$sys-$d]}" | field files_per_s)" higher
    done
    [ $cache = warm ] || runs=1  # each of these takes minutes cold
    for threads in 1 8; do
      out=$(run_measured $cache tool read "$work/images.list" "${root[$sys-images]}" $threads)
      record "shuffled whole-file reads, images, $threads thread(s), $cache (files/s)" $sys "$(echo "$out" | field files_per_s)" higher
      record "shuffled whole-file reads, images, $threads thread(s), $cache (MB/s)" $sys "$(echo "$out" | field mb_per_s)" higher
      out=$(run_measured $cache tool read "$work/small.list" "${root[$sys-small]}" $threads)
      record "shuffled whole-file reads, small, $threads thread(s), $cache (files/s)" $sys "$(echo "$out" | field files_per_s)" higher
    done
    record "sequential read of one $big_mb MiB file, $cache (MB/s)" $sys \
      "$(run_measured $cache tool seq "${root[$sys-big]}/big.bin" | field mb_per_s)" higher
    if [ $has_torch = yes ]; then
      out=$(run_measured $cache /usr/bin/python3 "$repo/bench/imagefolder_epoch.py" "${root[$sys-images]}")
      record "ImageFolder + DataLoader epoch, 2 workers, $cache (images/s)" $sys "$(echo "$out" | field images_per_s)" higher
    fi
  done
done
for d in images small big; do
  for sys in squashfuse barecat; do
    if [ $sys = squashfuse ]; then pid=$(pgrep -f "squashfuse $work/$d.sqfs" | head -1)
    else pid=$(pgrep -f "BarecatMount.*$work/mnt/barecat-$d" | head -1); fi
    record "daemon peak RSS, $d (MB)" $sys "$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")" lower
  done
done

# ---------------------------------------------------------------- report
mkdir -p "$(dirname "$results_md")"
python3 - "$results" "$results_md" "$scale" "$images" "$classes" "$small" "$big_mb" "$has_torch" "$reps" <<'PY'
import sys, collections, platform, datetime, subprocess
path, out, scale, images, classes, small, big_mb, torch, reps = sys.argv[1:]
rows = collections.OrderedDict()
for line in open(path):
    metric, system, value, better = line.rstrip("\n").split("\t")
    if value:
        rows.setdefault(metric, {"better": better}).setdefault(system, []).append(float(value))
for row in rows.values():  # the median of the rounds of mount times (each other figure is one median)
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
         f"Each figure is the median of {reps} runs, but for the cold whole-file reads, sequential read and epoch "
         "(one run each).", "",
         "| measurement | plain | squashfuse | barecat | squashfuse / plain | barecat / plain | barecat / squashfuse |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for metric, row in rows.items():
    lines.append(f"| {metric} | {fmt(row.get('plain'))} | {fmt(row.get('squashfuse'))} | {fmt(row.get('barecat'))} | "
                 f"{ratio(row, 'squashfuse')} | {ratio(row, 'barecat')} | {vs_squash(row)} |")
if torch != "yes":
    lines += ["", "ImageFolder rows skipped: /usr/bin/python3 cannot import torchvision (apt-get install python3-torchvision)."]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
PY
echo "written: $results_md" >&2
