package org.mihub.prediction.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportHeader;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.DatasetRef;
import org.mihub.api.prediction.v1.Hyperparameters;
import org.mihub.api.prediction.v1.RandomForestParams;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.jobs.JobTable;
import org.mihub.common.identity.Caller;
import org.mihub.common.testing.PostgresResource;
import org.mihub.prediction.client.CatalogClient;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.features.Featurisers;
import org.mihub.prediction.mapping.StoredTrainingRequests;
import org.mihub.prediction.model.RandomForest;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.registry.ModelRepository;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * A training job whose work throws an Error (running out of memory while featurising 16 rows, say)
 * ends FAILED at once, with a message that says what was asked for, what the service has and what
 * to do; not two minutes later as "the process running the job stopped". A job whose process was
 * killed is taken up again from what was stored for it. The catalog is a stand-in reader for the
 * duration of each test, and the Error comes from the request's featuriser.
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

    @Inject
    JobRepository jobs;

    @Inject
    ModelRepository models;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void catalogWithSixteenRows() {
        QuarkusMock.installMockForType(new CatalogClient() {
            @Override
            public byte[] snapshot(String id, Integer version, String property, List<String> sources) {
                return sixteenRows(id);
            }
        }, CatalogClient.class);
    }

    /** A catalog export of sixteen oxides with a band gap each, as the catalog streams it. */
    static byte[] sixteenRows(String datasetId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            ExportDatasetResponse.newBuilder().setHeader(ExportHeader.newBuilder().setDatasetVersion(1)
                    .setDataset(Dataset.newBuilder().setId(datasetId).setOwnerOrg("acme")
                            .setVisibility(Visibility.PRIVATE))).build().writeDelimitedTo(out);
            for (String formula : FORMULAS) {
                ExportDatasetResponse.newBuilder().setMaterial(Material.newBuilder()
                        .setId(UUID.randomUUID().toString()).setDatasetId(datasetId).setFormula(formula)
                        .addMeasurements(Measurement.newBuilder().setProperty("band_gap")
                                .setValue(Quantity.newBuilder().setValue(formula.length()).setUnit("eV"))))
                        .build().writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Jobs are read back from their stored request: here, the request with the stand-in featuriser. */
    private void storedRequestIs(TrainingRequest request) {
        QuarkusMock.installMockForType(new StoredTrainingRequests() {
            @Override
            public TrainingRequest read(byte[] stored) {
                return request;
            }
        }, StoredTrainingRequests.class);
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
        TrainingRequest request = request(throwing(() -> new OutOfMemoryError("Java heap space")));
        storedRequestIs(request);
        JobRecord submitted = training.submit(ALICE, "token", request, new byte[0]);
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
        storedRequestIs(request(throwing(StackOverflowError::new)));
        JobRecord first = training.submit(ALICE, "token", request(throwing(StackOverflowError::new)), new byte[0]);
        JobRecord job = ended(first.id());
        storedRequestIs(request(throwing(() -> new AssertionError("broken"))));
        JobRecord second = training.submit(ALICE, "token", request(throwing(() -> new AssertionError("broken"))),
                new byte[0]);
        assertEquals("FAILED", job.state());
        assertEquals("training failed: StackOverflowError", job.message());
        JobRecord next = ended(second.id());
        assertEquals("FAILED", next.state(), "the training thread survived the first Error and ran the next job");
        assertEquals("training failed: AssertionError", next.message());
        assertTrue(next.updatedAt().isAfter(job.createdAt()));
    }

    /**
     * A job whose process was killed while it trained (its lease held by a worker of another host
     * that renews it no more) is taken up by this process once the lease ran out, from its stored
     * request and data, and succeeds: attempt 1 says its process stopped, attempt 2 is this one's;
     * the copy of the data is gone once the job ended.
     */
    @Test
    void aJobWhoseProcessWasKilledIsTakenUpAgainFromItsStoredRequestAndData() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] stored = TrainModelRequest.newBuilder().setName("resumed").setTargetProperty("band_gap")
                .addDatasets(DatasetRef.newBuilder().setDatasetId(datasetId)).setSeed(11).setKFolds(2)
                .setAlgorithm(Algorithm.ALGORITHM_RANDOM_FOREST).setHyperparameters(Hyperparameters.newBuilder()
                        .setRandomForest(RandomForestParams.newBuilder().setNTrees(20))).build().toByteArray();
        jobs.insert(id, "train-model", "acme", "alice", "{}", stored, "killed-host/worker");
        JobTable<UUID> table = jobs.table(3);
        table.storeInputs(id, List.of(sixteenRows(datasetId)));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE job SET state = 'RUNNING', progress = 0.4, attempts = 1, "
                    + "lease_until = now() + interval '500 milliseconds' WHERE id = '" + id + "'");
            statement.execute("INSERT INTO job_attempt (job_id, number, worker) VALUES ('" + id
                    + "', 1, 'killed-host/worker')");
        }
        JobRecord job = ended(id);
        assertEquals("SUCCEEDED", job.state(), job.message());
        ModelRecord model = models.find(job.resultId()).orElseThrow();
        assertEquals("resumed", model.name());
        assertEquals("acme", model.ownerOrg());
        assertEquals("alice", model.createdBy());
        assertEquals(11, model.seed());
        assertEquals("magpie", model.featuriser(), "no featuriser asked: the default");
        assertEquals("matminer-v1", model.featuriserVersion(), "a new model records magpie-matminer-v1");
        assertEquals(132, model.featureCount());
        assertEquals(14, model.trainingRows(), "16 rows, 14 distinct compositions (Fe2NiO4 is NiFe2O4)");
        // the permutation importance of every feature on the 2 folds, with the featuriser's names
        var importance = new com.fasterxml.jackson.databind.ObjectMapper().readTree(model.metricsJson())
                .path("permutation_importance");
        assertEquals("mae", importance.path("metric").asText());
        assertEquals(2, importance.path("folds").asInt());
        assertEquals(3, importance.path("repeats").asInt());
        assertEquals(model.featureCount(), importance.path("features").size());
        List<String> names = Featurisers.get(model.featuriser(), model.featuriserVersion()).featureNames();
        for (int f = 0; f < names.size(); f++) {
            var feature = importance.path("features").get(f);
            assertEquals(names.get(f), feature.path("name").asText());
            assertEquals(6, feature.path("count").asInt(), "2 folds x 3 repeats");
        }
        assertEquals(2, job.attempts().size());
        assertTrue(job.attempts().get(0).outcome().startsWith("its process (killed-host/worker) stopped"),
                job.attempts().get(0).outcome());
        assertEquals(2, job.attempts().get(1).number());
        assertTrue(job.attempts().get(1).outcome().startsWith("succeeded: model resumed version"));
        assertEquals(List.of(), table.inputs(id), "the copy of the catalog's rows went with the job's end");
    }

    /** A job whose process stopped before it had read its data fails at once, saying why. */
    @Test
    void aJobWhoseProcessStoppedBeforeItReadItsDataFailsAtOnceSayingSo() throws Exception {
        UUID id = UUID.randomUUID();
        jobs.insert(id, "train-model", "acme", "alice", "{}", new byte[0], "killed-host/worker");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE job SET lease_until = now() - interval '1 second' WHERE id = '" + id + "'");
        }
        JobRecord job = ended(id);
        assertEquals("FAILED", job.state());
        assertEquals("the service stopped before it had read the job's data from the catalog (they are read as you, "
                + "once, and kept for the job); submit it again", job.message());
    }
}
