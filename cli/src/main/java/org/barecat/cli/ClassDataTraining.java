package org.barecat.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.barecat.core.Archive;
import org.barecat.core.ArchiveView;
import org.barecat.core.Attributes;
import org.barecat.core.FileEntry;
import org.barecat.fuse.FuseMount;
import org.barecat.tools.write.ArchiveWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run for barecat-mount's class-data archive (AppCDS): bin/barecat-launch runs this once
 * per jar and JVM with {@code -XX:DumpLoadedClassList}, dumps the classes it loaded into a static
 * archive, and every later mount maps them instead of reading, parsing and verifying them, the
 * largest part of a mount's start. It writes a small archive in a temporary directory, goes through
 * a mount's steps on it without mounting ({@link FuseMount#rehearse}), and logs as a daemon does. For
 * the archive of mounts of remote archives ({@code mount-remote}) it then opens the archive as
 * {@code s3://} and {@code http://}, served on loopback, and reads a file: the object-storage clients
 * are most of the classes such a mount loads.
 */
public final class ClassDataTraining {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ClassDataTraining() {
    }

    /**
     * {@code mount} or {@code mount-remote}: the class-data archive to train for. With {@code --check}:
     * only starts, so the launcher sees that the JVM maps the archive it is given.
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--check")) {
            return;
        }
        Path dir = Files.createTempDirectory("barecat-cds-");
        try {
            Path archive = dir.resolve("training.barecat");
            try (ArchiveWriter w = ArchiveWriter.create(archive)) {
                for (int d = 0; d < 20; d++) {
                    for (int f = 0; f < 50; f++) {
                        w.add("class_" + d + "/image_" + f + ".jpg",
                                ("image " + d + " " + f).getBytes(StandardCharsets.UTF_8), Attributes.NONE);
                    }
                }
            }
            new CommandLine(new BarecatMount()).parseArgs(archive.toString(), dir.toString(), "-f", "-o", "ro");
            try (Archive a = Archive.open(archive)) {
                FuseMount.rehearse(a);
            }
            if (args.length > 0 && args[0].equals("mount-remote")) {
                readRemotely(dir);
            }
            // a daemon's log: a line on stderr, then the move to its --log file and a line there
            Logger log = LoggerFactory.getLogger(ClassDataTraining.class);
            log.info("class-data training: logging to stderr");
            LogConfigurator.toFile(dir.resolve("training.log"));
            log.info("class-data training: logging to a file");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    /** Opens {@code dir}'s training.barecat as a mount would over S3 and over HTTP, and reads a file of it. */
    private static void readRemotely(Path dir) throws IOException {
        HttpServer server = serve(dir);
        try {
            String origin = "http://" + LOOPBACK.getHostAddress() + ":" + server.getAddress().getPort();
            // credentials from system properties, the first place the SDK looks: nothing else is asked
            System.setProperty("aws.accessKeyId", "training");
            System.setProperty("aws.secretAccessKey", "training");
            Map<String, String> given = Map.of("endpoint", origin, "region", "us-east-1",
                    "cache_dir", dir.resolve("cache").toString());
            for (String url : List.of("s3://training/training.barecat", origin + "/training.barecat")) {
                try (ArchiveView a = RemoteArchiveOptions.openAll(List.of(url), RemoteArchiveOptions.parse(given), false, null)) {
                    FileEntry f = (FileEntry) a.lookup("class_0/image_0.jpg").orElseThrow();
                    a.read(f, 0, ByteBuffer.allocate((int) f.size()));
                }
            }
        } finally {
            server.stop(0);
        }
    }

    /** Serves the files of {@code dir} by name, HEAD and GET with one range, as S3 and web servers answer them. */
    private static HttpServer serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Path file = dir.resolve(Path.of(exchange.getRequestURI().getPath()).getFileName().toString());
                if (!Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                long size = Files.size(file);
                Headers headers = exchange.getResponseHeaders();
                headers.set("ETag", "\"training\"");
                headers.set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
                if (exchange.getRequestMethod().equals("HEAD")) {
                    headers.set("Content-Length", Long.toString(size));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                long start = 0;
                long end = size - 1;
                Matcher range = Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(
                        String.valueOf(exchange.getRequestHeaders().getFirst("Range")));
                if (range.matches()) {
                    start = Long.parseLong(range.group(1));
                    end = Math.min(end, Long.parseLong(range.group(2)));
                    headers.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
                }
                exchange.sendResponseHeaders(range.matches() ? 206 : 200, end - start + 1);
                try (FileChannel in = FileChannel.open(file); OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(start, end - start + 1, Channels.newChannel(out));
                }
            }
        });
        server.start();
        return server;
    }
}
