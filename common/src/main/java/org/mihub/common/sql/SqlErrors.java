package org.mihub.common.sql;

import java.sql.SQLException;
import java.util.List;

import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.Kind;

/**
 * How a database failure is reported, written once for every service. PostgreSQL's SQLSTATE
 * decides: a failure the caller can do something about becomes an {@link ApiException} of the
 * matching kind (try again after a conflict or a timeout, pick another name after a unique
 * violation, wait while the database is unreachable); anything else is a fault of the service and
 * stays an {@link IllegalStateException}, which the gRPC layer answers as INTERNAL without
 * internals. The database's own message never reaches the caller: it can name tables and values.
 */
public final class SqlErrors {

    /** Work on the database that returns a value. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws SQLException;
    }

    /** Work on the database that returns nothing. */
    @FunctionalInterface
    public interface Action {
        void run() throws SQLException;
    }

    private SqlErrors() {
    }

    /** Runs {@code call}; an SQLException is thrown as {@link #translate translated}. */
    public static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs {@code action}; an SQLException is thrown as {@link #translate translated}. */
    public static void run(Action action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * The exception to throw for {@code failure}:
     * <ul>
     * <li>serialization failure (40001) or deadlock (40P01): ABORTED, the change may be tried again;
     * <li>lock not available (55P03) or statement cancelled by its timeout (57014): DEADLINE_EXCEEDED;
     * <li>transaction ended by {@code idle_in_transaction_session_timeout} (25P03): ABORTED;
     * <li>unique violation (23505): ALREADY_EXISTS;
     * <li>connection failure (class 08), the server shutting down or not accepting connections (57P01,
     * 57P02, 57P03) or too many connections (53300): UNAVAILABLE;
     * <li>the connection pool's acquisition timeout (no SQLSTATE: the database is down, or every
     * connection is busy): UNAVAILABLE;
     * <li>anything else: an IllegalStateException carrying the failure.
     * </ul>
     */
    public static RuntimeException translate(SQLException failure) {
        String state = state(failure);
        if (state == null) {
            return poolTimedOut(failure) ? api(Kind.UNAVAILABLE, "no database connection could be had in time "
                    + "(the database is down or every connection is busy); try again later", failure) : internal(failure);
        }
        return switch (state) {
            case "40001", "40P01" -> api(Kind.ABORTED,
                    "the change collided with a concurrent one and was not made; try again", failure);
            case "55P03" -> api(Kind.DEADLINE_EXCEEDED,
                    "the database timed out waiting for a lock another change holds; try again", failure);
            case "57014" -> api(Kind.DEADLINE_EXCEEDED,
                    "the database statement ran out of time and was cancelled; try again", failure);
            case "25P03" -> api(Kind.ABORTED, "the transaction stayed idle too long and the database ended it; "
                    + "nothing was changed; try again", failure);
            case "23505" -> api(Kind.ALREADY_EXISTS, "a record with the same identity already exists", failure);
            case "57P01", "57P02", "57P03", "53300" -> api(Kind.UNAVAILABLE,
                    "the database is not accepting work at the moment; try again later", failure);
            default -> state.startsWith("08")
                    ? api(Kind.UNAVAILABLE, "the database cannot be reached; try again later", failure)
                    : internal(failure);
        };
    }

    /**
     * The SQLSTATE of the failure, or of the first SQLException behind it (a batch reports the
     * failed statement as its next exception; a pool can wrap the driver's exception as cause).
     */
    private static String state(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null && !e.getSQLState().isBlank()) {
                        return e.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /** Agroal's "acquisition timeout" (it carries no SQLSTATE): no connection within the pool's wait. */
    private static boolean poolTimedOut(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    private static ApiException api(Kind kind, String message, SQLException failure) {
        ApiException api = new ApiException(kind, message, List.of());
        api.initCause(failure);
        return api;
    }

    private static IllegalStateException internal(SQLException failure) {
        return new IllegalStateException("database error", failure);
    }
}
