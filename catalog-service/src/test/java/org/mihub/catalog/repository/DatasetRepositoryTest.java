package org.mihub.catalog.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.mihub.catalog.service.Dataset;
import org.mihub.common.access.Visibility;
import org.mihub.common.error.ApiException;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.common.sql.Transactions;
import org.mihub.common.testing.PostgresResource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The dataset entity against the Flyway schema (the test profile starts Hibernate with schema
 * validation, so a mapping that disagrees stops every test): what the entity writes is what the
 * JDBC paths read, the visibility in effect agrees between Java and SQL, a failed transaction
 * leaves nothing behind and a database failure is reported as before.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
class DatasetRepositoryTest {

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetSql datasetSql;

    @Inject
    DataSource dataSource;

    @Test
    void whatTheEntityStoresIsWhatTheMigrationsDefineAndTheJdbcPathsRead() throws SQLException {
        Instant until = Instant.now().truncatedTo(ChronoUnit.MICROS).plus(30, ChronoUnit.DAYS);
        Dataset draft = draft(UUID.randomUUID(), Visibility.SHARED, List.of("kansai-u", "hub"),
                new Dataset.Embargo(until, Visibility.PUBLIC));
        Dataset stored = EntityTransactions.requiringNew(() -> datasets.insert(draft));

        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT visibility, shared_with, embargo_visibility, version, row_count FROM dataset WHERE id = ?")) {
            select.setObject(1, draft.id());
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                assertEquals("SHARED", row.getString(1));
                assertEquals(List.of("kansai-u", "hub"), Arrays.asList((String[]) row.getArray(2).getArray()));
                assertEquals("PUBLIC", row.getString(3));
                assertEquals(1, row.getInt(4));
                assertEquals(0, row.getLong(5));
            }
        }
        assertEquals(Visibility.SHARED, stored.visibility());
        assertEquals(until, stored.embargo().until());
        assertEquals(stored, EntityTransactions.requiringNew(() -> datasets.find(draft.id())).orElseThrow());
        assertEquals(stored, lockedByIngest(draft.id()).orElseThrow());
    }

    @Test
    void aPassedEmbargoIsInEffectAlikeInJavaAndInSql() throws SQLException {
        Dataset draft = draft(UUID.randomUUID(), Visibility.PRIVATE, List.of(),
                new Dataset.Embargo(Instant.now().plus(1, ChronoUnit.DAYS), Visibility.CONSORTIUM));
        EntityTransactions.requiringNew(() -> datasets.insert(draft));
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection
                .prepareStatement("UPDATE dataset SET embargo_until = now() - interval '1 minute' WHERE id = ?")) {
            update.setObject(1, draft.id());
            update.executeUpdate();
        }
        Dataset read = EntityTransactions.requiringNew(() -> datasets.find(draft.id())).orElseThrow();
        assertEquals(Visibility.CONSORTIUM, read.visibility());
        assertEquals(null, read.embargo());
        assertEquals(read, lockedByIngest(draft.id()).orElseThrow());
    }

    @Test
    void aDuplicateIsAlreadyExistsAndItsTransactionWritesNothing() throws SQLException {
        Dataset draft = draft(UUID.randomUUID(), Visibility.PRIVATE, List.of(), null);
        EntityTransactions.requiringNew(() -> datasets.insert(draft));
        ApiException duplicate = assertThrows(ApiException.class, () -> EntityTransactions.requiringNew(() -> {
            datasets.audit(draft.id(), "alice", "acme", "probe", "{\"step\":1}");
            return datasets.insert(draft);
        }));
        assertEquals(ApiException.Kind.ALREADY_EXISTS, duplicate.kind());
        assertEquals(0, auditRows(draft.id(), "probe"));
    }

    @Test
    void anApiExceptionPassesUnchangedAndRollsBack() {
        Dataset draft = draft(UUID.randomUUID(), Visibility.PUBLIC, List.of(), null);
        ApiException refusal = ApiException.denied("no");
        assertSame(refusal, assertThrows(ApiException.class, () -> EntityTransactions.requiringNew(() -> {
            datasets.insert(draft);
            throw refusal;
        })));
        assertEquals(Optional.empty(), EntityTransactions.requiringNew(() -> datasets.find(draft.id())));
    }

    @Test
    void aDeletedDatasetIsNotFoundOnEitherPath() throws SQLException {
        Dataset draft = draft(UUID.randomUUID(), Visibility.PUBLIC, List.of(), null);
        EntityTransactions.requiringNew(() -> datasets.insert(draft));
        Instant at = EntityTransactions.requiringNew(() -> {
            datasets.findForUpdate(draft.id()).orElseThrow();
            return datasets.softDelete(draft.id(), "alice", "test");
        });
        assertTrue(!at.isAfter(Instant.now()));
        assertEquals(Optional.empty(), EntityTransactions.requiringNew(() -> datasets.find(draft.id())));
        assertEquals(Optional.empty(), lockedByIngest(draft.id()));
    }

    /** The dataset as the ingest reads it: locked on its own JDBC connection. */
    private Optional<Dataset> lockedByIngest(UUID id) {
        return Transactions.inTransaction(dataSource::getConnection,
                connection -> datasetSql.lockForIngest(connection, id));
    }

    private long auditRows(UUID id, String action) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement count = connection
                .prepareStatement("SELECT count(*) FROM dataset_audit WHERE dataset_id = ? AND action = ?")) {
            count.setObject(1, id);
            count.setString(2, action);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Dataset draft(UUID id, Visibility visibility, List<String> sharedWith, Dataset.Embargo embargo) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new Dataset(id, "acme", "entity " + id, "", "CC-BY-4.0", visibility, sharedWith, embargo, "", null, 1, 0,
                "alice", now, now);
    }
}
