package org.barecat.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The extension around test classes of its own, run through the launcher (surefire leaves nested
 * classes alone): made once before the tests, closed and its directory removed after them, also when
 * making it failed.
 */
class ClassResourceTest {
    /** What happened, in order, in the class run last. */
    static final List<String> events = new ArrayList<>();
    static Path dir;

    record Resource(Path file) implements AutoCloseable {
        @Override
        public void close() {
            events.add("closed");
        }
    }

    static class TwoTests {
        static Resource first;
        @RegisterExtension
        static final ClassResource<Resource> resource = new ClassResource<>(d -> {
            dir = d;
            events.add("made");
            return new Resource(Files.writeString(d.resolve("f"), "x"));
        });

        @Test
        void one() {
            check();
        }

        @Test
        void two() {
            check();
        }

        private static void check() {
            assertTrue(Files.exists(resource.get().file()));
            if (first == null) {
                first = resource.get();
            }
            assertSame(first, resource.get(), "the same resource for every test");
            events.add("test");
        }
    }

    static class MakingFails {
        @RegisterExtension
        static final ClassResource<Resource> resource = new ClassResource<>(d -> {
            dir = d;
            Files.writeString(d.resolve("half-made"), "x");
            throw new IOException("cannot make it");
        });

        @Test
        void never() {
            events.add("test");
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        events.clear();
        dir = null;
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                listener);
        return listener.getSummary();
    }

    @Test
    void madeOnceBeforeTheTestsThenClosedAndItsDirectoryRemoved() {
        TestExecutionSummary summary = run(TwoTests.class);
        assertEquals(2, summary.getTestsSucceededCount(), String.valueOf(summary.getFailures()));
        assertEquals(List.of("made", "test", "test", "closed"), events);
        assertNotNull(dir);
        assertFalse(Files.exists(dir), dir + " removed");
    }

    @Test
    void aFailureToMakeItFailsTheClassAndStillRemovesTheDirectory() {
        TestExecutionSummary summary = run(MakingFails.class);
        assertEquals(0, summary.getTestsStartedCount());
        assertEquals(1, summary.getContainersFailedCount());
        assertEquals("cannot make it", summary.getFailures().get(0).getException().getMessage());
        assertEquals(List.of(), events);
        assertNotNull(dir);
        assertFalse(Files.exists(dir), dir + " removed");
    }
}
