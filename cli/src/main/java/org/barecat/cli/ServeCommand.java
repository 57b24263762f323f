package org.barecat.cli;

import org.barecat.core.ArchiveView;
import org.barecat.serve.ArchiveServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code barecat serve ARCHIVE...}: the archive's files (or several archives' as one tree) over HTTP, until interrupted. */
@Command(name = "serve",
        description = """
                Serve the archive's files over HTTP, read-only, until interrupted (Ctrl-C): / is a web page that \
                browses the archive (thumbnails, an image viewer, find's globs), /files/PATH gives a file (byte \
                ranges, ETag, Last-Modified), /api/list?path=DIR, /api/entry?path=PATH and \
                /api/find?pattern=GLOB describe the tree as JSON, /api/thumb?path=PATH gives an image's \
                thumbnail. For places without FUSE (containers, other operating systems): curl, wget -c, \
                browsers, Python and fsspec's HTTP file system read it.""")
final class ServeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "ARCHIVE", description = "the archive, e.g. data.barecat (its shards lie"
            + " beside it), or a URL; several are served as one tree, as barecat mount shows them")
    List<String> archives = new ArrayList<>();

    @Option(names = "--subdirs", description = "each archive in a directory named after it (data.barecat: data/)")
    boolean subdirs;

    @Option(names = "--conflicts", paramLabel = "error|last", description = "error: refuse archives that have a path"
            + " in common (not both as directories), naming the first (a pass over every index, taking time with their"
            + " sizes); last (the default): the last one named wins it")
    String conflicts = "last";

    @Mixin
    RemoteArchiveOptions remote = new RemoteArchiveOptions();

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "the address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
                    + " interface)")
    String bind;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8080",
            description = "the port (default: ${DEFAULT-VALUE}; 0 for any free one)")
    int port;

    @Option(names = "--verify",
            description = "check each file's CRC-32C before sending it: a file that fails is an HTTP 500, never its bytes")
    boolean verify;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535) {
            return Errors.fail("serve: --port " + port + ": a port from 0 to 65535 is needed", 2);
        }
        if (!conflicts.equals("error") && !conflicts.equals("last")) {
            return Errors.fail("serve: --conflicts " + conflicts + ": 'error' or 'last' is needed", 2);
        }
        try (ArchiveView archive = remote.openAll(archives, subdirs,
                conflicts.equals("error") ? "--conflicts=error" : null);
             ArchiveServer server = ArchiveServer.start(archive, new ArchiveServer.Settings(bind, port, verify))) {
            System.out.println("Serving " + String.join(" ", archives) + " at " + server.uri());
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // stopping anyway
                }
            }, "barecat-serve-stop"));
            server.join();
            return 0;
        }
    }
}
