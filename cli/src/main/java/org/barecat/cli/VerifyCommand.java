package org.barecat.cli;

import org.barecat.remote.RemoteArchive;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.verify.ArchiveVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/** {@code barecat verify ARCHIVE}: checksums, shard bounds, index integrity, directory statistics. */
@Command(name = "verify", sortOptions = false,
        description = {"""
                Check an archive's files, shards and index, and report each problem.""",
                "",
                """
                Checks the CRC-32C of every file (reading the shards front to back), that every file lies within \
                its shard, SQLite's integrity check, that no path could escape a directory, and every \
                directory's statistics against its files.""",
                "",
                """
                Each problem is printed on stdout as 'PATH: problem'; a summary line follows. Bytes at a shard's \
                end that belong to no file (what an add killed part-way leaves) are noted on stderr without \
                counting as a problem: every file still reads right, and the next add cuts them off.""",
                "",
                """
                The exit code is 1 when a problem is found."""})
final class VerifyCommand extends ArchiveReadingCommand {
    @Option(names = "--quick", description = "skip the checksums (everything else is still checked)")
    boolean quick;

    @Mixin
    QuietOption quiet = new QuietOption();

    @Override
    public Integer call() {
        return withStdout(out -> {
            try (Progress progress = quiet.progress("Verifying")) {
                ProgressListener report = new ProgressListener() {
                    @Override
                    public void total(long files, long bytes) {
                        progress.total(files, bytes);
                    }

                    @Override
                    public void done(String path, long bytes) {
                        progress.done(path, bytes);
                    }

                    @Override
                    public void note(String path, String message) {
                        progress.note(path, message);
                    }

                    @Override
                    public synchronized void problem(String path, String message) {
                        out.println(path + ": " + message);
                    }
                };
                ArchiveVerifier.Report r;
                String shown;
                try (RemoteArchive remoteArchive = locate()) {
                    if (remoteArchive == null) {
                        shown = archiveArgument.path().toString();
                        r = ArchiveVerifier.verify(archiveArgument.path(), !quick, report);
                    } else {
                        shown = remoteArchive.url();
                        r = ArchiveVerifier.verify(new ArchiveVerifier.Source(remoteArchive.index(),
                                remoteArchive.url(), remoteArchive::shardName, remoteArchive::openShard), !quick, report);
                    }
                }
                progress.close();
                String checked = r.files() + " files" + (quick ? " (checksums not read)"
                        : ", " + r.bytes() + " bytes checksummed" + (r.unchecked() > 0 ? ", " + r.unchecked()
                        + " without a checksum" : ""));
                out.println(r.ok() ? shown + ": OK: " + checked
                        : shown + ": " + r.problems() + (r.problems() == 1 ? " problem" : " problems") + " found; " + checked);
                return r.ok() ? 0 : 1;
            }
        });
    }
}
