#!/usr/bin/env python3
"""Draws a bench result as a chart: each system's speed relative to plain files, one bar group per
measurement, cold and warm in two panels, written as SVG beside the Markdown table.

usage: bench/chart.py RESULTS.md [OUT.svg]      (gnuplot, from Debian's gnuplot-nox, draws it)
"""
import os
import re
import subprocess
import sys
import tempfile


def rows(md):
    """(measurement, squashfuse / plain, barecat / plain) for each row that has both ratios."""
    out = []
    for line in open(md, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 7:
            continue
        name = " | ".join(cells[:-6])  # older results name a row "find | wc -l"
        squash, barecat = cells[-3], cells[-2]
        if not re.match(r"^\d", squash) or not re.match(r"^\d", barecat):
            continue
        if "shuffled" in name and name.endswith("(MB/s)"):
            continue  # the same reads as the files/s row above it
        out.append((name, float(squash), float(barecat)))
    return out


def label(measurement, cache):
    """A short label: the measurement without its cache state and unit."""
    text = re.sub(r",? ?" + cache + r"\b", "", measurement)
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text)
    return text.replace("shuffled whole-file reads", "shuffled reads").replace('"', "'")


def main():
    md = sys.argv[1]
    svg = sys.argv[2] if len(sys.argv) > 2 else os.path.splitext(md)[0] + ".svg"
    data = rows(md)
    panels = []
    with tempfile.TemporaryDirectory() as tmp:
        for cache in ("cold", "warm"):
            picked = [(label(m, cache), s, b) for m, s, b in data if re.search(r"\b" + cache + r"\b", m)]
            if not picked:
                continue
            path = os.path.join(tmp, cache + ".dat")
            with open(path, "w", encoding="utf-8") as f:
                for name, s, b in picked:
                    f.write(f'"{name}" {s} {b}\n')
            panels.append((cache, path, len(picked)))
        if not panels:
            sys.exit(f"chart: no rows with ratios in {md}")
        most = max(n for _, _, n in panels)
        script = [f'set terminal svg size {max(900, 80 * most)},{380 * len(panels)} dynamic font "sans,11"',
                  f'set output "{svg}"', f"set multiplot layout {len(panels)},1",
                  "set style data histograms", "set style histogram clustered gap 1",
                  "set style fill solid 0.85 border -1", "set boxwidth 0.9", "set grid ytics",
                  "set yrange [0:*]", "set ylabel 'speed / plain files'", "set xtics rotate by -30 left",
                  "set key top right", "set rmargin 16", "set bmargin 10"]
        for cache, path, _ in panels:
            script += [f"set title '{os.path.basename(md)}: page cache {cache}'",
                       f"plot '{path}' using 2:xtic(1) title 'squashfuse' lc rgb '#8c8c8c', "
                       f"'' using 3 title 'barecat' lc rgb '#2b6cb0', 1 notitle lc rgb 'black' dt 2"]
        script.append("unset multiplot")
        gp = os.path.join(tmp, "chart.gp")
        with open(gp, "w", encoding="utf-8") as f:
            f.write("\n".join(script) + "\n")
        subprocess.run(["gnuplot", gp], check=True)
    print(svg)


if __name__ == "__main__":
    main()
