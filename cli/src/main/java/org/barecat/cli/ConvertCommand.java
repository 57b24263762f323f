package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.tools.Totals;
import org.barecat.tools.convert.ArchiveFormat;
import org.barecat.tools.convert.ArchiveImport;
import org.barecat.tools.convert.TarExport;
import org.barecat.tools.convert.ZipExport;
import org.barecat.tools.write.ArchiveWrap;
import org.barecat.tools.write.ArchiveWriter;
import org.barecat.tools.write.NameDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/** {@code barecat convert SRC DST}: tar or zip into Barecat, Barecat into tar. */
@Command(name = "convert", sortOptions = false,
        description = {"""
                Convert a tar or zip archive into a Barecat archive, or a Barecat archive into a tar.""",
                "",
                """
                Tar input may be .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz or .tar.zst; a tar output is compressed \
                as DST's name says. SRC '-' reads a tar (compressed or not) from stdin; DST '-' writes an \
                uncompressed tar to stdout.""",
                "",
                """
                Names, modes, owners and mtimes are kept; tar input is streamed, so memory does not grow with \
                its size. Symbolic links, hard links and devices cannot be stored: each is skipped with a \
                warning, and their number is given at the end (skipped entries leave the exit code 0).""",
                "",
                """
                Output is written under a temporary name and moved into place when complete.""",
                "",
                """
                Names are stored exactly: a name that is not valid UTF-8 (or valid in the --encoding given) is \
                an error for that entry, and so is a name that becomes the path of an earlier one once its \
                leading './' or '/' is removed (a name that appears twice is skipped with a warning). After such \
                errors the other entries are stored and the exit code is 1."""})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC", description = "tar, zip or Barecat archive; '-' for a tar on stdin")
    String source;

    @Mixin
    RemoteArchiveOptions remote = new RemoteArchiveOptions();

    @Parameters(index = "1", paramLabel = "DST", description = "Barecat archive, or tar file; '-' for a tar on stdout")
    String target;

    @Option(names = {"-s", "--shard-size-limit"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "for a Barecat DST: largest shard (e.g. 10G); default unlimited")
    long shardSizeLimit = Long.MAX_VALUE;

    @Option(names = {"-f", "--force"}, description = "replace DST if it exists")
    boolean force;

    @Option(names = "--encoding", paramLabel = "CHARSET", converter = EncodingConverter.class, description =
            "encoding of the names in a tar or zip SRC (e.g. latin-1, cp1252, cp437, shift_jis; default "
            + "UTF-8); names that pax records or the zip UTF-8 flag declare UTF-8 stay UTF-8 when they are "
            + "valid")
    NameDecoder encoding;

    @Mixin
    QuietOption quiet = new QuietOption();

    @Option(names = "--wrap", description = "tar or zip to Barecat without copying: the archive's shard is a link to"
            + " SRC (uncompressed .tar, or .zip made with zip -0), its index points into it; keep SRC where it is")
    boolean wrap;

    @Option(names = "--root-dir", paramLabel = "NAME", description = "Barecat to tar or zip: put every entry under"
            + " NAME/")
    String rootDir;

    @Override
    public Integer call() {
        boolean fromStdin = source.equals("-");
        boolean toStdout = target.equals("-");
        ArchiveFormat from = fromStdin ? ArchiveFormat.TAR : ArchiveFormat.byName(source);
        if (!toStdout) {
            ArchiveArgument.localPath(target);
        }
        if (from != ArchiveFormat.BARECAT && !fromStdin) {
            ArchiveArgument.localPath(source); // only Barecat archives are read from a server
        }
        ArchiveFormat to = toStdout ? ArchiveFormat.TAR : ArchiveFormat.byName(target);
        String directory = toStdout ? null : CreateCommand.directoryName(target,
                from == ArchiveFormat.BARECAT ? "data.tar" : "data.barecat");
        if (directory != null) {
            return Errors.fail(directory, 1);
        }
        if (wrap) {
            return wrap(from, to, fromStdin);
        }
        if (from != ArchiveFormat.BARECAT && to == ArchiveFormat.BARECAT) {
            return toBarecat(from, fromStdin);
        }
        if (from == ArchiveFormat.BARECAT && (to.isTar() || to == ArchiveFormat.ZIP && !toStdout)) {
            if (encoding != null) {
                return Errors.fail("convert: --encoding is for names read from a tar or zip SRC", 2);
            }
            return export(to, toStdout);
        }
        return Errors.fail("convert: cannot convert " + source + " to " + target + ": one side must be a Barecat"
                + " archive, the other a tar (.tar, .tar.gz, .tar.bz2, .tar.xz, .tar.zst) or a zip", 2);
    }

    private int wrap(ArchiveFormat from, ArchiveFormat to, boolean fromStdin) {
        if (fromStdin) {
            return Errors.fail("convert: --wrap cannot be used with stdin", 1);
        }
        if ((from != ArchiveFormat.TAR && from != ArchiveFormat.ZIP) || to != ArchiveFormat.BARECAT) {
            return Errors.fail("convert: --wrap only works with uncompressed .tar or .zip files, into a Barecat archive", 1);
        }
        try {
            ArchiveWrap.wrap(Path.of(source), Path.of(target), force);
            return 0;
        } catch (FileAlreadyExistsException e) {
            return Errors.fail(target + ": exists (use -f to replace it)", 1);
        } catch (IOException e) {
            return Errors.fail(e);
        }
    }

    private int toBarecat(ArchiveFormat from, boolean fromStdin) {
        if (!fromStdin && !Files.isRegularFile(Path.of(source))) {
            return Errors.fail(source + ": no such file", 1);
        }
        ArchiveWriter writer;
        try {
            writer = ArchiveWriter.create(Path.of(target), shardSizeLimit, force);
        } catch (FileAlreadyExistsException e) {
            return Errors.fail(target + ": exists (use -f to replace it)", 1);
        } catch (IOException e) {
            return Errors.fail(e);
        }
        NameDecoder names = encoding == null ? NameDecoder.UTF_8 : encoding;
        return ArchiveFill.fill(writer, quiet.progress("Converting"), progress -> {
            if (from == ArchiveFormat.ZIP) {
                return ArchiveImport.fromZip(Path.of(source), writer, progress, names);
            }
            if (fromStdin) {
                return ArchiveImport.fromTar(System.in, writer, progress, names);
            }
            try (InputStream in = Files.newInputStream(Path.of(source))) {
                return ArchiveImport.fromTar(in, writer, progress, names);
            }
        }, e -> Errors.fail(e instanceof java.nio.file.FileSystemException ? Errors.describe(e)
                : (fromStdin ? "stdin" : source) + ": " + e.getMessage(), 1),
                "links, devices and repeated names cannot be stored");
    }

    /** Barecat to tar (a file or stdout) or zip (a file), written under a temporary name and renamed when complete. */
    private int export(ArchiveFormat to, boolean toStdout) {
        Path out = Path.of(target);
        if (!toStdout && Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            return Errors.fail(target + ": is a directory; name the file to make, e.g. " + out.resolve("data.tar"), 1);
        }
        if (!toStdout && Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !force) {
            return Errors.fail(target + ": exists (use -f to replace it)", 1);
        }
        Path temporary = toStdout ? null : out.resolveSibling(out.getFileName() + ".incomplete");
        try (Archive archive = remote.open(source);
             AbortOnExit guard = new AbortOnExit(() -> deleteQuietly(temporary));
             Progress progress = quiet.progress("Converting")) {
            Totals result;
            String root = rootDir == null ? "" : rootDir;
            try {
                result = to == ArchiveFormat.ZIP ? ZipExport.write(archive, temporary, progress, root)
                        : writeTar(archive, to, toStdout, temporary, progress, root);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temporary);
                throw e;
            }
            if (guard.stopping()) {
                deleteQuietly(temporary);
                return 1;
            }
            if (!toStdout) {
                Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return result.problems() > 0 ? 1 : 0;
        } catch (IOException e) {
            return Errors.fail(e);
        }
    }

    private Totals writeTar(Archive archive, ArchiveFormat to, boolean toStdout, Path temporary, Progress progress,
                            String root) throws IOException {
        try (OutputStream raw = naming(toStdout ? "stdout" : target,
                toStdout ? nonClosing(System.out) : Files.newOutputStream(temporary));
             OutputStream compressed = to.compress(new BufferedOutputStream(raw, 1 << 20))) {
            return TarExport.write(archive, compressed, progress, root);
        }
    }

    /**
     * {@code out}, whose write errors (a full disk, say) name {@code name}: they name no file of their
     * own, and reads of the archive fail with messages that name theirs.
     */
    private static OutputStream naming(String name, OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                naming(() -> out.write(b, off, len));
            }

            @Override
            public void write(int b) throws IOException {
                naming(() -> out.write(b));
            }

            @Override
            public void flush() throws IOException {
                naming(out::flush);
            }

            @Override
            public void close() throws IOException {
                naming(out::close);
            }

            private void naming(Write write) throws IOException {
                try {
                    write.run();
                } catch (IOException e) {
                    throw failure(e);
                }
            }

            private IOException failure(IOException e) {
                if (e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null) {
                    return e;
                }
                IOException named = new java.nio.file.FileSystemException(name, null, e.getMessage());
                named.initCause(e);
                return named;
            }
        };
    }

    /** A write to the output stream. */
    private interface Write {
        void run() throws IOException;
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
