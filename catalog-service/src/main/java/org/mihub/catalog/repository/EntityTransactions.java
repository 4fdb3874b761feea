package org.mihub.catalog.repository;

import java.sql.SQLException;
import java.util.function.Supplier;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.mihub.common.error.ApiException;
import org.mihub.common.sql.SqlErrors;

/**
 * One unit of work on the entity tables: a new JTA transaction that Hibernate (and any connection
 * taken from the pool inside it) joins, committed when the work returns and rolled back when it
 * throws. A failure is reported as a JDBC failure would be: an {@link ApiException} thrown by the
 * work passes unchanged, and a persistence failure, whether raised by a flush inside the work or by
 * the commit, is translated by {@link SqlErrors} from the SQLException behind it (a unique violation
 * is ALREADY_EXISTS, a deadlock ABORTED, and so on), so the gRPC answer is the one it always was.
 *
 * <p>Never run JDBC work of {@code org.mihub.common.sql.Transactions} inside it: a connection the
 * pool has enlisted in the JTA transaction cannot be committed by hand.
 */
public final class EntityTransactions {

    private EntityTransactions() {
    }

    /** Runs {@code work} in a new transaction and answers its result. */
    public static <T> T call(Supplier<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } catch (RuntimeException failure) {
            throw translate(failure);
        }
    }

    /** The exception to throw for {@code failure}, raised by the work or by the transaction. */
    static RuntimeException translate(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException api) {
                return api;
            }
            if (cause instanceof SQLException sql) {
                return SqlErrors.translate(sql);
            }
        }
        return failure;
    }
}
