package org.mihub.common.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** One unit of work on one connection in one transaction: everything it wrote, or nothing. */
public final class Transactions {

    /** Work on a connection inside the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Where connections come from (a DataSource's getConnection, say). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a transaction on a new connection and commits; a runtime or SQL
     * exception rolls everything back and is rethrown (an SQL one as {@link SqlErrors} reports it).
     */
    public static <T> T inTransaction(Connections connections, Work<T> work) {
        try (Connection connection = connections.open()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }
}
