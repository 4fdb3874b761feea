package org.mihub.prediction.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.mihub.common.access.AccessRule;
import org.mihub.common.access.SqlCondition;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.testing.PostgresResource;
import org.mihub.prediction.training.JobRecord;
import org.mihub.prediction.training.JobRepository;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The registry and the job table through Hibernate ORM on the Flyway schema (which Hibernate validates
 * in tests): what is stored reads back field for field, versions follow per organisation and name, a
 * failed insert leaves nothing and is reported as before (a unique violation is ALREADY_EXISTS).
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "prediction"))
@WithTestResource(OidcWiremockTestResource.class)
class ModelRepositoryTest {

    @Inject
    ModelRepository models;

    @Inject
    JobRepository jobs;

    private static ModelRecord model(UUID id, String org, String name) {
        return new ModelRecord(id, name, 0, "a description", org, "SHARED", List.of("kansai-u", "osaka"), "READY",
                "band_gap", "eV", "magpie", "3", 248, "RANDOM_FOREST", "{\"n_trees\": 60}", 42L,
                "[{\"dataset_id\": \"" + UUID.randomUUID() + "\", \"owner_org\": \"" + org + "\"}]",
                List.of("experiment", "simulation"), "MEAN", 16, "{\"k_folds\": 4}", 5, 0.95, 1.25, null, "abc",
                3, "alice", Instant.now().truncatedTo(ChronoUnit.MICROS), null);
    }

    private static List<OutOfFold> rows(int count) {
        List<OutOfFold> rows = new ArrayList<>();
        UUID dataset = UUID.randomUUID();
        for (int i = 0; i < count; i++) {
            rows.add(new OutOfFold(i, "m" + i, dataset, "FeO", i % 5, i, i + 0.5, 0.1));
        }
        return rows;
    }

    @Test
    void aStoredModelReadsBackFieldForFieldWithItsArtifactAndRows() {
        UUID id = UUID.randomUUID();
        String org = "org-" + id;
        ModelRecord given = model(id, org, "gap");
        byte[] artifact = {1, 2, 3, 0, -1};
        // more rows than one flush of the insert holds
        ModelRecord stored = models.insert(given, artifact, rows(ModelRepository.OUT_OF_FOLD_FLUSH + 7));
        assertEquals(1, stored.version());
        assertEquals(given.sharedWith(), stored.sharedWith());
        assertEquals(given.sources(), stored.sources());
        assertEquals(given.createdAt(), stored.createdAt());
        assertEquals(given.lineageDatasetIds(), stored.lineageDatasetIds());
        assertEquals("{\"n_trees\": 60}", stored.hyperParametersJson());
        assertEquals(new ModelRecord(id, "gap", 1, given.description(), org, "SHARED", given.sharedWith(), "READY",
                "band_gap", "eV", "magpie", "3", 248, "RANDOM_FOREST", stored.hyperParametersJson(), 42L,
                stored.lineageJson(), given.sources(), "MEAN", 16, stored.metricsJson(), 5, 0.95, 1.25, null, "abc", 3,
                "alice", given.createdAt(), null), stored);
        assertArrayEquals(artifact, models.artifact(id));
        List<OutOfFold> page = models.outOfFold(id, ModelRepository.OUT_OF_FOLD_FLUSH, 5);
        assertEquals(6, page.size(), "limit + 1 rows");
        assertEquals(rows(ModelRepository.OUT_OF_FOLD_FLUSH + 7).get(ModelRepository.OUT_OF_FOLD_FLUSH).position(),
                page.get(0).position());
        assertEquals(List.of(), models.outOfFold(id, Long.MAX_VALUE - 3, 5));

        // the next model of that name in that organisation is version 2, and the latest
        ModelRecord second = models.insert(model(UUID.randomUUID(), org, "gap"), artifact, rows(3));
        assertEquals(2, second.version());
        var latest = models.list(new SqlCondition("TRUE", List.of()),
                new ModelRepository.Filter("gap", null, null, null, org, true), 0, 10);
        assertEquals(List.of(second.id()), latest.stream().map(ModelRecord::id).toList());
        // the access rule in SQL: anonymous callers see no SHARED model, a named organisation does
        var filter = new ModelRepository.Filter("gap", null, null, null, org, false);
        assertEquals(List.of(), models.list(AccessRule.readCondition(Optional.empty(), ModelRepository.SHARING),
                filter, 0, 10));
        latest = models.list(AccessRule.readCondition(Optional.of(new Caller("bob", "osaka", Set.of("member"), "bob",
                null)), ModelRepository.SHARING), filter, 0, 10);
        // newest first
        assertEquals(List.of(second.id(), id), latest.stream().map(ModelRecord::id).toList());
    }

    @Test
    void aFailedInsertLeavesNothingAndAUniqueViolationIsAlreadyExists() {
        UUID id = UUID.randomUUID();
        // a position written twice, the first time in an earlier flush: the database refuses the second
        List<OutOfFold> clash = new ArrayList<>(rows(ModelRepository.OUT_OF_FOLD_FLUSH + 2));
        clash.add(rows(1).get(0));
        ApiException failure = assertThrows(ApiException.class,
                () -> models.insert(model(id, "org-" + id, "clash"), new byte[] {9}, clash));
        assertEquals(ApiException.Kind.ALREADY_EXISTS, failure.kind());
        assertTrue(models.find(id).isEmpty(), "the model row was rolled back with its out-of-fold rows");
        assertThrows(IllegalStateException.class, () -> models.artifact(id), "no artifact was left behind");

        ModelRecord stored = models.insert(model(id, "org-" + id, "clash"), new byte[] {9}, rows(2));
        ApiException again = assertThrows(ApiException.class,
                () -> models.insert(stored, new byte[] {9}, rows(2)));
        assertEquals(ApiException.Kind.ALREADY_EXISTS, again.kind());
    }

    @Test
    void archivingOnceKeepsTheFirstReason() {
        UUID id = UUID.randomUUID();
        models.insert(model(id, "org-" + id, "archived"), new byte[] {1}, rows(2));
        models.archive(id, "superseded");
        ModelRecord archived = models.find(id).orElseThrow();
        assertEquals("ARCHIVED", archived.status());
        assertNotNull(archived.archivedAt());
        models.archive(id, "again");
        assertEquals(archived.archivedAt(), models.find(id).orElseThrow().archivedAt());
    }

    @Test
    void aQueuedJobReadsBackWithTheDatabasesTimes() {
        UUID id = UUID.randomUUID();
        jobs.insert(id, "train-model", "acme", "alice", "{\"name\": \"gap\"}", null, "elsewhere/worker");
        JobRecord job = jobs.find(id).orElseThrow();
        assertEquals("QUEUED", job.state());
        assertEquals(0, job.progress());
        assertEquals("", job.message());
        assertEquals("acme", job.ownerOrg());
        assertEquals("alice", job.createdBy());
        assertNull(job.resultId());
        assertNotNull(job.createdAt());
        assertEquals(job.createdAt(), job.updatedAt());
        assertTrue(jobs.find(UUID.randomUUID()).isEmpty());
        ApiException twice = assertThrows(ApiException.class,
                () -> jobs.insert(id, "train-model", "acme", "alice", "{}", null, "elsewhere/worker"));
        assertEquals(ApiException.Kind.ALREADY_EXISTS, twice.kind());
    }
}
