package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.serve.ArchiveServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code barecat serve ARCHIVE}: the archive's files over HTTP, until interrupted. */
@Command(name = "serve",
        description = "Serve the archive's files over HTTP, read-only, until interrupted (Ctrl-C): / is a web page"
                + " that browses the archive (thumbnails, an image viewer, find's globs), /files/PATH gives"
                + " a file (byte ranges, ETag, Last-Modified), /api/list?path=DIR, /api/entry?path=PATH and"
                + " /api/find?pattern=GLOB describe the tree as JSON, /api/thumb?path=PATH gives an image's thumbnail."
                + " For places without FUSE (containers, other operating systems): curl, wget -c,"
                + " browsers, Python and fsspec's HTTP file system read it.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ArchiveArgument archiveArgument = new ArchiveArgument();

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
        try (Archive archive = remote.open(archiveArgument.name);
             ArchiveServer server = ArchiveServer.start(archive, new ArchiveServer.Settings(bind, port, verify))) {
            System.out.println("Serving " + archiveArgument.name + " at " + server.uri());
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
