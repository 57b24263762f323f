package org.barecat.cli;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Generates a small image-classification data set: real JPEG files in one folder per class
 * ({@code root/CLASS/CLASS_0001.jpg}), drawn from a fixed seed so every run makes the same tree.
 */
public final class DemoImages {
    public static final List<String> CLASSES = List.of("circle", "square", "triangle", "stripes", "checker", "noise");

    private DemoImages() {
    }

    /** Writes {@code perClass} images of {@code size}x{@code size} pixels per class under {@code root}. */
    public static int generate(Path root, int perClass, int size) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Random random = new Random(20261121);
        int written = 0;
        for (String label : CLASSES) {
            Path dir = Files.createDirectories(root.resolve(label));
            for (int i = 1; i <= perClass; i++) {
                BufferedImage image = draw(label, size, random);
                Path file = dir.resolve(String.format("%s_%04d.jpg", label, i));
                if (!ImageIO.write(image, "jpg", file.toFile())) {
                    throw new IOException(file + ": no JPEG writer in this JVM");
                }
                written++;
            }
        }
        return written;
    }

    private static BufferedImage draw(String label, int size, Random random) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(random.nextInt(0x1000000)));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(random.nextInt(0x1000000)));
        int m = size / 8 + random.nextInt(size / 8);
        switch (label) {
            case "circle" -> g.fillOval(m, m, size - 2 * m, size - 2 * m);
            case "square" -> g.fillRect(m, m, size - 2 * m, size - 2 * m);
            case "triangle" -> g.fillPolygon(new int[] {size / 2, m, size - m}, new int[] {m, size - m, size - m}, 3);
            case "stripes" -> {
                for (int x = 0; x < size; x += 2 * m / 3 + 2) {
                    g.fillRect(x, 0, m / 3 + 1, size);
                }
            }
            case "checker" -> {
                for (int y = 0; y < size; y += m) {
                    for (int x = (y / m) % 2 * m; x < size; x += 2 * m) {
                        g.fillRect(x, y, m, m);
                    }
                }
            }
            default -> {
                for (int k = 0; k < size * 4; k++) {
                    g.setColor(new Color(random.nextInt(0x1000000)));
                    g.fillRect(random.nextInt(size), random.nextInt(size), 2, 2);
                }
            }
        }
        g.dispose();
        return image;
    }
}
