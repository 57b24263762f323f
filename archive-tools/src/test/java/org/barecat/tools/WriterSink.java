package org.barecat.tools;

import org.barecat.core.Attributes;
import org.barecat.testing.SampleTrees;
import org.barecat.testing.TreeBuilder;
import org.barecat.tools.write.ArchiveWriter;

import java.io.IOException;
import java.nio.file.Path;

/** The library's writer as a {@link TreeBuilder}'s sink, so its tests build the same trees as the reader's. */
public final class WriterSink implements TreeBuilder.Sink {
    private final ArchiveWriter writer;

    private WriterSink(ArchiveWriter writer) {
        this.writer = writer;
    }

    public static TreeBuilder builder(ArchiveWriter writer) {
        return TreeBuilder.into(new WriterSink(writer));
    }

    /** {@link SampleTrees#threeFiles} written by the library's writer at {@code archive}, in 16-byte shards. */
    public static Path threeFiles(Path archive) throws IOException {
        SampleTrees.threeFiles(builder(ArchiveWriter.create(archive, 16, false))).build();
        return archive;
    }

    private static Attributes attributes(TreeBuilder.Meta m) {
        return new Attributes(m.mode(), m.uid(), m.gid(), m.mtimeNs());
    }

    @Override
    public void file(String path, byte[] data, TreeBuilder.Meta meta) throws IOException {
        writer.add(path, data, attributes(meta));
    }

    @Override
    public void directory(String path, TreeBuilder.Meta meta) throws IOException {
        writer.addDirectory(path, attributes(meta));
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
