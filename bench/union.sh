#!/usr/bin/env bash
# Does a mount of several archives cost with their number, not their sizes? Mounts 1, 10 and 100
# archives of 1,000 small files each (common/d0..d9/partK-f000..099.jpg: every archive has the same
# directories, so the union merges them), page cache cold, and reports for each the mount time, the
# daemon's peak RSS once its background work is done (8 s idle), a cold `find` of every entry and the
# peak RSS after it, and an lstat of every entry (a lookup of each in the union); then the same for
# the 100 with -o conflicts=error (whose mount makes a pass over every index).
# The archives are written by test-fixtures' independent_writer.py (one Python process each, no JVM).
# Prints the table as Markdown and writes it to bench/results/.
#
# usage: bench/union.sh [--smoke]      (--smoke: 1, 3 and 5 archives of 100 files, one round)
# env:   BENCH_DIR (work dir, default /var/tmp/barecat-union), BENCH_REPS (rounds, default 3),
#        BENCH_RESULTS (output .md path)
set -euo pipefail
. "$(dirname "$0")/common.sh"
smoke=no
[ "${1:-}" = "--smoke" ] && smoke=yes
if [ $smoke = yes ]; then counts=(1 3 5); per=10; reps=${BENCH_REPS:-1}
else counts=(1 10 100); per=100; reps=${BENCH_REPS:-3}; fi
work=${BENCH_DIR:-/var/tmp/barecat-union}-$per
results_md=${BENCH_RESULTS:-$(results_path union)}
[ $smoke = yes ] && results_md=${BENCH_RESULTS:-$work/results.md}
writer=test-fixtures/src/main/resources/org/barecat/testing/independent_writer.py

build_barecat
max=${counts[-1]}

# ---------------------------------------------------------------- data: archive K holds common/dD/partK-fNNN.jpg
for k in $(seq 0 $((max - 1))); do
  archive=$work/part$k.barecat
  [ -f "$archive" ] && continue
  src=$work/src
  rm -rf "$src"
  /usr/bin/python3 - "$src" "$k" "$per" <<'EOF'
import os, random, sys
src, k, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(k)
for d in range(10):
    os.makedirs(f"{src}/common/d{d}", exist_ok=True)
    for f in range(per):
        with open(f"{src}/common/d{d}/part{k}-f{f:03d}.jpg", "wb") as out:
            out.write(rng.randbytes(512))
EOF
  /usr/bin/python3 "$writer" write "$src" "$archive"
  rm -rf "$src"
done

# ---------------------------------------------------------------- measurements
measure_at "$work/mnt/union" "$work/part0.barecat"

archives() { for k in $(seq 0 $(($1 - 1))); do echo "$work/part$k.barecat"; done; }
raw=$work/runs.tsv
: > "$raw"
for rep in $(seq "$reps"); do
  for n in "${counts[@]}" "$max-conflicts"; do
    count=${n%-conflicts}
    opts=()
    [ "$n" = "$count" ] || opts=(-o conflicts=error)
    mapfile -t list < <(archives "$count")
    mount_and_measure "$mnt" "${opts[@]}" "${list[@]}"
    t0=$(date +%s%N)
    find "$mnt" -printf '%s\n' > /dev/null  # %s: find lstats every entry, a lookup of each in the union
    lstat_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    unmount_and_wait "$mnt"
    expected=$(( count * per * 10 + 12 ))  # the files, d0..d9, common and the root
    [ "$entries" = "$expected" ] || { echo "union: find saw $entries entries, not $expected" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$mount_ms" "$idle_mb" "$after_mb" "$find_ms" "$entries" "$lstat_ms" \
      >> "$raw"
  done
done

/usr/bin/python3 - "$raw" "$results_md" "$reps" "$per" <<'EOF'
import statistics, sys
from bench.report import every_round, publish
raw, out, reps, per = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = {}
for line in open(raw):
    n, ms, idle, after, find_ms, entries, lstat_ms = line.rstrip("\n").split("\t")
    r = rows.setdefault(n, {"mount": [], "idle": [], "after": [], "find": [], "lstat": [], "entries": int(entries)})
    r["mount"].append(int(ms) / 1000); r["idle"].append(float(idle)); r["after"].append(float(after))
    r["find"].append(int(find_ms) / 1000); r["lstat"].append(int(lstat_ms) / 1000)
lines = [f"# barecat-mount of several archives of {per * 10:,} files each", "",
         f"Medians of {reps} round(s), page cache dropped before each mount and before each `find`. Peak RSS",
         "(VmHWM) of the daemon 8 s after the mount and after a `find` of every entry; then an lstat of",
         "every entry (`find -printf %s`, page cache warm). The archives share their directories",
         "(common/d0..d9), so the union merges them.", "",
         "| archives | entries | mount time (s) | peak RSS, idle (MB) | find of every entry, cold (s) | peak RSS, after find (MB) | lstat of every entry (s) |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for n, r in rows.items():
    label = n.replace("-conflicts", " with -o conflicts=error")
    m = {k: statistics.median(v) for k, v in r.items() if k != "entries"}
    lines.append(f"| {label} | {r['entries']:,} | {m['mount']:.3f} | {m['idle']:.1f} | {m['find']:.3f} | {m['after']:.1f} | {m['lstat']:.3f} |")
lines += ["", "Every round (mount s; idle MB; find s; after find MB; lstat s):", ""]
lines += every_round(rows, (("mount", "mount", ".3f"), ("idle", "idle", ".0f"), ("find", "find", ".3f"),
                            ("after", "after find", ".0f"), ("lstat", "lstat", ".3f")))
publish(out, lines)
EOF
