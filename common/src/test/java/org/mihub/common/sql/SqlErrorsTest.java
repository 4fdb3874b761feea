package org.mihub.common.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.Kind;
import org.mihub.common.error.GrpcErrors;

import io.grpc.Status;

class SqlErrorsTest {

    private static ApiException api(String sqlState) {
        RuntimeException translated = SqlErrors.translate(new SQLException("ERROR: secret table t_x", sqlState));
        return assertInstanceOf(ApiException.class, translated, "SQLSTATE " + sqlState);
    }

    @Test
    void aConflictWithConcurrentWorkIsAbortedAndMayBeRetried() {
        for (String state : List.of("40001", "40P01")) {
            ApiException e = api(state);
            assertEquals(Kind.ABORTED, e.kind(), state);
            assertEquals("the change collided with a concurrent one and was not made; try again", e.getMessage());
        }
    }

    @Test
    void aLockOrStatementTimeoutIsDeadlineExceeded() {
        ApiException lock = api("55P03");
        assertEquals(Kind.DEADLINE_EXCEEDED, lock.kind());
        assertEquals("the database timed out waiting for a lock another change holds; try again", lock.getMessage());
        ApiException statement = api("57014");
        assertEquals(Kind.DEADLINE_EXCEEDED, statement.kind());
        assertEquals("the database statement ran out of time and was cancelled; try again", statement.getMessage());
    }

    @Test
    void aTransactionEndedForBeingIdleIsAbortedAndSaysSo() {
        ApiException idle = api("25P03");
        assertEquals(Kind.ABORTED, idle.kind());
        assertTrue(idle.getMessage().contains("idle too long"), idle.getMessage());
    }

    @Test
    void aUniqueViolationIsAlreadyExists() {
        ApiException e = api("23505");
        assertEquals(Kind.ALREADY_EXISTS, e.kind());
        assertEquals("a record with the same identity already exists", e.getMessage());
        assertTrue(e.violations().isEmpty());
    }

    @Test
    void anUnreachableOrRefusingDatabaseIsUnavailable() {
        for (String state : List.of("08000", "08001", "08003", "08006", "08P01")) {
            ApiException e = api(state);
            assertEquals(Kind.UNAVAILABLE, e.kind(), state);
            assertEquals("the database cannot be reached; try again later", e.getMessage());
        }
        for (String state : List.of("57P01", "57P02", "57P03", "53300")) {
            ApiException e = api(state);
            assertEquals(Kind.UNAVAILABLE, e.kind(), state);
            assertEquals("the database is not accepting work at the moment; try again later", e.getMessage());
        }
    }

    /** The pool gives up waiting for a connection (PostgreSQL down, or all busy): no SQLSTATE, still UNAVAILABLE. */
    @Test
    void aPoolThatCannotHaveAConnectionInTimeIsUnavailable() {
        for (SQLException failure : List.of(new SQLException("Sorry, acquisition timeout!"),
                new SQLException("Acquisition timeout while waiting for new connection",
                        new java.util.concurrent.TimeoutException()))) {
            ApiException e = assertInstanceOf(ApiException.class, SqlErrors.translate(failure));
            assertEquals(Kind.UNAVAILABLE, e.kind());
            assertEquals("no database connection could be had in time (the database is down or every connection "
                    + "is busy); try again later", e.getMessage());
        }
    }

    @Test
    void anythingElseIsAnInternalFaultThatKeepsTheFailure() {
        for (String state : new String[] {"42P01", "23503", "22001", "XX000", null, ""}) {
            SQLException failure = new SQLException("ERROR: relation does not exist", state);
            RuntimeException translated = SqlErrors.translate(failure);
            assertInstanceOf(IllegalStateException.class, translated, "SQLSTATE " + state);
            assertEquals("database error", translated.getMessage());
            assertSame(failure, translated.getCause());
        }
    }

    @Test
    void theDatabaseMessageNeverReachesTheCaller() {
        for (String state : List.of("40001", "55P03", "57014", "23505", "08006", "57P01")) {
            ApiException e = api(state);
            assertFalse(e.getMessage().contains("t_x"), state);
            assertInstanceOf(SQLException.class, e.getCause(), "the failure is kept for the log");
        }
        // and what goes over gRPC is the translated status and message, not the SQL text
        Status status = GrpcErrors.toStatus(api("40P01")).getStatus();
        assertEquals(Status.Code.ABORTED, status.getCode());
        assertEquals("the change collided with a concurrent one and was not made; try again", status.getDescription());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, GrpcErrors.toStatus(api("57014")).getStatus().getCode());
        assertEquals(Status.Code.UNAVAILABLE, GrpcErrors.toStatus(api("08006")).getStatus().getCode());
        assertEquals(Status.Code.ALREADY_EXISTS, GrpcErrors.toStatus(api("23505")).getStatus().getCode());
        Status internal = GrpcErrors.toStatus(SqlErrors.translate(new SQLException("boom t_x", "42P01"))).getStatus();
        assertEquals(Status.Code.INTERNAL, internal.getCode());
        assertEquals("internal error", internal.getDescription());
    }

    @Test
    void theStateOfABatchsFailedStatementOrAWrappedDriverFailureCounts() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 3 was aborted", null, new int[0]);
        batch.setNextException(new SQLException("duplicate key", "23505"));
        assertEquals(Kind.ALREADY_EXISTS, ((ApiException) SqlErrors.translate(batch)).kind());

        SQLException pool = new SQLException("could not acquire a connection", null,
                new SQLException("connection refused", "08001"));
        assertEquals(Kind.UNAVAILABLE, ((ApiException) SqlErrors.translate(pool)).kind());

        // the outermost state wins when there are several
        SQLException outer = new SQLException("deadlock", "40P01");
        outer.setNextException(new SQLException("duplicate key", "23505"));
        assertEquals(Kind.ABORTED, ((ApiException) SqlErrors.translate(outer)).kind());
    }

    @Test
    void callAndRunPassResultsThroughAndTranslateFailures() {
        assertEquals(7, SqlErrors.call(() -> 7));
        List<String> ran = new ArrayList<>();
        SqlErrors.run(() -> ran.add("ran"));
        assertEquals(List.of("ran"), ran);
        ApiException e = assertThrows(ApiException.class, () -> SqlErrors.call(() -> {
            throw new SQLException("could not serialize access", "40001");
        }));
        assertEquals(Kind.ABORTED, e.kind());
        assertThrows(IllegalStateException.class, () -> SqlErrors.run(() -> {
            throw new SQLException("syntax error", "42601");
        }));
        RuntimeException unrelated = new IllegalArgumentException("not a database failure");
        assertSame(unrelated, assertThrows(IllegalArgumentException.class, () -> SqlErrors.run(() -> {
            throw unrelated;
        })));
    }

    @Test
    void aTransactionThatFailsIsRolledBackAndReportedTheSameWay() {
        List<String> calls = new ArrayList<>();
        Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    return null;
                });
        ApiException e = assertThrows(ApiException.class, () -> Transactions.inTransaction(() -> connection, c -> {
            throw new SQLException("could not obtain lock on row", "55P03");
        }));
        assertEquals(Kind.DEADLINE_EXCEEDED, e.kind());
        assertEquals(List.of("setAutoCommit", "rollback", "close"), calls);
    }
}
