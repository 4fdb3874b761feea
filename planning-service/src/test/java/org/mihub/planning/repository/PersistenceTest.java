package org.mihub.planning.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.SQLException;
import java.util.List;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;
import org.mihub.common.error.ApiException;
import org.mihub.common.sql.EntityTransactions;

/** How a failed transaction on planning's entities is reported (common EntityTransactions): as SqlErrors reports the SQLException behind it. */
class PersistenceTest {

    @Test
    void aVersionConflictIsACollisionToTryAgain() {
        RuntimeException reported = EntityTransactions.translate(new OptimisticLockException("row was updated"));
        assertEquals(ApiException.Kind.ABORTED, assertInstanceOf(ApiException.class, reported).kind());
        RuntimeException atCommit = EntityTransactions.translate(new IllegalStateException("commit failed",
                new org.hibernate.StaleObjectStateException("CampaignEntity", "id")));
        assertEquals(ApiException.Kind.ABORTED, assertInstanceOf(ApiException.class, atCommit).kind());
    }

    @Test
    void aUniqueViolationBehindHibernatesExceptionIsAlreadyExists() {
        SQLException unique = new SQLException("duplicate key value violates unique constraint", "23505");
        RuntimeException wrapped = new RuntimeException("transaction rolled back",
                new ConstraintViolationException("could not execute statement", unique, "proposal_batch_key"));
        ApiException reported = assertInstanceOf(ApiException.class, EntityTransactions.translate(wrapped));
        assertEquals(ApiException.Kind.ALREADY_EXISTS, reported.kind());
        assertEquals("a record with the same identity already exists", reported.getMessage(),
                "the database's own message does not reach the caller");
    }

    @Test
    void theWorksOwnRefusalPassesUnchangedAndOtherFaultsStayFaults() {
        ApiException refused = new ApiException(ApiException.Kind.FAILED_PRECONDITION, "no", List.of());
        assertSame(refused, EntityTransactions.translate(refused));
        assertSame(refused, EntityTransactions.translate(new RuntimeException("rolled back", refused)));
        IllegalStateException fault = new IllegalStateException("proposal x was resolved concurrently");
        assertSame(fault, EntityTransactions.translate(fault));
    }
}
