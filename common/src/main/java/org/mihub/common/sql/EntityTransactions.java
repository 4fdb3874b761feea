package org.mihub.common.sql;

import java.sql.SQLException;
import java.util.function.Supplier;

import jakarta.persistence.OptimisticLockException;

import org.mihub.common.error.ApiException;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Units of work on a service's entity tables (Hibernate ORM with Panache), written once for every
 * service that has them: JTA transactions, which Hibernate's persistence context and any pooled
 * connection taken inside them join, and the same failure reports as JDBC work.
 *
 * <p>{@link #requiringNew} runs in a new transaction, committed when the work returns and rolled
 * back when it throws; {@link #joiningExisting} joins the transaction in progress or starts its own
 * (committed or rolled back the same way). A failure, raised by
 * the work, a flush or the commit, is reported as {@link SqlErrors} reports the SQLException behind
 * it (a unique violation is ALREADY_EXISTS, a deadlock ABORTED...); a version conflict (JPA's or
 * Hibernate's) is a serialization failure (ABORTED, try again); an {@link ApiException} of the work passes unchanged.
 *
 * <p>Never run JDBC work of {@link Transactions} inside one: a connection the pool has enlisted in
 * the JTA transaction cannot be committed by hand.
 */
public final class EntityTransactions {

    private EntityTransactions() {
    }

    /** {@code work} in a new transaction, committed when it returns; rolled back when it throws. */
    public static <T> T requiringNew(Supplier<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** {@link #requiringNew(Supplier)} of work without a result. */
    public static void requiringNew(Runnable work) {
        requiringNew(() -> {
            work.run();
            return null;
        });
    }

    /** {@code work} in the current transaction, or in one of its own. */
    public static <T> T joiningExisting(Supplier<T> work) {
        try {
            return QuarkusTransaction.joiningExisting().call(work::get);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** {@link #joiningExisting(Supplier)} of work without a result. */
    public static void joiningExisting(Runnable work) {
        joiningExisting(() -> {
            work.run();
            return null;
        });
    }

    /** The exception to report for a failed unit of work. */
    public static RuntimeException translate(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof OptimisticLockException || isA(t, "org.hibernate.StaleStateException")) {
                return SqlErrors.translate(new SQLException("the row changed since it was read", "40001", t));
            }
            if (t instanceof SQLException sql) {
                return SqlErrors.translate(sql);
            }
        }
        return failure;
    }

    /**
     * Whether {@code t} is of the named class or a subclass; for Hibernate's own version conflict
     * (raised at commit, not converted to JPA's), without making Hibernate a dependency of common.
     */
    private static boolean isA(Throwable t, String className) {
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
