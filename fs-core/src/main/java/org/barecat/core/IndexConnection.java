package org.barecat.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** One SQLite connection with its prepared statements, used by one thread at a time. */
final class IndexConnection implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    IndexConnection(Connection connection) {
        this.connection = connection;
    }

    /** The prepared statement for {@code sql}, prepared once and reused. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** SQL of every statement prepared so far (for query-plan checks). */
    java.util.Set<String> preparedSql() {
        return java.util.Set.copyOf(statements.keySet());
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : statements.values()) {
            statement.close();
        }
        statements.clear();
        connection.close();
    }
}
