package org.barecat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The index schemas the independent writers make, read from the {@code schema-*.sql} resources they share. */
final class Schemas {
    private Schemas() {
    }

    /** The text of resource {@code name} beside this class. */
    static String resource(String name) {
        try (InputStream in = Schemas.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name + " beside " + Schemas.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the tables and indexes of schema {@code version} ("0.2" or "0.3") in {@code c}. */
    static void create(Connection c, String version) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : resource("schema-" + version + ".sql").split(";\n")) {
                if (!ddl.isBlank()) {
                    s.execute(ddl);
                }
            }
        }
    }
}
