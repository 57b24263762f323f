package org.barecat.cli;

import org.barecat.tools.write.Defragmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** {@code barecat defrag ARCHIVE}: reclaims the gaps in an archive's shards, in place. */
@Command(name = "defrag",
        description = """
                Reclaim the space of removed or replaced files: pack the files towards the start of the shards, \
                then cut the shards after their last file. In place and safe to kill at any moment: a file is \
                only written where no file of the index lies, and its row points there once its bytes are on \
                disk. Prints the space freed, or nothing when there was nothing to free. Refused while the \
                archive is mounted.""")
final class DefragCommand extends ArchiveWritingCommand {
    @Option(names = "--quick", description = "Move files from the end into the first earlier gap that holds them,"
            + " for at most --max-seconds; faster, may leave gaps.")
    boolean quick;

    @Option(names = "--smart", description = "Accepted for the original's scripts: the default already moves runs"
            + " of files together.")
    boolean smart;

    @Option(names = "--max-seconds", paramLabel = "SEC", defaultValue = "300",
            description = "Time limit of --quick (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Option(names = {"-n", "--dry-run"}, description = "Print the sizes and gaps only; change nothing.")
    boolean dryRun;

    @Override
    int run(Path archive) throws IOException {
        PrintStream out = System.out;
        Defragmenter.Stats stats = Defragmenter.stats(archive);
        if (dryRun) {
            print(stats, out);
            return 0;
        }
        if (stats.physical() <= stats.logical()) {
            return 0;
        }
        try (Defragmenter d = Defragmenter.open(archive)) {
            long freed = quick ? d.quick(Duration.ofMillis((long) (maxSeconds * 1000))) : d.compact();
            out.println("Freed " + size(freed));
        }
        return 0;
    }

    private static void print(Defragmenter.Stats s, PrintStream out) {
        long freeable = s.freeable();
        out.println("Physical size:       " + size(s.physical()));
        out.println("Logical size:        " + size(s.logical()));
        out.println("Freeable space:      " + size(freeable));
        out.println("Number of gaps:      " + s.gaps().size());
        out.printf("Fragmentation ratio: %.3f%n", s.logical() == 0 ? 1.0 : (double) s.physical() / s.logical());
        if (s.gaps().isEmpty()) {
            return;
        }
        long[] sorted = s.gaps().stream().mapToLong(Defragmenter.Gap::length).sorted().toArray();
        int n = sorted.length;
        out.println();
        out.println("Gap size distribution:");
        out.println("  Min:    " + size(sorted[0]));
        out.println("  p25:    " + size(sorted[n / 4]));
        out.println("  p50:    " + size(sorted[n / 2]));
        out.println("  p75:    " + size(sorted[3 * n / 4]));
        out.println("  p90:    " + size(sorted[(int) (n * 0.9)]));
        out.println("  p99:    " + size(sorted[(int) (n * 0.99)]));
        out.println("  Max:    " + size(sorted[n - 1]));
        out.println("  Mean:   " + size((double) freeable / n));
        out.println();
        out.println("Gaps by shard:");
        Map<Integer, long[]> byShard = new TreeMap<>();
        for (Defragmenter.Gap g : s.gaps()) {
            long[] t = byShard.computeIfAbsent(g.shard(), k -> new long[2]);
            t[0]++;
            t[1] += g.length();
        }
        byShard.forEach((shard, t) -> out.println("  Shard " + shard + ": " + t[0] + " gaps, " + size(t[1]) + " total"));
    }

    /**
     * The original's size format for verify and defrag: whole bytes below 1024, else one decimal and
     * K, M, G, T or P (its Python rounds the binary value half to even).
     */
    static String size(double bytes) {
        if (bytes < 1024) {
            return new BigDecimal(bytes).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        }
        String units = "KMGTP";
        int u = 0;
        double v = bytes / 1024;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return new BigDecimal(v).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + units.charAt(u);
    }
}
