package org.barecat.serve;

import org.barecat.core.Archive;
import org.barecat.core.FileEntry;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page in a real browser: Debian's chromium, headless, driven through its chromedriver by
 * Selenium. {@code -Dbarecat.screenshot=PATH} also saves the class folder's page there (how
 * docs/serve.png is made); {@code -Dbarecat.large=N} adds a folder of N images and logs how long its
 * first thumbnails take to show.
 */
class WebPageBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> CLASSES = List.of("cat", "dog", "bird");
    private static final int PER_CLASS = 14;
    /** More than the page asks for at once (500): the rest comes as the listing is scrolled to its end. */
    private static final int MANY = 640;

    @TempDir
    Path tmp;

    @Test
    void browsesIntoAClassFolderSeesItsThumbnailsAndStepsThroughImagesWithTheArrowKeys() throws Exception {
        assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "chromium and chromium-driver are not installed (scripts/install-deps.sh installs them): no browser test");
        int large = Integer.getInteger("barecat.large", 0);
        Path index = tmp.resolve("data.barecat");
        try (TreeBuilder w = TreeBuilder.archive(index)) {
            Random random = new Random(7);
            for (String label : CLASSES) {
                for (int i = 1; i <= PER_CLASS; i++) {
                    w.file(String.format("train/%s/%s_%04d.jpg", label, label, i), jpeg(label + " " + i, 320, 240, random));
                }
            }
            w.file("train/README.txt", "three classes");
            w.file("page.html", "<html><head><title>inert</title></head><body><script>document.title = 'ran'</script></body></html>");
            for (int i = 0; i < MANY; i++) {
                w.file(String.format("many/note_%04d.txt", i), "note " + i);
            }
            if (large > 0) {
                byte[][] some = new byte[50][];
                for (int i = 0; i < some.length; i++) {
                    some[i] = jpeg("#" + i, 256, 256, random);
                }
                for (int i = 0; i < large; i++) {
                    w.file(String.format("large/img_%06d.jpg", i), some[i % some.length]);
                }
            }
        }
        try (Archive archive = Archive.open(index);
             ArchiveServer server = ArchiveServer.start(archive, new ArchiveServer.Settings("127.0.0.1", 0, false))) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1280,860", "--user-data-dir=" + tmp.resolve("profile"));
            WebDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                JavascriptExecutor js = (JavascriptExecutor) browser;
                browser.get(server.uri().resolve("/#/train").toString());
                wait.until(b -> !b.findElements(By.linkText("dog")).isEmpty());
                assertTrue(text(browser, "stats").contains((3 * PER_CLASS + 1) + " files"), text(browser, "stats"));
                browser.findElement(By.linkText("dog")).click();
                wait.until(b -> loadedThumbnails(js) == PER_CLASS);
                assertEquals("root/train/dog", text(browser, "crumbs").replaceAll("\\s", ""));
                save(browser, "grid.png", System.getProperty("barecat.screenshot"));

                browser.findElements(By.cssSelector(".tile")).get(0).click();
                wait.until(b -> text(b, "viewer-name").equals("train/dog/dog_0001.jpg") && text(b, "viewer-facts").contains("CRC-32C"));
                browser.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
                FileEntry second = (FileEntry) archive.lookup("train/dog/dog_0002.jpg").orElseThrow();
                String crc = String.format("%08x", second.crc32c());
                wait.until(b -> text(b, "viewer-name").equals("train/dog/dog_0002.jpg") && text(b, "viewer-facts").contains(crc));
                wait.until(b -> (Boolean) js.executeScript(
                        "const i = document.getElementById('viewer-image'); return i.complete && i.naturalWidth === 320;"));
                assertTrue(text(browser, "viewer-facts").contains("shard"), text(browser, "viewer-facts"));
                save(browser, "viewer.png", null);
                browser.findElement(By.tagName("body")).sendKeys(Keys.ARROW_LEFT);
                wait.until(b -> text(b, "viewer-name").equals("train/dog/dog_0001.jpg"));
                browser.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
                wait.until(b -> !b.findElement(By.id("viewer")).isDisplayed());

                browser.findElement(By.linkText("train")).click(); // a search starts at the directory shown
                wait.until(b -> !b.findElements(By.linkText("dog")).isEmpty());
                browser.findElement(By.id("pattern")).sendKeys("*_0003.jpg", Keys.ENTER);
                wait.until(b -> b.findElements(By.cssSelector(".tile")).size() == CLASSES.size() && loadedThumbnails(js) == CLASSES.size());
                save(browser, "search.png", null);

                browser.get(server.uri().resolve("/#/many").toString());
                browser.navigate().refresh();
                wait.until(b -> b.findElements(By.cssSelector("#listing tbody tr")).size() >= 500);
                js.executeScript("window.scrollTo(0, document.body.scrollHeight)");
                wait.until(b -> b.findElements(By.cssSelector("#listing tbody tr")).size() == MANY
                        && !b.findElement(By.id("more")).isDisplayed());
                assertEquals(String.format("note_%04d.txt", MANY - 1),
                        browser.findElement(By.cssSelector("#listing tbody tr:last-child td.name")).getText());
                save(browser, "listing.png", null);

                browser.get(server.uri().resolve("/files/page.html").toString()); // an archive's HTML runs no script
                assertEquals("inert", browser.getTitle());

                if (large > 0) {
                    long started = System.nanoTime();
                    browser.get(server.uri().resolve("/#/large").toString());
                    browser.navigate().refresh();
                    wait.until(b -> loadedThumbnails(js) > 0);
                    long first = System.nanoTime();
                    wait.until(b -> loadedThumbnails(js) >= 24);
                    System.out.printf("a folder of %d images: first thumbnail shown %d ms after the page was asked for,"
                                    + " 24 in %d ms, %s tiles in the page%n", large, (first - started) / 1_000_000,
                            (System.nanoTime() - started) / 1_000_000,
                            js.executeScript("return document.querySelectorAll('.tile').length"));
                }
            } finally {
                browser.quit();
            }
        }
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static long loadedThumbnails(JavascriptExecutor js) {
        return (Long) js.executeScript("return [...document.querySelectorAll('.tile img')]"
                + ".filter(i => i.complete && i.naturalWidth > 0).length;");
    }

    /** Saves what the browser shows in target/screenshots (kept for a look after a run), and at {@code alsoThere}. */
    private static void save(WebDriver browser, String name, String alsoThere) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Path where = Files.createDirectories(Path.of("target", "screenshots")).resolve(name).toAbsolutePath();
        Files.write(where, png);
        System.out.println("screenshot: " + where);
        if (alsoThere != null && !alsoThere.isEmpty()) {
            Files.write(Path.of(alsoThere), png);
        }
    }

    /** A real JPEG: a coloured field, a shape and its label. */
    private static byte[] jpeg(String label, int width, int height, Random random) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.getHSBColor(random.nextFloat(), 0.35f, 0.95f));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.getHSBColor(random.nextFloat(), 0.8f, 0.7f));
        int d = Math.min(width, height) / 2 + random.nextInt(Math.min(width, height) / 3);
        g.fillOval(random.nextInt(width - d / 2), random.nextInt(height - d / 2), d, d);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, height / 8));
        g.drawString(label, width / 16, height - height / 12);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
