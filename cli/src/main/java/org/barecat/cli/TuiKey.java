package org.barecat.cli;

/** What a key pressed in {@code browse} or {@code ncdu} asks for, whatever the terminal sent for it. */
enum TuiKey {
    QUIT, DOWN, UP, ENTER, BACK, TOP, BOTTOM, PAGE_UP, PAGE_DOWN, TAB, MOUSE,
    /** Any other key: nothing happens. */
    OTHER
}
