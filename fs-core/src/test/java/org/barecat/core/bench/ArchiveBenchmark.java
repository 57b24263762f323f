package org.barecat.core.bench;

import org.barecat.core.Archive;
import org.barecat.core.DirectoryListing;
import org.barecat.core.FileEntry;
import org.barecat.testing.TreeBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The core's hot paths without FUSE: path lookup, directory listing, positional reads.
 * Run with bench/jmh.sh; a regression here shows without mounting anything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ArchiveBenchmark {
    /** Files in the archive: DIRS directories of FILES / DIRS files of 4 KiB each. */
    @Param("100000")
    int files;

    static final int DIRS = 100;
    static final int FILE_SIZE = 4096;

    Path dir;
    Archive archive;
    FileEntry[] entries;

    @Setup(Level.Trial)
    public void build() throws IOException {
        dir = Files.createTempDirectory("barecat-jmh");
        Path path = dir.resolve("bench.barecat");
        byte[] data = new byte[FILE_SIZE];
        try (TreeBuilder w = TreeBuilder.archive(path)) {
            for (int i = 0; i < files; i++) {
                data[0] = (byte) i;
                w.file(name(i), data);
            }
        }
        archive = Archive.open(path);
        entries = new FileEntry[1024];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = (FileEntry) archive.lookup(name(ThreadLocalRandom.current().nextInt(files))).orElseThrow();
        }
    }

    private String name(int i) {
        return String.format("d%03d/f%07d.jpg", i % DIRS, i);
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        archive.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Looking up a random existing file by path (what getattr after a lookup costs). */
    @Benchmark
    public Object lookupFile() throws IOException {
        return archive.lookup(name(ThreadLocalRandom.current().nextInt(files))).orElseThrow();
    }

    /** Looking up a path that does not exist (a negative lookup). */
    @Benchmark
    public Object lookupMissing() throws IOException {
        return archive.lookup("d000/missing-" + ThreadLocalRandom.current().nextInt());
    }

    /** Listing one directory of files / DIRS entries completely; reported per entry via ops. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void listDirectory(Blackhole hole) throws IOException {
        drain(archive.list(randomDirectory()), hole);
    }

    /** Listing names and kinds only (what the mount's readdir reads); reported like listDirectory. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void listChildren(Blackhole hole) throws IOException {
        drain(archive.listChildren(randomDirectory()), hole);
    }

    private static String randomDirectory() {
        return String.format("d%03d", ThreadLocalRandom.current().nextInt(DIRS));
    }

    private static void drain(DirectoryListing<?> listing, Blackhole hole) throws IOException {
        for (Object child = listing.take(); child != null; child = listing.take()) {
            hole.consume(child);
        }
    }

    /** Reading a whole 4 KiB file at a random place in the shard (page cache warm). */
    @Benchmark
    public int readWholeFile(ReadBuffer buffer) throws IOException {
        buffer.buf.clear();
        return archive.read(entries[ThreadLocalRandom.current().nextInt(entries.length)], 0, buffer.buf);
    }

    /** A direct buffer per benchmark thread, as the FUSE adapter reads into native memory. */
    @State(Scope.Thread)
    public static class ReadBuffer {
        final ByteBuffer buf = ByteBuffer.allocateDirect(FILE_SIZE);
    }
}
