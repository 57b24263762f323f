#!/usr/bin/env bash
# Does barecat-mount's cost grow with the archive? Mounts an archive of 10,000 files (100 folders
# of 100) and one of 1,000,000 (1,000 of 1,000) in turn, page cache cold, and reports for each the
# mount time, the daemon's peak RSS once its background work is done (8 s idle), its peak RSS after
# a `find` of every entry and after an lstat of every entry (which makes the kernel hold an entry for
# every file); then the 1M/10k ratio of each. Target (issue 4): mount under 1 s, RSS under 200 MB, both
# within 20% from 10k to 1M. A third archive holds the 1M paths with its rows not in path order
# (inserted directory by directory in turn, as parallel writers leave them): its cold `find` against the
# path-ordered one's (target, issue 27: within 1.5x). Writes the tables as Markdown to bench/results/.
#
# usage: bench/scale.sh [--smoke]      (--smoke: 1,000 vs 10,000 files, one round)
# env:   BENCH_DIR (work dir, default /var/tmp/barecat-scale), BENCH_REPS (rounds, default 3),
#        BENCH_RESULTS (output .md path)
set -euo pipefail
. "$(dirname "$0")/common.sh"
smoke=no
[ "${1:-}" = "--smoke" ] && smoke=yes
if [ $smoke = yes ]; then sizes=("1k 10 100 ordered" "10k 100 100 ordered" "10k-shuffled 100 100 shuffled")
  reps=${BENCH_REPS:-1}
else sizes=("10k 100 100 ordered" "1m 1000 1000 ordered" "1m-shuffled 1000 1000 shuffled"); reps=${BENCH_REPS:-3}; fi
work=${BENCH_DIR:-/var/tmp/barecat-scale}
results_md=${BENCH_RESULTS:-$(results_path scale)}
[ $smoke = yes ] && results_md=${BENCH_RESULTS:-$work/results.md}

build_barecat
mkdir -p "$work/mnt"

# ---------------------------------------------------------------- data: empty files, as a tar stream
for s in "${sizes[@]}"; do
  read -r name dirs per order <<< "$s"
  if [ ! -f "$work/$name.barecat" ]; then
    echo "generating $work/$name.barecat: $dirs folders of $per files, rows $order" >&2
    /usr/bin/python3 - "$dirs" "$per" "$order" <<'EOF' | bin/barecat convert -q -f - "$work/$name.barecat" >&2
import sys, tarfile
dirs, per, order = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
# shuffled: the same paths, one file of each folder in turn, so no two rows of a folder are neighbours
names = ((d, f) for d in range(dirs) for f in range(per)) if order == "ordered" else \
        ((d, f) for f in range(per) for d in range(dirs))
with tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as tar:
    for d, f in names:
        info = tarfile.TarInfo(f"d{d:04d}/f{f:04d}.jpg")
        info.mtime = 1700000000
        tar.addfile(info)
EOF
  fi
done

# ---------------------------------------------------------------- measurements
measure_at "$work/mnt/scale" "$work/${sizes[0]%% *}.barecat"

raw=$work/runs.tsv
: > "$raw"
for rep in $(seq "$reps"); do  # the two archives take turns
  for s in "${sizes[@]}"; do
    name=${s%% *}
    mount_and_measure "$mnt" "$work/$name.barecat"
    t2=$(date +%s%N)
    stated=$(find "$mnt" -printf '%s\n' | wc -l)  # %s: find lstats every entry
    t3=$(date +%s%N)
    lstat=$(peak_rss_mb "$daemon")
    unmount_and_wait "$mnt"
    [ "$stated" = "$entries" ] || { echo "scale: lstat saw $stated entries, find $entries" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mount_ms" "$idle_mb" "$after_mb" "$lstat" \
      "$(( (t3 - t2) / 1000000 ))" "$entries" "$find_ms" >> "$raw"
  done
done

/usr/bin/python3 - "$raw" "$results_md" "$reps" <<'EOF'
import statistics, sys
from bench.report import every_round, publish
raw, out, reps = sys.argv[1], sys.argv[2], sys.argv[3]
rows = {}
for line in open(raw):
    name, ms, idle, after, lstat, lstat_ms, entries, find_ms = line.split("\t")
    r = rows.setdefault(name, {"mount": [], "idle": [], "after": [], "lstat": [], "rate": [], "find": [],
                               "entries": int(entries)})
    r["mount"].append(int(ms) / 1000); r["idle"].append(float(idle)); r["after"].append(float(after))
    r["lstat"].append(float(lstat)); r["rate"].append(int(entries) / max(int(lstat_ms), 1) * 1000)
    r["find"].append(int(find_ms) / 1000)
small, large, shuffled = list(rows)
med = {n: {k: statistics.median(v) for k, v in r.items() if k != "entries"} for n, r in rows.items()}
lines = [f"# barecat-mount from {rows[small]['entries'] - 1:,} to {rows[large]['entries'] - 1:,} entries",
         "", f"Medians of {reps} round(s), the archives taking turns, page cache dropped before each mount.",
         "Peak RSS (VmHWM) of the daemon 8 s after the mount, after a `find` of every entry, and after",
         "an lstat of every entry (`find -printf %s`, which follows the `find`); its rate, cold.", "",
         f"| measurement | {small} | {large} | {large} / {small} |", "|---|---:|---:|---:|"]
for key, label in (("mount", "mount time (s)"), ("find", "find of every entry, cold (s)"),
                   ("idle", "peak RSS, idle (MB)"), ("after", "peak RSS, after find (MB)"),
                   ("lstat", "peak RSS, after lstat of all (MB)"), ("rate", "lstat of all (entries/s)")):
    a, b = med[small][key], med[large][key]
    lines.append(f"| {label} | {a:.3f} | {b:.3f} | {b / a:.2f} |" if key in ("mount", "find")
                 else f"| {label} | {a:,.0f} | {b:,.0f} | {b / a:.2f} |" if key == "rate"
                 else f"| {label} | {a:.1f} | {b:.1f} | {b / a:.2f} |")
a, b = med[large]["find"], med[shuffled]["find"]
lines += ["", f"Rows not in path order: {shuffled} holds the paths of {large}, its rows inserted one folder after "
          "another in turn.", "", f"| measurement | {large} | {shuffled} | {shuffled} / {large} |", "|---|---:|---:|---:|",
          f"| find of every entry, cold (s) | {a:.3f} | {b:.3f} | {b / a:.2f} |",
          f"| mount time (s) | {med[large]['mount']:.3f} | {med[shuffled]['mount']:.3f} | "
          f"{med[shuffled]['mount'] / med[large]['mount']:.2f} |"]
lines += ["", "Every round (s; s; MB; MB; MB; entries/s):", ""]
lines += every_round(rows, (("mount", "mount", ".3f"), ("find", "find", ".3f"), ("idle", "idle", ".0f"),
                            ("after", "after find", ".0f"), ("lstat", "after lstat", ".0f"), ("rate", "lstat rate", ",.0f")))
publish(out, lines)
EOF
echo "written: $results_md" >&2
