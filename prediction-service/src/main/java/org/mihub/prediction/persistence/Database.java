package org.mihub.prediction.persistence;

import java.sql.SQLException;
import java.util.function.Supplier;

import org.mihub.common.sql.SqlErrors;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * One unit of work on the service's database through Hibernate ORM: it runs in a JTA transaction
 * (joining the caller's, if one is open; else its own, committed at the end and rolled back on any
 * failure), so Hibernate and the JDBC work it does on its own connection commit together. A failure
 * of the database is reported as everywhere in the suite: the SQLException behind Hibernate's
 * exception (or the transaction's) goes through common's {@link SqlErrors}, so a unique violation is
 * still ALREADY_EXISTS, a serialization failure ABORTED, an unreachable database UNAVAILABLE, and
 * anything else a fault of the service. Never mix it with common's JDBC {@code Transactions}: inside
 * a JTA transaction the pool enlists the connection, and a manual commit there is refused.
 */
public final class Database {

    private Database() {
    }

    /** Runs {@code work} in a transaction and returns its value. */
    public static <T> T call(Supplier<T> work) {
        try {
            return QuarkusTransaction.joiningExisting().call(work::get);
        } catch (RuntimeException e) {
            SQLException cause = sqlCause(e);
            throw cause == null ? e : SqlErrors.translate(cause);
        }
    }

    /** Runs {@code work} in a transaction. */
    public static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** The first SQLException among the causes of {@code failure}, or null. */
    static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
            if (t.getCause() == t) {
                return null;
            }
        }
        return null;
    }
}
