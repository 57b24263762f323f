package org.barecat.serve;

import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the web page asks of a real server: its own files, thumbnails, searches. */
class WebPageApiTest {
    @RegisterExtension
    static final ClassResource<ServedArchive> served = new ClassResource<>(dir -> {
        Path index = dir.resolve("data.barecat");
        try (TreeBuilder w = TreeBuilder.archive(index)) {
            for (String format : List.of("jpg", "png", "gif", "bmp")) {
                w.file("pics/wide." + format, image(format, 400, 200));
            }
            w.file("pics/tall.JPEG", image("jpg", 30, 90));
            w.file("pics/broken.jpg", Arrays.copyOf(image("jpg", 400, 200), 40));
            w.file("pics/notes.txt", "not an image");
            for (int i = 0; i < 30; i++) {
                w.file(String.format("train/c%d/img_%02d.jpg", i % 3, i), "x" + i);
            }
            w.file("trains.txt", "outside train/, beside it");
        }
        return ServedArchive.of(index, false);
    });

    static byte[] image(String format, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, width / 2, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return served.get().get(path, headers);
    }

    private static Map<?, ?> json(String path) throws Exception {
        HttpResponse<byte[]> r = get(path);
        assertEquals(200, r.statusCode(), path);
        return (Map<?, ?>) new JSON().fromJSON(new String(r.body(), StandardCharsets.UTF_8));
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void thePageItsScriptAndItsStylesAreServedAndNothingElseFromTheClasspath() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html;charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script src=\"/app.js\">"), html);
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'self';"));
        assertTrue(new String(get("/app.js").body(), StandardCharsets.UTF_8).contains("/api/list"));
        HttpResponse<byte[]> file = get("/files/pics/notes.txt"); // an HTML file in an archive runs no script here
        assertEquals("sandbox", file.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("nosniff", file.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("text/css;charset=utf-8", get("/app.css").headers().firstValue("Content-Type").orElseThrow());
        for (String other : List.of("/index.html", "/web/index.html", "/org/barecat/serve/web/app.js",
                "/ArchiveHandler.class", "/%2e%2e/app.js")) {
            int status = get(other).statusCode();
            assertTrue(status == 404 || status == 400, other + ": " + status);
        }
    }

    @Test
    void listingsMarkTheImagesThatHaveThumbnails() throws Exception {
        Map<?, ?> pics = json("/api/list?path=pics");
        assertEquals(7L, pics.get("children"));
        assertEquals(7L, pics.get("files"));
        Map<String, Object> byName = new java.util.HashMap<>();
        for (Object e : (Object[]) pics.get("entries")) {
            byName.put((String) ((Map<?, ?>) e).get("name"), ((Map<?, ?>) e).get("image"));
        }
        assertEquals(true, byName.get("wide.gif"));
        assertEquals(true, byName.get("tall.JPEG"));
        assertEquals(null, byName.get("notes.txt"));
    }

    @Test
    void thumbnailsAreSmallJpegsOfJpegPngGifAndBmpKeepingTheirShape() throws Exception {
        for (String format : List.of("jpg", "png", "gif", "bmp")) {
            HttpResponse<byte[]> r = get("/api/thumb?path=" + q("pics/wide." + format));
            assertEquals(200, r.statusCode(), format);
            assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElseThrow());
            BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertNotNull(thumb, format);
            assertEquals(Thumbnails.SIZE, thumb.getWidth(), format);
            assertEquals(Thumbnails.SIZE / 2, thumb.getHeight(), format);
            Color left = new Color(thumb.getRGB(10, 40));
            Color right = new Color(thumb.getRGB(150, 40));
            assertTrue(left.getBlue() > 200 && left.getRed() < 60, format + " left " + left);
            assertTrue(right.getRed() > 200 && right.getBlue() < 60, format + " right " + right);
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, get("/api/thumb?path=" + q("pics/wide." + format), "If-None-Match", etag).statusCode());
        }
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(get("/api/thumb?path=pics/tall.JPEG").body()));
        assertEquals(30, small.getWidth()); // never enlarged
        assertEquals(90, small.getHeight());
    }

    @Test
    void anImageThatDoesNotDecodeHasNoThumbnailAndTheServerGoesOn() throws Exception {
        for (int i = 0; i < 2; i++) { // the second time from the cache
            assertEquals(415, get("/api/thumb?path=pics/broken.jpg").statusCode());
            assertEquals(415, get("/api/thumb?path=train/c0/img_00.jpg").statusCode());
        }
        assertEquals(415, get("/api/thumb?path=pics/notes.txt").statusCode());
        assertEquals(404, get("/api/thumb?path=pics").statusCode());
        assertEquals(404, get("/api/thumb?path=" + q("../pics/wide.png")).statusCode());
        assertEquals(404, get("/api/thumb?path=nothing.jpg").statusCode());
        assertEquals(200, get("/api/thumb?path=pics/wide.png").statusCode());
    }

    private static List<String> paths(Map<?, ?> page) {
        List<String> out = new ArrayList<>();
        for (Object e : (Object[]) page.get("entries")) {
            out.add((String) ((Map<?, ?>) e).get("path"));
        }
        return out;
    }

    @Test
    void listingsResumeAfterTheLastNameOfThePreviousPage() throws Exception {
        List<String> all = paths(json("/api/list?path=train/c0"));
        assertEquals(10, all.size());
        List<String> paged = new ArrayList<>();
        Map<?, ?> page = json("/api/list?path=train/c0&limit=3");
        for (int pages = 0; ; pages++) {
            assertTrue(pages < 10);
            List<String> got = paths(page);
            paged.addAll(got);
            if (page.get("more").equals(false)) {
                break;
            }
            String last = got.get(got.size() - 1);
            page = json("/api/list?path=train/c0&limit=3&after=" + q(last.substring(last.lastIndexOf('/') + 1)));
        }
        assertEquals(all, paged);
        assertEquals(all.subList(5, 7), paths(json("/api/list?path=train/c0&limit=2&offset=2&after=" + q("img_06.jpg"))));
        assertEquals(List.of("train/c1", "train/c2"), paths(json("/api/list?path=train&after=c0")));
        for (String after : List.of("nothing", "..", "c0/img_00.jpg", "")) {
            assertEquals(404, get("/api/list?path=train&after=" + q(after)).statusCode(), after);
        }
    }

    @Test
    void findMatchesNamesOrWholePathsAsBarecatFindDoes() throws Exception {
        assertEquals(List.of("pics/tall.JPEG", "pics/wide.jpg"), paths(json("/api/find?pattern=" + q("*.[jJ]*[gG]")
                + "&path=pics")).stream().filter(p -> !p.contains("broken")).toList());
        assertEquals(List.of("train/c1/img_01.jpg", "train/c1/img_04.jpg"),
                paths(json("/api/find?limit=2&pattern=" + q("train/c1/*"))));
        assertEquals(List.of("train/c2"), paths(json("/api/find?pattern=c2")));
        // -path's * crosses slashes: every file of the three folders
        assertEquals(30, paths(json("/api/find?pattern=" + q("train/*.jpg"))).size());
        assertEquals(List.of("trains.txt"), paths(json("/api/find?pattern=" + q("train*.txt"))));
        assertEquals(400, get("/api/find?pattern=").statusCode());
        assertEquals(404, get("/api/find?pattern=x&path=trains.txt").statusCode());
    }

    @Test
    void findResumesAfterTheLastPathItLookedAtAndStaysInItsDirectory() throws Exception {
        List<String> all = paths(json("/api/find?path=train&pattern=" + q("img_*")));
        assertEquals(30, all.size());
        List<String> paged = new ArrayList<>();
        String after = null;
        for (int pages = 0; ; pages++) {
            assertTrue(pages < 10);
            Map<?, ?> page = json("/api/find?path=train&limit=7&pattern=" + q("img_*") + (after == null ? "" : "&after=" + q(after)));
            paged.addAll(paths(page));
            after = (String) page.get("next");
            if (page.get("more").equals(false)) {
                break;
            }
        }
        assertEquals(all, paged);
        // a resume point before the directory does not let in what lies between it and the directory
        assertEquals(all, paths(json("/api/find?path=train&pattern=*&after=a")).stream().filter(p -> p.contains("img_")).toList());
        assertFalse(paths(json("/api/find?path=train&pattern=*&after=a")).contains("pics/wide.png"));
        assertEquals(List.of(), paths(json("/api/find?path=train&pattern=*&after=zzz")));
    }
}
