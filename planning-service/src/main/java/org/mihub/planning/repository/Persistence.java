package org.mihub.planning.repository;

import java.sql.SQLException;
import java.util.function.Supplier;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;
import org.mihub.common.error.ApiException;
import org.mihub.common.sql.SqlErrors;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The planning service's transactions (JTA, so Hibernate ORM's persistence context follows them)
 * and how their failures are reported. {@link #write} runs work in a new transaction and flushes it
 * before the commit, so a failing statement surfaces here; {@link #read} joins the transaction in
 * progress or starts one. A failure is reported as mihub-common's {@link SqlErrors} reports the
 * SQLException behind it (unique violation: ALREADY_EXISTS, serialization failure: ABORTED, ...);
 * a JPA version conflict is reported as a serialization failure (ABORTED, try again). An
 * {@link ApiException} thrown by the work passes unchanged and rolls the transaction back.
 */
public final class Persistence {

    private Persistence() {
    }

    /** {@code work} in a new transaction, committed when it returns; rolled back when it throws. */
    public static <T> T write(Supplier<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                T result = work.get();
                Panache.getEntityManager().flush();
                return result;
            });
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** {@link #write(Supplier)} of work without a result. */
    public static void write(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }

    /** {@code work} in the current transaction, or in one of its own. */
    public static <T> T read(Supplier<T> work) {
        try {
            return QuarkusTransaction.joiningExisting().call(work::get);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The exception to report for a failed transaction. */
    static RuntimeException translate(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return SqlErrors.translate(new SQLException("the row changed since it was read", "40001", t));
            }
            if (t instanceof SQLException sql) {
                return SqlErrors.translate(sql);
            }
        }
        return failure;
    }
}
