package org.mihub.prediction.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.prediction.v1.ArchiveModelRequest;
import org.mihub.api.prediction.v1.CompositionBatch;
import org.mihub.api.prediction.v1.CompositionInput;
import org.mihub.api.prediction.v1.DatasetRef;
import org.mihub.api.prediction.v1.ElementAmounts;
import org.mihub.api.prediction.v1.FeaturiseRequest;
import org.mihub.api.prediction.v1.FormulaErrorCode;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.Hyperparameters;
import org.mihub.api.prediction.v1.ListModelsRequest;
import org.mihub.api.prediction.v1.ListOutOfFoldPredictionsRequest;
import org.mihub.api.prediction.v1.ModelStatus;
import org.mihub.api.prediction.v1.ParseFormulaRequest;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictStreamHeader;
import org.mihub.api.prediction.v1.PredictStreamRequest;
import org.mihub.api.prediction.v1.PredictStreamResponse;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;
import org.mihub.api.prediction.v1.RandomForestParams;
import org.mihub.api.prediction.v1.GradientBoostingParams;
import org.mihub.api.prediction.v1.GaussianProcessParams;
import org.mihub.api.prediction.v1.GaussianProcessKernel;
import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.testing.PostgresResource;
import org.mihub.prediction.features.MagpieFeaturiser;
import org.mihub.prediction.features.Featurisers;
import org.mihub.prediction.features.Featuriser;
import org.mihub.api.prediction.v1.ListFeaturisersRequest;
import org.mihub.api.prediction.v1.FeaturiserRef;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.RandomForest;
import org.mihub.prediction.model.TrainedModel;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.registry.ModelRepository;
import org.mihub.prediction.registry.OutOfFold;

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
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * The prediction service over gRPC on a real PostgreSQL: formula parsing with positions,
 * featurising, the registry under the visibility rule, predictions with uncertainty and the
 * applicability domain, archiving, and refused training requests. Models are stored through the
 * registry as a finished training job stores them; training end to end, reading a real catalog,
 * is in the launcher's SuiteIT.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "prediction"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionGrpcTest {

    private static final String ACME_CURATOR = token("alice", "acme", "member", "contributor", "curator");
    private static final String ACME_MEMBER = token("dave", "acme", "member");
    private static final String KANSAI = token("bob", "kansai-u", "member", "contributor");
    private static final String HUB = token("erin", "hub", "member");
    private static final String ADMIN = token("carol", "hub", "member", "admin");
    /** Training compositions: Fe, Co and Ni oxides; the target is the mean electronegativity. */
    private static final List<String> TRAINING = List.of("FeO", "Fe2O3", "Fe3O4", "CoO", "Co3O4", "NiO", "Ni2O3",
            "FeCoO3", "FeNiO3", "CoNiO3", "Fe2CoO4", "Fe2NiO4", "Co2NiO4", "FeCo2O4", "NiFe2O4", "CoFe2O4");

    @Inject
    ModelRepository repository;

    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 18082).usePlaintext().build();
    private final Map<Visibility, UUID> models = new EnumMap<>(Visibility.class);

    static String token(String subject, String org, String... roles) {
        return Jwt.subject(subject).preferredUserName(subject).claim("org", org)
                .claim("realm_access", Map.of("roles", List.of(roles))).issuer("https://server.example.com")
                .audience("mihub").expiresAt(Instant.now().plusSeconds(600)).sign();
    }

    private PredictionServiceGrpc.PredictionServiceBlockingStub as(String token) {
        var stub = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @BeforeAll
    void storeOneModelPerVisibility() throws Exception {
        catalog = new CatalogStandIn(18182);
        MagpieFeaturiser featuriser = new MagpieFeaturiser();
        double[][] x = TRAINING.stream().map(formula -> featuriser.featurise(FormulaParser.parse(formula)))
                .toArray(double[][]::new);
        int electronegativity = featuriser.featureNames().indexOf("mean_Electronegativity");
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i][electronegativity];
        }
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(60, 0, 1, 0.5, 11), 2);
        artifact = new TrainedModel("magpie", featuriser.version(), x[0].length, forest, ApplicabilityDomain.fit(x, 3, 0.95, 11))
                .toBytes();
        targets = y;
        for (Visibility visibility : List.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.CONSORTIUM,
                Visibility.PUBLIC)) {
            String owner = visibility == Visibility.SHARED ? "kansai-u" : "acme";
            List<String> sharedWith = visibility == Visibility.SHARED ? List.of("acme") : List.of();
            String dataset = UUID.randomUUID().toString();
            catalog.seenBy.put(dataset, Set.of("*"));
            models.put(visibility, store("en-" + visibility, owner, visibility, sharedWith, List.of(dataset)));
        }
    }

    private byte[] artifact;
    private double[] targets;
    private CatalogStandIn catalog;

    /** Stores a model of the forest above as a finished job would, trained on the given datasets. */
    private UUID store(String name, String owner, Visibility visibility, List<String> sharedWith,
            List<String> lineage) throws Exception {
        return store(name, owner, visibility, sharedWith, lineage, artifact);
    }

    private UUID store(String name, String owner, Visibility visibility, List<String> sharedWith,
            List<String> lineage, byte[] artifact) throws Exception {
        // the training rows come from the lineage's datasets in turn
        List<OutOfFold> outOfFold = new ArrayList<>();
        for (int i = 0; i < TRAINING.size(); i++) {
            outOfFold.add(new OutOfFold(i, "m" + i, UUID.fromString(lineage.get(i % lineage.size())),
                    TRAINING.get(i), i % 4, targets[i], targets[i] + 0.01, 0.05));
        }
        String lineageJson = lineage.stream().map(id -> "{\"dataset_id\": \"" + id + "\", \"version\": 1, "
                + "\"owner_org\": \"" + owner + "\", \"visibility\": \"" + visibility + "\", \"rows_used\": 8}")
                .collect(Collectors.joining(", ", "[", "]"));
        TrainedModel trained = TrainedModel.fromBytes(artifact);
        ModelRecord stored = repository.insert(new ModelRecord(UUID.randomUUID(), name, 0, "", owner,
                visibility.name(), sharedWith, "READY", "band_gap", "eV", trained.featuriser(), trained.featuriserVersion(), trained.featureCount(),
                "RANDOM_FOREST", "{\"n_trees\": 60, \"max_depth\": 0, \"min_samples_leaf\": 1, \"max_features\": 0.5}",
                11, lineageJson, List.of(), "MEAN", TRAINING.size(),
                "{\"k_folds\": 4, \"overall\": {\"mae\": 0.01}, \"folds\": []}", 3, 0.95,
                trained.domain().threshold(), null, "sha", artifact.length, "alice", Instant.now(), null), artifact,
                outOfFold);
        return stored.id();
    }

    @AfterAll
    void close() {
        channel.shutdownNow();
        catalog.close();
    }

    @Test
    void formulasAreParsedWithPositionsOfTheirErrors() {
        var results = as(null).parseFormula(ParseFormulaRequest.newBuilder().addFormulas("CuSO4·5H2O")
                .addFormulas("Fe2Xx3").addFormulas("(Fe2O3").addFormulas("").addFormulas("Fe0O").build())
                .getResultsList();
        assertEquals("CuH10SO9", results.get(0).getComposition().getReducedFormula());
        assertEquals(FormulaErrorCode.FORMULA_ERROR_CODE_UNKNOWN_ELEMENT, results.get(1).getError().getCode());
        assertEquals(3, results.get(1).getError().getPosition());
        assertEquals("Xx", results.get(1).getError().getToken());
        assertEquals(FormulaErrorCode.FORMULA_ERROR_CODE_UNBALANCED_PARENTHESIS, results.get(2).getError().getCode());
        assertEquals(FormulaErrorCode.FORMULA_ERROR_CODE_EMPTY, results.get(3).getError().getCode());
        assertEquals(FormulaErrorCode.FORMULA_ERROR_CODE_NON_POSITIVE_AMOUNT, results.get(4).getError().getCode());
    }

    @Test
    void featurisingGivesTheNamedFeatures() {
        var response = as(null).featurise(FeaturiseRequest.newBuilder().addInputs(CompositionInput.newBuilder()
                .setFormula("Fe2O3")).addInputs(CompositionInput.newBuilder().setAmounts(ElementAmounts.newBuilder()
                        .putAmounts("Fe", 2).putAmounts("O", 3))).build());
        assertEquals(132, response.getFeaturiser().getFeatureNamesCount(), "the newest version, matminer-v1");
        assertEquals("matminer-v1", response.getFeaturiser().getRef().getVersion());
        assertEquals("MagpieData mean CovalentRadius", response.getFeaturiser().getFeatureNames(39));
        assertTrue(response.getFeaturiser().getElementDataSource().contains("matminer"));
        // Fe 26, O 8, weighted by the amounts 2 and 3
        assertEquals(15.2, response.getVectors(0).getFeatures().getValues(3), 1e-12);
        assertEquals(response.getVectors(0).getFeatures().getValuesList(),
                response.getVectors(1).getFeatures().getValuesList());
        var fractions = as(null).featurise(FeaturiseRequest.newBuilder()
                .setFeaturiser(FeaturiserRef.newBuilder().setId("element_fraction"))
                .addInputs(CompositionInput.newBuilder().setFormula("Fe2O3")).build());
        assertEquals("1", fractions.getFeaturiser().getRef().getVersion());
        List<String> names = fractions.getFeaturiser().getFeatureNamesList();
        List<Double> values = fractions.getVectors(0).getFeatures().getValuesList();
        assertEquals(103, values.size());
        assertEquals(0.4, values.get(names.indexOf("frac_Fe")), 1e-12);
        assertEquals(0.6, values.get(names.indexOf("frac_O")), 1e-12);
        var unknown = assertThrows(StatusRuntimeException.class, () -> as(null).featurise(FeaturiseRequest
                .newBuilder().setFeaturiser(FeaturiserRef.newBuilder().setId("magpie").setVersion("9"))
                .addInputs(CompositionInput.newBuilder().setFormula("Fe2O3")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("element_fraction version 1"),
                unknown.getStatus().getDescription());
        assertEquals(List.of("magpie/matminer-v1", "magpie/3", "magpie/2", "magpie/1", "element_fraction/1"), as(null)
                .listFeaturisers(ListFeaturisersRequest.newBuilder().build()).getFeaturisersList().stream()
                .map(info -> info.getRef().getId() + "/" + info.getRef().getVersion()).toList());
    }

    @Test
    void aModelTrainedOnElementFractionsPredictsFromThem() throws Exception {
        Featuriser fractions = Featurisers.get("element_fraction", "");
        double[][] x = TRAINING.stream().map(formula -> fractions.featurise(FormulaParser.parse(formula)))
                .toArray(double[][]::new);
        int iron = fractions.featureNames().indexOf("frac_Fe");
        double[] y = java.util.Arrays.stream(x).mapToDouble(row -> row[iron]).toArray();
        byte[] bytes = new TrainedModel(fractions.name(), fractions.version(), x[0].length,
                RandomForest.fit(x, y, new RandomForest.Params(60, 0, 1, 1.0, 11), 2),
                ApplicabilityDomain.fit(x, 3, 0.95, 11)).toBytes();
        String dataset = UUID.randomUUID().toString();
        catalog.seenBy.put(dataset, Set.of("*"));
        UUID id = store("iron-fraction", "acme", Visibility.PUBLIC, List.of(), List.of(dataset), bytes);
        var response = as(null).predict(PredictRequest.newBuilder().setModelId(id.toString())
                .addInputs(CompositionInput.newBuilder().setFormula("Fe2O3")).build());
        var model = as(null).getModel(GetModelRequest.newBuilder().setId(id.toString()).build());
        assertEquals("element_fraction", model.getFeaturiser().getId());
        assertEquals(103, model.getFeatureCount());
        assertEquals(0.4, response.getPredictions(0).getValue().getMean(), 0.05, "the iron fraction, learnt");
    }

    private Set<Visibility> visibleTo(String token) {
        Set<Visibility> visible = models.entrySet().stream().filter(entry -> {
            try {
                as(token).getModel(GetModelRequest.newBuilder().setId(entry.getValue().toString()).build());
                return true;
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "hidden must look missing");
                return false;
            }
        }).map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> listed = as(token).listModels(ListModelsRequest.newBuilder().build()).getModelsList().stream()
                .map(org.mihub.api.prediction.v1.Model::getId).collect(Collectors.toSet());
        assertEquals(visible, models.entrySet().stream().filter(entry -> listed.contains(entry.getValue().toString()))
                .map(Map.Entry::getKey).collect(Collectors.toSet()), "get and list agree");
        Set<Visibility> predicted = models.entrySet().stream().filter(entry -> {
            try {
                as(token).predict(PredictRequest.newBuilder().setModelId(entry.getValue().toString())
                        .addInputs(CompositionInput.newBuilder().setFormula("FeO")).build());
                return true;
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
                return false;
            }
        }).map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(visible, predicted, "get and predict agree");
        return visible;
    }

    @Test
    void modelsAreVisibleExactlyAsDatasetsAre() {
        Set<Visibility> all = Set.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.CONSORTIUM, Visibility.PUBLIC);
        assertEquals(all, visibleTo(ACME_MEMBER), "acme owns three and kansai-u shares one with it");
        assertEquals(Set.of(Visibility.SHARED, Visibility.CONSORTIUM, Visibility.PUBLIC), visibleTo(KANSAI));
        assertEquals(Set.of(Visibility.CONSORTIUM, Visibility.PUBLIC), visibleTo(HUB));
        assertEquals(all, visibleTo(ADMIN));
        assertEquals(Set.of(Visibility.PUBLIC), visibleTo(null));
    }

    @Test
    void predictionsCarryUncertaintyAndTheDomainAndReportBadItemsInPlace() {
        var response = as(ACME_MEMBER).predict(PredictRequest.newBuilder()
                .setModelId(models.get(Visibility.PRIVATE).toString())
                .addInputs(CompositionInput.newBuilder().setId("a").setFormula("Fe2O3"))
                .addInputs(CompositionInput.newBuilder().setId("b").setFormula("Fe2Qq3"))
                .addInputs(CompositionInput.newBuilder().setId("c").setFormula("Cs3Bi2I9")).build());
        assertEquals("band_gap", response.getModel().getTargetProperty());
        var known = response.getPredictions(0);
        assertEquals("a", known.getId());
        assertEquals("Fe2O3", known.getReducedFormula());
        double electronegativity = 0.4 * 1.83 + 0.6 * 3.44;
        assertEquals(electronegativity, known.getValue().getMean(), 0.15);
        assertTrue(known.getValue().getStd() > 0);
        assertEquals(known.getValue().getMean() - 1.96 * known.getValue().getStd(),
                known.getValue().getInterval95().getLower(), 1e-9);
        assertTrue(known.getValue().getInDomain(), "a training composition is in the domain");
        var bad = response.getPredictions(1);
        assertEquals(FormulaErrorCode.FORMULA_ERROR_CODE_UNKNOWN_ELEMENT, bad.getError().getCode());
        assertEquals(3, bad.getError().getPosition());
        var far = response.getPredictions(2);
        assertFalse(far.getValue().getInDomain(), "an iodide is far from Fe, Co and Ni oxides");
        assertTrue(far.getValue().getDomainDistance() > response.getModel().getDomainThreshold());
    }

    /** An infinite or absurd amount, or a hostile formula, is that item's error; the rest of the batch is predicted. */
    @Test
    void absurdAmountsAndHostileFormulasAreErrorsOfTheirItemOnly() {
        var response = as(ACME_MEMBER).predict(PredictRequest.newBuilder()
                .setModelId(models.get(Visibility.PRIVATE).toString())
                .addInputs(CompositionInput.newBuilder().setId("infinite").setAmounts(ElementAmounts.newBuilder()
                        .putAmounts("Fe", Double.POSITIVE_INFINITY).putAmounts("O", 3)))
                .addInputs(CompositionInput.newBuilder().setId("huge").setFormula("Fe100000000000000000000O"))
                .addInputs(CompositionInput.newBuilder().setId("deep").setFormula("(".repeat(50_000) + "Fe"
                        + ")".repeat(50_000)))
                .addInputs(CompositionInput.newBuilder().setId("fine").setFormula("Fe2O3")).build());
        for (int i = 0; i < 3; i++) {
            assertTrue(response.getPredictions(i).hasError(), response.getPredictions(i).toString());
        }
        assertEquals("the amount of Fe must be a finite number of at most 1000000",
                response.getPredictions(0).getError().getReason());
        assertEquals(2, response.getPredictions(1).getError().getPosition());
        assertEquals(32, response.getPredictions(2).getError().getPosition());
        assertTrue(response.getPredictions(3).hasValue(), "the good item is still predicted");
    }

    @Test
    void aStreamOfBatchesGetsTheSummaryThenOneBatchOfPredictionsPerBatch() throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ACME_MEMBER);
        var stub = PredictionServiceGrpc.newStub(channel).withInterceptors(MetadataUtils
                .newAttachHeadersInterceptor(headers));
        List<PredictStreamResponse> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        var done = new java.util.concurrent.CompletableFuture<Void>();
        var requests = stub.predictStream(new io.grpc.stub.StreamObserver<>() {
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
                .setModelId(models.get(Visibility.PRIVATE).toString())).build());
        for (String batch : List.of("FeO,CoO", "NiO,Xx2O,Fe3O4")) {
            var inputs = CompositionBatch.newBuilder();
            for (String formula : batch.split(",")) {
                inputs.addInputs(CompositionInput.newBuilder().setFormula(formula));
            }
            requests.onNext(PredictStreamRequest.newBuilder().setInputs(inputs).build());
        }
        requests.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        assertEquals(3, received.size());
        assertEquals("band_gap", received.get(0).getModel().getTargetProperty());
        assertEquals(2, received.get(1).getPredictions().getPredictionsCount());
        var second = received.get(2).getPredictions();
        assertEquals(List.of(2L, 3L, 4L), second.getPredictionsList().stream()
                .map(org.mihub.api.prediction.v1.Prediction::getIndex).toList(), "indices run across batches");
        assertTrue(second.getPredictions(1).hasError());
    }

    /**
     * A model is derived from its datasets: when one of them stops being visible to a caller (its
     * sharing narrowed or it was deleted), the model disappears for that caller on every path,
     * though its own stored visibility is wider; the catalog is asked with the caller's own token.
     */
    @Test
    void aModelNarrowsWhenATrainingDatasetNoLongerShowsToTheCaller() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        catalog.seenBy.put(first, Set.of("acme", "kansai-u", "hub"));
        catalog.seenBy.put(second, Set.of("acme", "kansai-u", "hub"));
        UUID model = store("derived", "acme", Visibility.CONSORTIUM, List.of(), List.of(first, second));
        assertTrue(readable(KANSAI, model), "both datasets show to kansai-u");
        assertTrue(catalog.bearers.contains("Bearer " + KANSAI), "the catalog was asked as the caller");

        catalog.seenBy.put(second, Set.of("acme", "hub"));
        assertFalse(readable(KANSAI, model), "one dataset no longer shows to kansai-u");
        var outOfFold = assertThrows(StatusRuntimeException.class, () -> as(KANSAI).listOutOfFoldPredictions(
                ListOutOfFoldPredictionsRequest.newBuilder().setModelId(model.toString()).build()));
        assertEquals(Status.Code.NOT_FOUND, outOfFold.getStatus().getCode());
        assertTrue(readable(HUB, model), "hub still sees both");
        assertTrue(readable(ACME_MEMBER, model));
        assertTrue(readable(ADMIN, model), "admins see every model");

        catalog.outage.add(first);
        var down = assertThrows(StatusRuntimeException.class, () -> as(HUB).getModel(
                GetModelRequest.newBuilder().setId(model.toString()).build()));
        assertEquals(Status.Code.UNAVAILABLE, down.getStatus().getCode(), "no answer from the catalog, no model");
        catalog.outage.clear();
    }

    /**
     * Pages skip the models whose lineage the caller no longer sees, without losing or repeating
     * any of the others; the owner organisation's curator still archives a model whose partner's
     * dataset it no longer sees.
     */
    @Test
    void pagesSkipHiddenModelsAndTheOwnerStillArchivesThem() throws Exception {
        String open = UUID.randomUUID().toString();
        String closed = UUID.randomUUID().toString();
        catalog.seenBy.put(open, Set.of("acme", "kansai-u", "hub"));
        catalog.seenBy.put(closed, Set.of("hub"));
        Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < 7; i++) {
            UUID id = store("paged", "acme", Visibility.CONSORTIUM, List.of(),
                    i % 3 == 1 ? List.of(open, closed) : List.of(open));
            if (i % 3 != 1) {
                expected.add(id.toString());
            }
        }
        List<String> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            var page = as(KANSAI).listModels(ListModelsRequest.newBuilder().setName("paged")
                    .setPage(org.mihub.api.common.v1.PageRequest.newBuilder().setPageSize(2).setPageToken(token))
                    .build());
            page.getModelsList().forEach(model -> listed.add(model.getId()));
            token = page.getPageInfo().getNextPageToken();
            pages++;
        } while (!token.isEmpty() && pages < 20);
        assertEquals(expected.size(), listed.size(), "no model twice: " + listed);
        assertEquals(expected, new java.util.HashSet<>(listed));

        UUID partnerOnly = store("partner-only", "acme", Visibility.CONSORTIUM, List.of(), List.of(closed));
        assertFalse(readable(ACME_CURATOR, partnerOnly), "acme no longer sees the partner's dataset");
        var archived = as(ACME_CURATOR).archiveModel(ArchiveModelRequest.newBuilder().setId(partnerOnly.toString())
                .setReason("the partner withdrew its data").build());
        assertEquals(ModelStatus.MODEL_STATUS_ARCHIVED, archived.getStatus());
        var stranger = assertThrows(StatusRuntimeException.class, () -> as(KANSAI).archiveModel(
                ArchiveModelRequest.newBuilder().setId(partnerOnly.toString()).build()));
        assertEquals(Status.Code.NOT_FOUND, stranger.getStatus().getCode());
    }

    /** Get, list and predict agree on whether the caller sees the model. */
    private boolean readable(String token, UUID model) {
        boolean got = found(() -> as(token).getModel(GetModelRequest.newBuilder().setId(model.toString()).build()));
        boolean predicted = found(() -> as(token).predict(PredictRequest.newBuilder().setModelId(model.toString())
                .addInputs(CompositionInput.newBuilder().setFormula("FeO")).build()));
        boolean listed = as(token).listModels(ListModelsRequest.newBuilder().setName("derived").build())
                .getModelsList().stream().anyMatch(listedModel -> listedModel.getId().equals(model.toString()));
        assertEquals(List.of(got, got), List.of(predicted, listed), "get, predict, list");
        return got;
    }

    private static boolean found(Runnable read) {
        try {
            read.run();
            return true;
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "hidden must look missing");
            return false;
        }
    }

    /**
     * Out-of-fold rows are the training materials with their measured values: shown to another
     * organisation they are reported to the catalog's access log as the caller, per dataset; the
     * owner organisation's own reads are not.
     */
    @Test
    void outOfFoldRowsShownToAnotherOrganisationAreReportedAsDerivedReads() {
        UUID model = models.get(Visibility.CONSORTIUM);
        catalog.derivedReads.clear();
        assertEquals(TRAINING.size(), as(ACME_MEMBER).listOutOfFoldPredictions(ListOutOfFoldPredictionsRequest
                .newBuilder().setModelId(model.toString()).build()).getPredictionsCount());
        assertTrue(catalog.derivedReads.isEmpty(), "acme reads its own data: " + catalog.derivedReads);
        var page = as(KANSAI).listOutOfFoldPredictions(ListOutOfFoldPredictionsRequest.newBuilder()
                .setModelId(model.toString()).setPage(org.mihub.api.common.v1.PageRequest.newBuilder().setPageSize(10))
                .build());
        assertEquals(10, page.getPredictionsCount());
        assertEquals(1, catalog.derivedReads.size());
        var reported = catalog.derivedReads.get(0);
        assertEquals("Bearer " + KANSAI, reported.bearer(), "reported as the caller");
        assertEquals(1, reported.request().getReadsCount());
        assertEquals(page.getPredictions(0).getDatasetId(), reported.request().getReads(0).getDatasetId());
        assertEquals(10, reported.request().getReads(0).getRecords(), "the rows of the page");
    }

    @Test
    void outOfFoldPredictionsFollowTheModelsVisibility() {
        var page = as(ACME_MEMBER).listOutOfFoldPredictions(ListOutOfFoldPredictionsRequest.newBuilder()
                .setModelId(models.get(Visibility.PRIVATE).toString()).build());
        assertEquals(TRAINING.size(), page.getPredictionsCount());
        var hidden = assertThrows(StatusRuntimeException.class, () -> as(HUB).listOutOfFoldPredictions(
                ListOutOfFoldPredictionsRequest.newBuilder().setModelId(models.get(Visibility.PRIVATE).toString())
                        .build()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode());
    }

    @Test
    void onlyACuratorOfTheOwnerOrgArchives() {
        String id = models.get(Visibility.CONSORTIUM).toString();
        var member = assertThrows(StatusRuntimeException.class, () -> as(ACME_MEMBER)
                .archiveModel(ArchiveModelRequest.newBuilder().setId(id).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, member.getStatus().getCode());
        var outsider = assertThrows(StatusRuntimeException.class, () -> as(KANSAI)
                .archiveModel(ArchiveModelRequest.newBuilder().setId(id).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, outsider.getStatus().getCode());
        var archived = as(ACME_CURATOR).archiveModel(ArchiveModelRequest.newBuilder().setId(id).setReason("superseded")
                .build());
        assertEquals(ModelStatus.MODEL_STATUS_ARCHIVED, archived.getStatus());
        assertTrue(archived.hasArchivedAt());
    }

    @Test
    void badTrainingRequestsNameEveryField() throws Exception {
        var error = assertThrows(StatusRuntimeException.class, () -> as(ACME_CURATOR).trainModel(
                TrainModelRequest.newBuilder().setName("").addDatasets(DatasetRef.newBuilder().setDatasetId("nope"))
                        .setFeaturiser(FeaturiserRef.newBuilder().setId("soap"))
                        .setHyperparameters(Hyperparameters.newBuilder().setRandomForest(RandomForestParams.newBuilder()
                                .setNTrees(0).setMaxFeatures(1.5)))
                        .setKFolds(1).build()));
        assertEquals(List.of("name", "datasets[0].dataset_id", "target_property", "featuriser",
                "hyperparameters.random_forest.n_trees", "hyperparameters.random_forest.max_features", "k_folds"),
                violatedFields(error));
        var member = assertThrows(StatusRuntimeException.class, () -> as(null).trainModel(
                TrainModelRequest.newBuilder().build()));
        assertEquals(Status.Code.UNAUTHENTICATED, member.getStatus().getCode());
    }

    @Test
    void badBoostingAndProcessParametersAreNamedAndParametersMustMatchTheAlgorithm() throws Exception {
        TrainModelRequest.Builder valid = TrainModelRequest.newBuilder().setName("gap")
                .addDatasets(DatasetRef.newBuilder().setDatasetId(UUID.randomUUID().toString()))
                .setTargetProperty("band_gap");
        var boosting = assertThrows(StatusRuntimeException.class, () -> as(ACME_CURATOR).trainModel(valid.clone()
                .setAlgorithm(Algorithm.ALGORITHM_GRADIENT_BOOSTING)
                .setHyperparameters(Hyperparameters.newBuilder().setGradientBoosting(GradientBoostingParams.newBuilder()
                        .setLearningRate(0).setMaxDepth(40).setSubsample(1.2).setEnsembleSize(1).setLossValue(9)))
                .build()));
        assertEquals(List.of("hyperparameters.gradient_boosting.learning_rate",
                "hyperparameters.gradient_boosting.max_depth", "hyperparameters.gradient_boosting.subsample",
                "hyperparameters.gradient_boosting.ensemble_size", "hyperparameters.gradient_boosting.loss"),
                violatedFields(boosting));
        var process = assertThrows(StatusRuntimeException.class, () -> as(ACME_CURATOR).trainModel(valid.clone()
                .setAlgorithm(Algorithm.ALGORITHM_GAUSSIAN_PROCESS)
                .setHyperparameters(Hyperparameters.newBuilder().setGaussianProcess(GaussianProcessParams.newBuilder()
                        .setKernel(GaussianProcessKernel.GAUSSIAN_PROCESS_KERNEL_RBF_ARD).setRestarts(-1)
                        .setNoiseVariance(0)))
                .build()));
        assertEquals(List.of("hyperparameters.gaussian_process.kernel", "hyperparameters.gaussian_process.restarts",
                "hyperparameters.gaussian_process.noise_variance"), violatedFields(process));
        var mismatch = assertThrows(StatusRuntimeException.class, () -> as(ACME_CURATOR).trainModel(valid.clone()
                .setAlgorithm(Algorithm.ALGORITHM_GAUSSIAN_PROCESS)
                .setHyperparameters(Hyperparameters.newBuilder().setRandomForest(RandomForestParams.newBuilder()))
                .build()));
        assertEquals(List.of("hyperparameters"), violatedFields(mismatch));
        assertTrue(mismatch.getStatus().getDescription().contains("gaussian_process parameters"),
                mismatch.getStatus().getDescription());
    }

    private static List<String> violatedFields(StatusRuntimeException error) throws Exception {
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
        BadRequest details = null;
        for (var detail : StatusProto.fromThrowable(error).getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                details = detail.unpack(BadRequest.class);
            }
        }
        return details.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList();
    }

    @Test
    void anUnknownJobIsNotFound() {
        var error = assertThrows(StatusRuntimeException.class, () -> as(ACME_MEMBER).getJob(JobRef.newBuilder()
                .setJobId(UUID.randomUUID().toString()).build()));
        assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
    }
}
