package org.mihub.prediction.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.identity.Caller;
import org.mihub.common.testing.PostgresResource;
import org.mihub.prediction.client.CatalogClient;
import org.mihub.prediction.client.CatalogDataset;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.features.Featurisers;
import org.mihub.prediction.model.RandomForest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * A training job whose work throws an Error (running out of memory while featurising 16 rows, say)
 * ends FAILED at once, with a message that says what was asked for, what the service has and what
 * to do; not two minutes later as "the process running the job stopped". The catalog is a stand-in
 * reader for the duration of each test, and the Error comes from the request's featuriser.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "prediction"))
@WithTestResource(OidcWiremockTestResource.class)
class TrainingJobTest {

    private static final Caller ALICE = new Caller("alice", "acme", Set.of("member", "contributor"), "alice", null);
    private static final List<String> FORMULAS = List.of("FeO", "Fe2O3", "Fe3O4", "CoO", "Co3O4", "NiO", "Ni2O3",
            "FeCoO3", "FeNiO3", "CoNiO3", "Fe2CoO4", "Fe2NiO4", "Co2NiO4", "FeCo2O4", "NiFe2O4", "CoFe2O4");

    @Inject
    TrainingService training;

    private final String datasetId = UUID.randomUUID().toString();

    @BeforeEach
    void catalogWithSixteenRows() {
        QuarkusMock.installMockForType(new CatalogClient() {
            @Override
            public Export export(String id, Integer version, String property, List<String> sources) {
                List<Row> rows = FORMULAS.stream().map(formula -> new Row(UUID.randomUUID().toString(), id, formula,
                        formula.length())).toList();
                return new Export(new CatalogDataset(id, "acme", "PRIVATE", List.of()), 1, "eV", rows);
            }
        }, CatalogClient.class);
    }

    /** The default featuriser, except that featurising throws what {@code error} gives. */
    private static Featuriser throwing(Supplier<Error> error) {
        Featuriser magpie = Featurisers.get(Featurisers.DEFAULT, null);
        return new Featuriser() {
            public String name() {
                return magpie.name();
            }

            public String version() {
                return magpie.version();
            }

            public List<String> featureNames() {
                return magpie.featureNames();
            }

            public String description() {
                return magpie.description();
            }

            public String missingDataRule() {
                return magpie.missingDataRule();
            }

            @Override
            public double[] featurise(Composition composition) {
                throw error.get();
            }

            public void featurise(Composition composition, double[] out, int offset) {
                throw error.get();
            }
        };
    }

    private TrainingRequest request(Featuriser featuriser) {
        return new TrainingRequest("gap", "", List.of(new TrainingRequest.DatasetVersion(datasetId, null)), "band_gap",
                List.of(), featuriser, new RandomForest.Params(300, 0, 1, RandomForest.Params.CHOOSE, 7), 5, "MEAN", 5,
                0.95);
    }

    /** The job once it ended; well before the two minutes after which a silent job is failed as abandoned. */
    private JobRecord ended(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JobRecord job = training.job(Optional.of(ALICE), id);
            if (job.finished()) {
                return job;
            }
            Thread.sleep(50);
        }
        return fail("job " + id + " did not end: " + training.job(Optional.of(ALICE), id));
    }

    @Test
    void aJobThatRunsOutOfMemoryFailsAtOnceSayingWhatItAskedForAndWhatToDo() throws Exception {
        JobRecord submitted = training.submit(ALICE, "token", request(
                throwing(() -> new OutOfMemoryError("Java heap space"))));
        JobRecord job = ended(submitted.id());
        assertEquals("FAILED", job.state());
        int features = Featurisers.get(Featurisers.DEFAULT, null).featureNames().size();
        long heap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        assertEquals("training ran out of memory (Java heap space): the job asked for 16 rows × " + features
                + " features, a random forest of 300 trees, 5-fold cross-validation, and prediction-service has its "
                + "heap of " + heap + " MiB (Runtime.maxMemory). Train on fewer rows (fewer or smaller datasets) or "
                + "on fewer trees, or give prediction-service a larger heap: -Xmx in the launcher (Service.java of "
                + "the launcher module), or the memory limit of its container in Kubernetes "
                + "(k8s/base/prediction-service.yaml; the heap is 75% of it).", job.message());
        assertEquals(null, job.resultId(), "no model");
    }

    @Test
    void anyOtherErrorFailsTheJobAtOnceAndTheNextJobStillRuns() throws Exception {
        JobRecord first = training.submit(ALICE, "token", request(throwing(StackOverflowError::new)));
        JobRecord second = training.submit(ALICE, "token", request(throwing(() -> new AssertionError("broken"))));
        JobRecord job = ended(first.id());
        assertEquals("FAILED", job.state());
        assertEquals("training failed: StackOverflowError", job.message());
        JobRecord next = ended(second.id());
        assertEquals("FAILED", next.state(), "the training thread survived the first Error and ran the next job");
        assertEquals("training failed: AssertionError", next.message());
        assertTrue(next.updatedAt().isAfter(job.createdAt()));
    }
}
