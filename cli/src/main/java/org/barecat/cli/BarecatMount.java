package org.barecat.cli;

import org.barecat.core.ArchiveView;
import org.barecat.fuse.EntryDefaults;
import org.barecat.fuse.FuseMount;
import org.barecat.fuse.MountOptions;
import org.barecat.remote.RemoteArchives;
import org.barecat.remote.RemoteOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code barecat mount ARCHIVE... MOUNTPOINT} (also installed as {@code barecat-mount}): serve an archive,
 * or several as one tree, as a read-only directory tree. A command of its own as well as a subcommand of {@code barecat}, so it
 * declares the help options and exit-code heading that the other subcommands inherit.
 */
@Command(name = "mount", mixinStandardHelpOptions = true, versionProvider = Version.class, usageHelpAutoWidth = true,
        descriptionHeading = "%n", parameterListHeading = "%n",
        description = {"""
                Mount a Barecat archive, or several as one tree, read-only (FUSE). ARCHIVE may also be a URL: \
                s3://BUCKET/KEY, https://HOST/PATH or http://HOST/PATH.""",
                "",
                """
                Without -f, returns once the mount is ready (the daemon keeps running in the background); \
                unmount with: fusermount -u MOUNTPOINT"""},
        exitCodeListHeading = BarecatCommand.EXIT_CODES,
        exitCodeList = {"0:mounted (or, with -f, unmounted cleanly)",
                "1:the archive or mountpoint cannot be used, or the mount failed",
                "2:bad command-line arguments",
                "130:interrupted before the mount was ready (143 for SIGTERM, 129 for SIGHUP): nothing is mounted"})
public final class BarecatMount implements Callable<Integer> {
    /**
     * Line the daemon prints on stdout when the mount is live: bin/barecat-mount starts the daemon
     * in a session of its own with {@code -f --notify-ready} and returns when it reads this line.
     */
    static final String READY = "barecat-mount: ready";

    @Parameters(arity = "2..*", paramLabel = "ARCHIVE... MOUNTPOINT", hideParamSyntax = true, description = {
            "the archives, e.g. data.barecat (its shards lie beside it); several are shown as one tree, their"
                    + " directories merged, the last one named winning a path several have (see -o subdirs,"
                    + " -o conflicts=error)",
            "MOUNTPOINT (the last operand): an empty directory"})
    List<String> operands = new ArrayList<>();

    Path mountPoint;

    @Option(names = "-f", description = "stay in the foreground (Ctrl-C, SIGTERM or SIGHUP unmounts)")
    boolean foreground;

    @Option(names = "-d", description = "FUSE debug output (implies -f)")
    boolean debug;

    @Option(names = "-o", paramLabel = "OPTS", description =
            "comma-separated mount options: FUSE's (allow_other, default_permissions, uid=, gid=, umask=, "
            + "entry_timeout=, attr_timeout=, negative_timeout=, nonempty, ...) and ours: verify: a read that "
            + "reaches the end of a file whose bytes do not match its stored CRC-32C fails (EIO); threads=N: "
            + "requests served at once (default 16); subdirs: each archive in a directory named after it "
            + "(data.barecat: data/); conflicts=error: refuse to mount archives that have a path in common "
            + "(not both as directories), naming the first; a pass over every archive's index, taking time "
            + "with their sizes. For an archive given by URL: endpoint=URL, region=, profile= "
            + "(S3; else as AWS's tools find them), path_style (S3), anonymous (S3: unsigned requests, for a public "
            + "bucket), cache_dir=DIR (default "
            + "$XDG_CACHE_HOME/barecat), cache_size=SIZE (default 10G), prefetch: fetch each shard whole, in "
            + "the background, once it is first read (for a node that reads every file, such as a training epoch), "
            + "while the shards so fetched fit in cache_size")
    List<String> options = new ArrayList<>();

    @Option(names = "--log", paramLabel = "FILE",
            description = "where the background daemon logs once the mount is ready (default: nowhere)")
    Path logFile;

    @Option(names = "--notify-ready", hidden = true,
            description = "print the ready line on stdout, then send stdout and stderr to --log or /dev/null")
    boolean notifyReady;

    public static void main(String[] args) {
        FuseMount.Preload.inBackground(); // while the arguments are read and the archive opened
        // bin/barecat hands "barecat mount ..." to bin/barecat-mount, saying which name it was called by
        String program = System.getenv().getOrDefault("BARECAT_MOUNT_AS", "barecat-mount");
        System.setProperty("barecat.program", program);
        System.exit(Errors.execute(new CommandLine(new BarecatMount()).setCommandName(program), args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        mountPoint = Path.of(operands.get(operands.size() - 1));
        MountOptions mountOptions;
        RemoteOptions remoteOptions;
        try {
            mountOptions = MountOptions.parse(options, RemoteOptions.KEYS);
            RemoteArchiveOptions.requireUrl(archives(), mountOptions.others());
            remoteOptions = RemoteArchiveOptions.parse(mountOptions.others());
        } catch (IllegalArgumentException | BadArgumentException e) {
            return Errors.fail(e.getMessage(), 2);
        }
        if (!foreground && !debug) {
            return Errors.fail("run through bin/barecat-mount, which starts the daemon in the background;"
                    + " or give -f to stay in the foreground", 2);
        }
        if (notifyReady && logFile != null) {
            // the daemon opens its log only once the mount is ready: a log it could not open would
            // leave a mount running that logs nowhere, so it is tried first
            try {
                FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                        .close();
            } catch (FileSystemException e) {
                return Errors.fail(logFile + ": cannot open the log: " + Errors.reason(e), 1);
            } catch (IOException e) {
                return Errors.fail(logFile + ": cannot open the log: " + e.getMessage(), 1);
            }
        }
        try (ArchiveView archive = openArchives(remoteOptions, mountOptions)) {
            if (FuseMount.clearStaleMount(mountPoint)) {
                // stdout: the detaching parent relays it before it exits, where stderr could be cut short
                System.out.println("barecat-mount: " + mountPoint + ": cleared a dead mount left by a daemon that"
                        + " was killed or crashed (Transport endpoint is not connected)");
                System.out.flush();
            }
            // the request threads log from their first request: through the logging library, not through
            // SLF4J's stand-ins of its initialization, which would replay them with a warning on stderr
            FuseMount.Preload.awaitLogging();
            EntryDefaults defaults = new EntryDefaults(currentId("uid"), currentId("gid"), archive.indexMtimeNs());
            // Handlers go in before the mount appears, so a signal that comes as soon as it is visible
            // unmounts it; one that comes while it is being set up unmounts it once it is up. SIGHUP
            // too: by default it would end the JVM at once, failing every reader still busy.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<FuseMount> mounted = new AtomicReference<>();
            SignalHandler unmount = s -> {
                stop.set(true);
                FuseMount m = mounted.get();
                if (m != null) {
                    m.unmount();
                }
            };
            Signal.handle(new Signal("TERM"), unmount);
            Signal.handle(new Signal("HUP"), unmount); // left ignored when started ignoring it (nohup)
            if (Signal.handle(new Signal("INT"), unmount) == SignalHandler.SIG_IGN) {
                // the JVM leaves an ignored signal ignored (and says so); restoring it takes libc
                DaemonProcess.acceptInterrupts();
                Signal.handle(new Signal("INT"), unmount);
            }
            if (stop.get()) { // stopped before mounting: nothing to undo
                return notifyReady ? 1 : 0;
            }
            FuseMount mount = FuseMount.mount(archive, mountPoint, mountOptions, defaults, debug);
            mounted.set(mount);
            if (stop.get()) {
                mount.unmount();
            }
            if (notifyReady) {
                if (stop.get()) {
                    // bin/barecat-mount stopped this daemon before it reported the mount ready (it was
                    // interrupted): it says so itself and needs nothing mounted once the daemon is gone
                    mount.awaitUnmount();
                    return 1;
                }
                System.out.println(READY);
                DaemonProcess.detach(logFile);
                if (logFile != null) {
                    LogConfigurator.toFile(logFile);
                }
            }
            mount.startBackgroundWork();
            mount.awaitUnmount();
            return 0;
        }
    }

    /** The operands before the mount point. */
    private List<String> archives() {
        return operands.subList(0, operands.size() - 1);
    }

    private ArchiveView openArchives(RemoteOptions remoteOptions, MountOptions mountOptions)
            throws IOException, InterruptedException {
        if (archives().stream().anyMatch(RemoteArchives::isUrl)) {
            FuseMount.Preload.awaitLogging(); // the AWS SDK logs a lot while it starts
        }
        return RemoteArchiveOptions.openAll(archives(), remoteOptions, mountOptions.subdirs(),
                mountOptions.refuseConflicts() ? "-o conflicts=error" : null);
    }

    private static int currentId(String which) throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + which);
    }
}
