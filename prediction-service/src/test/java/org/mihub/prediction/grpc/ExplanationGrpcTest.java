package org.mihub.prediction.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.prediction.v1.CompositionInput;
import org.mihub.api.prediction.v1.Explanation;
import org.mihub.api.prediction.v1.FeatureContribution;
import org.mihub.api.prediction.v1.FeatureImportance;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.ImportanceGroup;
import org.mihub.api.prediction.v1.PermutationImportance;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.testing.PostgresResource;
import org.mihub.prediction.features.MagpieFeaturiser;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.GaussianProcessModel;
import org.mihub.prediction.model.GradientBoosting;
import org.mihub.prediction.model.RandomForest;
import org.mihub.prediction.model.Regressor;
import org.mihub.prediction.model.TrainedModel;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.registry.ModelRepository;
import org.mihub.prediction.registry.OutOfFold;

import com.google.rpc.BadRequest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Explanations over gRPC on a real PostgreSQL: {@code Predict} with {@code explain} returns each
 * prediction's TreeSHAP contributions with plain names and the grouped sums, adding up to the mean;
 * a model that cannot be explained, or too many inputs, are refused naming the field; a model's
 * stored permutation importance comes back with it, most important first, with plain names.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "prediction"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplanationGrpcTest {

    /** Fe, Co and Ni oxides; the target is their mean electronegativity. */
    private static final List<String> TRAINING = List.of("FeO", "Fe2O3", "Fe3O4", "CoO", "Co3O4", "NiO", "Ni2O3",
            "FeCoO3", "FeNiO3", "CoNiO3", "Fe2CoO4", "Fe2NiO4", "Co2NiO4", "FeCo2O4", "NiFe2O4", "CoFe2O4");

    @Inject
    ModelRepository repository;

    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 18082).usePlaintext().build();
    private CatalogStandIn catalog;
    private final MagpieFeaturiser featuriser = new MagpieFeaturiser();
    private double[][] x;
    private double[] y;

    private PredictionServiceGrpc.PredictionServiceBlockingStub stub() {
        return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @BeforeAll
    void data() throws Exception {
        catalog = new CatalogStandIn(18182);
        x = TRAINING.stream().map(formula -> featuriser.featurise(FormulaParser.parse(formula)))
                .toArray(double[][]::new);
        int electronegativity = featuriser.featureNames().indexOf("mean_Electronegativity");
        y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i][electronegativity];
        }
    }

    @AfterAll
    void close() {
        channel.shutdownNow();
        catalog.close();
    }

    /** Stores a PUBLIC model of {@code regressor} as a finished job would, with the given metrics JSON. */
    private UUID store(Regressor regressor, String algorithm, String metrics) {
        byte[] artifact = new TrainedModel("magpie", featuriser.version(), x[0].length, regressor,
                ApplicabilityDomain.fit(x, 3, 0.95, 11)).toBytes();
        String dataset = UUID.randomUUID().toString();
        catalog.seenBy.put(dataset, Set.of("*"));
        List<OutOfFold> outOfFold = new ArrayList<>();
        for (int i = 0; i < TRAINING.size(); i++) {
            outOfFold.add(new OutOfFold(i, "m" + i, UUID.fromString(dataset), TRAINING.get(i), i % 4, y[i], y[i], 0.05));
        }
        ModelRecord stored = repository.insert(new ModelRecord(UUID.randomUUID(), "explained-" + algorithm, 0, "",
                "acme", "PUBLIC", List.of(), "READY", "band_gap", "eV", "magpie", featuriser.version(), x[0].length,
                algorithm, "{}", 11, "[{\"dataset_id\": \"" + dataset + "\", \"version\": 1, \"owner_org\": \"acme\", "
                        + "\"visibility\": \"PUBLIC\", \"rows_used\": 16}]", List.of(), "MEAN", TRAINING.size(), metrics,
                3, 0.95, 1.0, null, "sha", artifact.length, "alice", Instant.now(), null), artifact, outOfFold);
        return stored.id();
    }

    private static final String METRICS = "{\"k_folds\": 4, \"overall\": {\"mae\": 0.01}, \"folds\": []}";

    private static PredictRequest explained(UUID model, String... formulas) {
        var request = PredictRequest.newBuilder().setModelId(model.toString()).setExplain(true);
        for (String formula : formulas) {
            request.addInputs(CompositionInput.newBuilder().setFormula(formula));
        }
        return request.build();
    }

    private static void assertAddsUp(Explanation explanation, double mean) {
        assertEquals("tree_shap_path_dependent", explanation.getMethod());
        double sum = explanation.getExpectedValue();
        for (FeatureContribution contribution : explanation.getContributionsList()) {
            sum += contribution.getContribution();
        }
        assertEquals(mean, sum, 1e-9, "expected value + contributions = the mean");
        for (List<ImportanceGroup> groups : List.of(explanation.getByPropertyList(), explanation.getByStatisticList())) {
            double grouped = explanation.getExpectedValue() + groups.stream().mapToDouble(ImportanceGroup::getValue).sum();
            assertEquals(mean, grouped, 1e-9, "the groups add up too");
        }
    }

    @Test
    void forestAndBoostedPredictionsAreExplainedAndAddUpToTheMean() {
        UUID forest = store(RandomForest.fit(x, y, new RandomForest.Params(60, 0, 1, 0.5, 11), 2), "RANDOM_FOREST",
                METRICS);
        UUID boosted = store(GradientBoosting.fit(x, y, new GradientBoosting.Params(50, 0.1, 3, 0.8, 2, 3,
                GradientBoosting.Loss.SQUARED_ERROR, 11), 2), "GRADIENT_BOOSTING", METRICS);
        for (UUID model : List.of(forest, boosted)) {
            var response = stub().predict(explained(model, "Fe2O3", "Fe2Qq3", "NiCoO2"));
            var value = response.getPredictions(0).getValue();
            Explanation explanation = value.getExplanation();
            assertAddsUp(explanation, value.getMean());
            assertAddsUp(response.getPredictions(2).getValue().getExplanation(),
                    response.getPredictions(2).getValue().getMean());
            assertTrue(response.getPredictions(1).hasError(), "a bad formula is still its item's error");
            // largest first, with plain names; the value is the input's feature
            List<FeatureContribution> contributions = explanation.getContributionsList();
            assertFalse(contributions.isEmpty());
            for (int i = 1; i < contributions.size(); i++) {
                assertTrue(Math.abs(contributions.get(i - 1).getContribution())
                        >= Math.abs(contributions.get(i).getContribution()));
            }
            FeatureContribution top = contributions.get(0);
            assertEquals(featuriser.featureNames().get(top.getFeature()), top.getName());
            assertFalse(top.getPlainName().contains("_"), top.getPlainName());
            double[] fe2o3 = featuriser.featurise(FormulaParser.parse("Fe2O3"));
            assertEquals(fe2o3[top.getFeature()], top.getValue());
            // every feature in one group of each view; a property's six statistics together
            assertEquals(featuriser.featureNames().size(), explanation.getByPropertyList().stream()
                    .mapToInt(ImportanceGroup::getFeatures).sum());
            assertEquals(featuriser.featureNames().size(), explanation.getByStatisticList().stream()
                    .mapToInt(ImportanceGroup::getFeatures).sum());
            assertEquals(6, explanation.getByPropertyList().stream().filter(group -> group.getName()
                    .equals("electronegativity")).findFirst().orElseThrow().getFeatures());
            assertEquals(22, explanation.getByStatisticList().stream().filter(group -> group.getName()
                    .equals("mean")).findFirst().orElseThrow().getFeatures(), "the mean of each of 22 properties");
            // without explain, no explanation
            var plain = stub().predict(PredictRequest.newBuilder().setModelId(model.toString())
                    .addInputs(CompositionInput.newBuilder().setFormula("Fe2O3")).build());
            assertFalse(plain.getPredictions(0).getValue().hasExplanation());
            assertEquals(value.getMean(), plain.getPredictions(0).getValue().getMean());
        }
    }

    @Test
    void aModelThatCannotBeExplainedAndTooManyInputsAreRefusedNamingTheField() {
        UUID process = store(GaussianProcessModel.fit(x, y, GaussianProcessModel.Params.defaults(3), 2),
                "GAUSSIAN_PROCESS", METRICS);
        var refused = assertThrows(StatusRuntimeException.class, () -> stub().predict(explained(process, "Fe2O3")));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().startsWith("explain: "), refused.getStatus().getDescription());
        assertTrue(refused.getStatus().getDescription().contains("Gaussian process"));
        // the same model predicts without explain
        assertTrue(stub().predict(PredictRequest.newBuilder().setModelId(process.toString())
                .addInputs(CompositionInput.newBuilder().setFormula("Fe2O3")).build()).getPredictions(0).hasValue());
        UUID forest = store(RandomForest.fit(x, y, new RandomForest.Params(10, 0, 1, 0.5, 11), 2), "RANDOM_FOREST",
                METRICS);
        String[] many = new String[101];
        java.util.Arrays.fill(many, "FeO");
        var tooMany = assertThrows(StatusRuntimeException.class, () -> stub().predict(explained(forest, many)));
        assertEquals(Status.Code.INVALID_ARGUMENT, tooMany.getStatus().getCode());
        BadRequest details = StatusProto.fromThrowable(tooMany).getDetailsList().stream()
                .filter(any -> any.is(BadRequest.class)).map(any -> {
                    try {
                        return any.unpack(BadRequest.class);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).findFirst().orElseThrow();
        assertEquals("inputs", details.getFieldViolations(0).getField());
    }

    @Test
    void aModelsPermutationImportanceComesBackMostImportantFirstWithPlainNames() {
        List<String> names = featuriser.featureNames();
        int electronegativity = names.indexOf("mean_Electronegativity");
        int range = names.indexOf("range_Electronegativity");
        int number = names.indexOf("mean_Number");
        StringBuilder features = new StringBuilder();
        for (int f = 0; f < names.size(); f++) {
            double mean = f == electronegativity ? 0.3 : f == range ? 0.1 : f == number ? 0.05 : 0;
            features.append(f == 0 ? "" : ", ").append("{\"feature\": ").append(f).append(", \"name\": \"")
                    .append(names.get(f)).append("\", \"mean\": ").append(mean).append(", \"std\": 0.01, \"count\": 12}");
        }
        String metrics = "{\"k_folds\": 4, \"overall\": {\"mae\": 0.01}, \"folds\": [], \"permutation_importance\": "
                + "{\"metric\": \"mae\", \"repeats\": 3, \"folds\": 4, \"seed\": 11, \"features\": [" + features + "]}}";
        UUID model = store(RandomForest.fit(x, y, new RandomForest.Params(10, 0, 1, 0.5, 11), 2), "RANDOM_FOREST",
                metrics);
        PermutationImportance importance = stub().getModel(GetModelRequest.newBuilder().setId(model.toString())
                .build()).getMetrics().getPermutationImportance();
        assertEquals("mae", importance.getMetric());
        assertEquals(3, importance.getRepeats());
        assertEquals(4, importance.getFolds());
        assertEquals(names.size(), importance.getFeaturesCount());
        FeatureImportance first = importance.getFeatures(0);
        assertEquals(electronegativity, first.getFeature());
        assertEquals("mean electronegativity", first.getPlainName());
        assertEquals(0.3, first.getMean());
        assertEquals(12, first.getCount());
        assertEquals("range electronegativity", importance.getFeatures(1).getPlainName());
        assertEquals("mean atomic number", importance.getFeatures(2).getPlainName());
        assertEquals("electronegativity", importance.getByProperty(0).getName());
        assertEquals(0.4, importance.getByProperty(0).getValue(), 1e-12);
        assertEquals("mean", importance.getByStatistic(0).getName());
        assertEquals(0.35, importance.getByStatistic(0).getValue(), 1e-12);
        // a model stored before importance was measured has none
        UUID older = store(RandomForest.fit(x, y, new RandomForest.Params(10, 0, 1, 0.5, 11), 2), "RANDOM_FOREST",
                METRICS);
        assertFalse(stub().getModel(GetModelRequest.newBuilder().setId(older.toString()).build()).getMetrics()
                .hasPermutationImportance());
    }
}
