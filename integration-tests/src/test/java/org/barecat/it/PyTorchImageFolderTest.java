package org.barecat.it;

import org.barecat.cli.DemoImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * torchvision's ImageFolder and a shuffling DataLoader with two worker processes read a full epoch
 * of JPEGs from the mount exactly as from the directory the archive was made from.
 */
class PyTorchImageFolderTest {
    private static final int PER_CLASS = 50;

    @TempDir
    Path tmp;

    /** One epoch (imagefolder_epoch.py): classes, count, then path, label, shape, tensor SHA-256 per sample. */
    private static List<String> epoch(Path root) {
        return Programs.python("imagefolder_epoch.py", root.toString(), "--workers", "2").ok().out().lines()
                .collect(Collectors.toList());
    }

    @Test
    void anEpochOverTheMountDecodesTheSameTensorsInTheSameOrderAsTheSourceDirectory() throws IOException {
        Path source = tmp.resolve("images");
        int images = DemoImages.generate(source, PER_CLASS, 96);
        Path archive = tmp.resolve("images.barecat");
        Launchers.create(source, archive);

        List<String> expected = epoch(source);
        assertEquals("classes " + DemoImages.CLASSES.stream().sorted().collect(Collectors.joining(" ")), expected.get(0));
        assertEquals("samples " + images, expected.get(1));
        List<String> samples = expected.subList(2, expected.size());
        assertEquals(images, samples.size());
        assertEquals(images, samples.stream().map(l -> l.split("\t")[0]).distinct().count(), "each image once");
        assertEquals(images, samples.stream().map(l -> l.split("\t")[3]).distinct().count(), "distinct tensors");
        assertNotEquals(samples.stream().sorted().collect(Collectors.toList()), samples, "the loader shuffles");

        try (Mount mount = Mount.of(archive)) {
            assertEquals(expected, epoch(mount.point));
        }
    }
}
