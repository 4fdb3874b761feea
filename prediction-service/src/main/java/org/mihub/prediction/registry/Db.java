package org.mihub.prediction.registry;

import java.sql.SQLException;

/** Runs a JDBC action; a database failure is an internal error, not the caller's. */
public final class Db {

    private Db() {
    }

    public interface Action<T> {
        T run() throws SQLException;
    }

    public static <T> T call(Action<T> action) {
        try {
            return action.run();
        } catch (SQLException e) {
            throw new IllegalStateException("database error", e);
        }
    }
}
