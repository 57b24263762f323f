package org.barecat.tools;

import java.util.ArrayList;
import java.util.List;

/** Collects what a tool reports, for tests to assert on. */
public final class Recorder implements ProgressListener {
    public final List<String> problems = new ArrayList<>();
    public final List<String> skipped = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();

    @Override
    public synchronized void note(String path, String message) {
        notes.add(path + ": " + message);
    }

    @Override
    public synchronized void problem(String path, String message) {
        problems.add(path + ": " + message);
    }

    @Override
    public synchronized void skipped(String path, String reason) {
        skipped.add(path);
    }
}
