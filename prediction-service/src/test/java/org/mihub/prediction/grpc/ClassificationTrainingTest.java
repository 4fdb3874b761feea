package org.mihub.prediction.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportHeader;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.ClassificationMetrics;
import org.mihub.api.prediction.v1.CompositionBatch;
import org.mihub.api.prediction.v1.CompositionInput;
import org.mihub.api.prediction.v1.DatasetRef;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.GradientBoostingParams;
import org.mihub.api.prediction.v1.Hyperparameters;
import org.mihub.api.prediction.v1.ListOutOfFoldPredictionsRequest;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.OutOfFoldPrediction;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictStreamHeader;
import org.mihub.api.prediction.v1.PredictStreamRequest;
import org.mihub.api.prediction.v1.PredictStreamResponse;
import org.mihub.api.prediction.v1.PredictedClass;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;
import org.mihub.api.prediction.v1.RandomForestParams;
import org.mihub.api.prediction.v1.Task;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.testing.PostgresResource;
import org.mihub.prediction.client.CatalogClient;

import com.google.rpc.BadRequest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Classifiers end to end over gRPC on a real PostgreSQL: a boolean target (metal or not) and a
 * categorical one (the anion of a binary compound, one vocabulary label absent from the data) train
 * through the job runner, store their cross-validated metrics, calibration and out-of-fold
 * probabilities, and predict calibrated class probabilities with the domain flag, unary and in a
 * stream; requests that do not fit the target are refused naming the field, and data a classifier
 * cannot learn from fail the job saying why. The catalog is a stand-in reader (its vocabulary and its
 * exports), as in TrainingJobTest; the real catalog answers in the launcher's SuiteIT.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "prediction"))
@WithTestResource(OidcWiremockTestResource.class)
class ClassificationTrainingTest {

    private static final String ACME = PredictionGrpcTest.token("alice", "acme", "member", "contributor");
    private static final List<String> METALS = List.of("Fe", "Co", "Ni", "Cu", "Zn", "Al", "Ti", "Cr", "Mn", "Ag",
            "Mg", "V");
    private static final Map<String, String> ANIONS = Map.of("O", "oxide", "F", "fluoride", "Cl", "chloride",
            "S", "sulfide");

    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 18082).usePlaintext().build();
    /** Dataset id to the materials its export holds: formula and label. */
    private final Map<String, Map<String, String>> datasets = new LinkedHashMap<>();

    @BeforeEach
    void catalog() {
        QuarkusMock.installMockForType(new CatalogClient() {
            @Override
            public byte[] snapshot(String id, Integer version, String property, List<String> sources) {
                return export(id, property, datasets.get(id));
            }

            @Override
            public Optional<TargetProperty> property(String name) {
                return switch (name) {
                    case "is_metal" -> Optional.of(new TargetProperty(name, ValueType.BOOLEAN, List.of()));
                    case "anion" -> Optional.of(new TargetProperty(name, ValueType.CATEGORICAL,
                            List.of("nitride", "oxide", "fluoride", "chloride", "sulfide")));
                    case "band_gap" -> Optional.of(new TargetProperty(name, ValueType.NUMERIC, List.of()));
                    case "remark" -> Optional.of(new TargetProperty(name, ValueType.TEXT, List.of()));
                    default -> Optional.empty();
                };
            }

            @Override
            public Set<String> visibleDatasets(Collection<String> ids) {
                return new HashSet<>(ids);
            }

            @Override
            public void recordDerivedReads(Map<String, Long> rowsPerDataset) {
            }
        }, CatalogClient.class);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    /** A catalog export: one material per formula with one labelled measurement of {@code property}. */
    private static byte[] export(String datasetId, String property, Map<String, String> materials) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            ExportDatasetResponse.newBuilder().setHeader(ExportHeader.newBuilder().setDatasetVersion(1)
                    .setDataset(Dataset.newBuilder().setId(datasetId).setOwnerOrg("acme")
                            .setVisibility(Visibility.PRIVATE))).build().writeDelimitedTo(out);
            for (var material : materials.entrySet()) {
                ExportDatasetResponse.newBuilder().setMaterial(Material.newBuilder()
                        .setId(UUID.randomUUID().toString()).setDatasetId(datasetId).setFormula(material.getKey())
                        .addMeasurements(Measurement.newBuilder().setProperty(property).setLabel(material.getValue()))
                        // a numeric measurement of another property is not a row
                        .addMeasurements(Measurement.newBuilder().setProperty("density")
                                .setValue(Quantity.newBuilder().setValue(5).setUnit("g/cm3"))))
                        .build().writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Binary alloys of two metals (metals: "true") and binary compounds of a metal with O, F, Cl or S ("false"). */
    private static Map<String, String> metalOrNot() {
        Map<String, String> rows = new LinkedHashMap<>();
        for (int a = 0; a < METALS.size(); a++) {
            for (int b = a + 1; b < METALS.size(); b += 3) {
                rows.put(METALS.get(a) + METALS.get(b) + (a % 2 + 1), "true");
            }
            for (String anion : ANIONS.keySet()) {
                rows.put(METALS.get(a) + anion + (a % 3 + 1), "false");
            }
        }
        return rows;
    }

    /** Binary compounds of a metal with an anion, labelled by the anion ("oxide"...). */
    private static Map<String, String> anions() {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String metal : METALS) {
            for (var anion : ANIONS.entrySet()) {
                for (int n = 1; n <= 2; n++) {
                    rows.put(metal + anion.getKey() + (n + (metal.length() == 1 ? 1 : 0)), anion.getValue());
                }
            }
        }
        return rows;
    }

    private String dataset(Map<String, String> rows) {
        String id = UUID.randomUUID().toString();
        datasets.put(id, rows);
        return id;
    }

    private PredictionServiceGrpc.PredictionServiceBlockingStub stub() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ACME);
        return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private Job ended(Job job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Job now = stub().getJob(JobRef.newBuilder().setJobId(job.getId()).build());
            if (now.getState() == JobState.SUCCEEDED || now.getState() == JobState.FAILED
                    || now.getState() == JobState.CANCELLED) {
                return now;
            }
            Thread.sleep(100);
        }
        return fail("job " + job.getId() + " did not end");
    }

    private static TrainModelRequest.Builder request(String name, String property, String dataset) {
        return TrainModelRequest.newBuilder().setName(name).setTargetProperty(property).setSeed(5)
                .addDatasets(DatasetRef.newBuilder().setDatasetId(dataset));
    }

    @Test
    void aBooleanTargetTrainsACalibratedForestThatPredictsClassProbabilities() throws Exception {
        Map<String, String> rows = metalOrNot();
        Job job = ended(stub().trainModel(request("metal", "is_metal", dataset(rows))
                .setHyperparameters(Hyperparameters.newBuilder().setRandomForest(RandomForestParams.newBuilder()
                        .setNTrees(80))).build()));
        assertEquals(JobState.SUCCEEDED, job.getState(), job.getMessage());
        Model model = stub().getModel(GetModelRequest.newBuilder().setId(job.getResultId()).build());
        assertEquals(Task.TASK_CLASSIFICATION, model.getTask());
        assertEquals(List.of("false", "true"), model.getClassesList());
        assertEquals(Algorithm.ALGORITHM_RANDOM_FOREST, model.getAlgorithm());
        assertEquals(80, model.getHyperparameters().getRandomForest().getNTrees());
        assertEquals(rows.size(), model.getTrainingRows());
        ClassificationMetrics overall = model.getMetrics().getClassificationOverall();
        assertEquals(rows.size(), overall.getCount());
        assertTrue(overall.getAccuracy() > 0.85, "accuracy " + overall.getAccuracy());
        assertTrue(overall.getBalancedAccuracy() > 0.8, "balanced accuracy " + overall.getBalancedAccuracy());
        assertTrue(overall.getRocAuc() > 0.9, "ROC-AUC " + overall.getRocAuc());
        assertTrue(overall.getLogLoss() > 0 && overall.getLogLoss() < 0.5, "log-loss " + overall.getLogLoss());
        assertTrue(overall.getBrier() < 0.15, "Brier " + overall.getBrier());
        assertEquals(10, overall.getReliabilityCount());
        assertEquals(rows.size(), overall.getReliabilityList().stream().mapToLong(bin -> bin.getCount()).sum());
        assertEquals(4, overall.getConfusionCount());
        assertEquals(rows.size(), overall.getConfusionList().stream().mapToLong(Long::longValue).sum());
        assertEquals(5, model.getMetrics().getClassificationFoldsCount());
        assertEquals(0, model.getMetrics().getFoldsCount(), "no regression metrics");
        var calibration = model.getMetrics().getCalibration();
        assertTrue(Set.of("isotonic", "platt").contains(calibration.getMethod()), calibration.toString());
        assertEquals(Math.min(calibration.getIsotonicLogLoss(), calibration.getPlattLogLoss()),
                calibration.getMethod().equals("isotonic") ? calibration.getIsotonicLogLoss()
                        : calibration.getPlattLogLoss(), 0.0, "the method with the smaller nested log-loss");

        var outOfFold = stub().listOutOfFoldPredictions(ListOutOfFoldPredictionsRequest.newBuilder()
                .setModelId(model.getId()).build());
        assertEquals(rows.size(), outOfFold.getPredictionsCount());
        Map<String, String> byReducedFormula = new LinkedHashMap<>();
        rows.forEach((formula, label) -> byReducedFormula.put(FormulaParser.parse(formula).reducedFormula(), label));
        assertEquals(rows.size(), byReducedFormula.size(), "distinct compositions");
        long right = 0;
        for (OutOfFoldPrediction row : outOfFold.getPredictionsList()) {
            assertEquals(2, row.getProbabilitiesCount());
            assertEquals(1.0, row.getProbabilities(0) + row.getProbabilities(1), 1e-9);
            assertEquals(byReducedFormula.get(row.getReducedFormula()).equals("true") ? 1.0 : 0.0, row.getObserved(), 0.0,
                    row.getReducedFormula());
            right += row.getObserved() == row.getMean() ? 1 : 0;
        }
        assertEquals(overall.getAccuracy(), right / (double) rows.size(), 1e-12, "metrics from the stored rows");

        var response = stub().predict(PredictRequest.newBuilder().setModelId(model.getId())
                .addInputs(CompositionInput.newBuilder().setId("alloy").setFormula("FeNi3"))
                .addInputs(CompositionInput.newBuilder().setId("oxide").setFormula("FeO"))
                .addInputs(CompositionInput.newBuilder().setId("bad").setFormula("Fe2Qq")).build());
        assertEquals(Task.TASK_CLASSIFICATION, response.getModel().getTask());
        assertEquals(List.of("false", "true"), response.getModel().getClassesList());
        PredictedClass alloy = response.getPredictions(0).getClassPrediction();
        assertEquals("true", alloy.getPredictedClass());
        assertEquals("false", alloy.getProbabilities(0).getLabel());
        assertEquals(1.0, alloy.getProbabilities(0).getProbability() + alloy.getProbabilities(1).getProbability(),
                1e-9);
        assertTrue(alloy.getProbabilities(1).getProbability() > 0.5);
        assertTrue(alloy.getDomainDistance() >= 0);
        assertEquals("false", response.getPredictions(1).getClassPrediction().getPredictedClass());
        assertTrue(response.getPredictions(1).getClassPrediction().getInDomain(), "a training composition");
        assertTrue(response.getPredictions(2).hasError(), "a bad formula is its item's error");

        var unexplained = assertThrows(StatusRuntimeException.class, () -> stub().predict(PredictRequest
                .newBuilder().setModelId(model.getId()).setExplain(true)
                .addInputs(CompositionInput.newBuilder().setFormula("FeNi3")).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, unexplained.getStatus().getCode());
        assertTrue(unexplained.getStatus().getDescription().contains("classifier"),
                unexplained.getStatus().getDescription());
    }

    @Test
    void aCategoricalTargetTrainsBoostedTreesOverTheClassesThatOccurAndStreamsPredictions() throws Exception {
        Map<String, String> rows = anions();
        Job job = ended(stub().trainModel(request("anion", "anion", dataset(rows)).setKFolds(4)
                .setAlgorithm(Algorithm.ALGORITHM_GRADIENT_BOOSTING)
                .setHyperparameters(Hyperparameters.newBuilder().setGradientBoosting(GradientBoostingParams.newBuilder()
                        .setNEstimators(60).setLearningRate(0.2).setMaxDepth(3).setMinSamplesLeaf(2))).build()));
        assertEquals(JobState.SUCCEEDED, job.getState(), job.getMessage());
        Model model = stub().getModel(GetModelRequest.newBuilder().setId(job.getResultId()).build());
        assertEquals(List.of("oxide", "fluoride", "chloride", "sulfide"), model.getClassesList(),
                "the vocabulary's order, without 'nitride', which no row has");
        assertEquals(Algorithm.ALGORITHM_GRADIENT_BOOSTING, model.getAlgorithm());
        assertEquals(60, model.getHyperparameters().getGradientBoosting().getNEstimators());
        ClassificationMetrics overall = model.getMetrics().getClassificationOverall();
        assertEquals(16, overall.getConfusionCount());
        assertTrue(overall.getAccuracy() > 0.85, "accuracy " + overall.getAccuracy());
        assertTrue(overall.getRocAuc() > 0.9, "macro one-vs-rest ROC-AUC " + overall.getRocAuc());
        assertEquals(4, model.getMetrics().getClassificationFoldsCount());

        List<PredictStreamResponse> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ACME);
        var requests = PredictionServiceGrpc.newStub(channel).withInterceptors(MetadataUtils
                .newAttachHeadersInterceptor(headers)).predictStream(new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(PredictStreamResponse value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        requests.onNext(PredictStreamRequest.newBuilder().setHeader(PredictStreamHeader.newBuilder()
                .setModelId(model.getId())).build());
        requests.onNext(PredictStreamRequest.newBuilder().setInputs(CompositionBatch.newBuilder()
                .addInputs(CompositionInput.newBuilder().setFormula("NiCl2"))
                .addInputs(CompositionInput.newBuilder().setFormula("MgO"))).build());
        requests.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        assertEquals(2, received.size());
        assertEquals(List.of("oxide", "fluoride", "chloride", "sulfide"), received.get(0).getModel().getClassesList());
        var predictions = received.get(1).getPredictions();
        assertEquals("chloride", predictions.getPredictions(0).getClassPrediction().getPredictedClass());
        assertEquals("oxide", predictions.getPredictions(1).getClassPrediction().getPredictedClass());
        assertEquals(4, predictions.getPredictions(1).getClassPrediction().getProbabilitiesCount());
        assertEquals(1.0, predictions.getPredictions(1).getClassPrediction().getProbabilitiesList().stream()
                .mapToDouble(p -> p.getProbability()).sum(), 1e-9);
    }

    @Test
    void aTaskOrAlgorithmOrParameterThatDoesNotFitTheTargetIsRefusedNamingTheField() throws Exception {
        String dataset = dataset(metalOrNot());
        assertEquals(List.of("task"), violatedFields(assertThrows(StatusRuntimeException.class, () -> stub()
                .trainModel(request("x", "is_metal", dataset).setTask(Task.TASK_REGRESSION).build()))));
        assertEquals(List.of("task"), violatedFields(assertThrows(StatusRuntimeException.class, () -> stub()
                .trainModel(request("x", "band_gap", dataset).setTask(Task.TASK_CLASSIFICATION).build()))));
        assertEquals(List.of("target_property"), violatedFields(assertThrows(StatusRuntimeException.class,
                () -> stub().trainModel(request("x", "remark", dataset).build()))));
        assertEquals(List.of("algorithm"), violatedFields(assertThrows(StatusRuntimeException.class, () -> stub()
                .trainModel(request("x", "is_metal", dataset).setAlgorithm(Algorithm.ALGORITHM_GAUSSIAN_PROCESS)
                        .build()))));
        assertEquals(List.of("hyperparameters.gradient_boosting.ensemble_size",
                "hyperparameters.gradient_boosting.loss"), violatedFields(assertThrows(StatusRuntimeException.class,
                        () -> stub().trainModel(request("x", "is_metal", dataset)
                                .setAlgorithm(Algorithm.ALGORITHM_GRADIENT_BOOSTING)
                                .setHyperparameters(Hyperparameters.newBuilder().setGradientBoosting(
                                        GradientBoostingParams.newBuilder().setEnsembleSize(5).setLossValue(2)))
                                .build()))));
        assertEquals(List.of("hyperparameters.random_forest.uncertainty"), violatedFields(assertThrows(
                StatusRuntimeException.class, () -> stub().trainModel(request("x", "is_metal", dataset)
                        .setHyperparameters(Hyperparameters.newBuilder().setRandomForest(RandomForestParams.newBuilder()
                                .setUncertaintyValue(3))).build()))));
    }

    @Test
    void dataAClassifierCannotLearnFromFailTheJobSayingWhy() throws Exception {
        Map<String, String> oneClass = new LinkedHashMap<>();
        metalOrNot().forEach((formula, label) -> oneClass.put(formula, "false"));
        Job single = ended(stub().trainModel(request("one", "is_metal", dataset(oneClass)).build()));
        assertEquals(JobState.FAILED, single.getState());
        assertEquals("target_property: all " + oneClass.size() + " usable rows of is_metal are 'false': a classifier "
                + "needs rows of at least two classes", single.getMessage());

        Map<String, String> rare = new LinkedHashMap<>();
        List<String> formulas = new ArrayList<>(metalOrNot().keySet());
        for (int i = 0; i < formulas.size(); i++) {
            rare.put(formulas.get(i), i < 3 ? "true" : "false");
        }
        Job few = ended(stub().trainModel(request("few", "is_metal", dataset(rare)).build()));
        assertEquals(JobState.FAILED, few.getState());
        assertEquals("k_folds: class 'true' of is_metal has only 3 rows, fewer than the 5 folds (each fold needs "
                + "one): lower k_folds to 3 or add rows of 'true'", few.getMessage());
    }

    private static List<String> violatedFields(StatusRuntimeException error) throws Exception {
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), error.getStatus().toString());
        for (var detail : StatusProto.fromThrowable(error).getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                return detail.unpack(BadRequest.class).getFieldViolationsList().stream()
                        .map(BadRequest.FieldViolation::getField).toList();
            }
        }
        return fail("no field violations in " + error);
    }
}
