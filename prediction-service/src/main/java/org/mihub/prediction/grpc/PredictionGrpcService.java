package org.mihub.prediction.grpc;

import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.api.prediction.v1.ArchiveModelRequest;
import org.mihub.api.prediction.v1.FeatureVector;
import org.mihub.api.prediction.v1.FeaturiseRequest;
import org.mihub.api.prediction.v1.FeaturiseResponse;
import org.mihub.api.prediction.v1.FeaturiserInfo;
import org.mihub.api.prediction.v1.FeaturiserRef;
import org.mihub.api.prediction.v1.Features;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.ListFeaturisersRequest;
import org.mihub.api.prediction.v1.ListFeaturisersResponse;
import org.mihub.api.prediction.v1.ListModelsRequest;
import org.mihub.api.prediction.v1.ListModelsResponse;
import org.mihub.api.prediction.v1.ListOutOfFoldPredictionsRequest;
import org.mihub.api.prediction.v1.ListOutOfFoldPredictionsResponse;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.MutinyPredictionServiceGrpc;
import org.mihub.api.prediction.v1.OutOfFoldPrediction;
import org.mihub.api.prediction.v1.ParseFormulaRequest;
import org.mihub.api.prediction.v1.ParseFormulaResponse;
import org.mihub.api.prediction.v1.ParseFormulaResult;
import org.mihub.api.prediction.v1.ParsedComposition;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictResponse;
import org.mihub.api.prediction.v1.PredictStreamRequest;
import org.mihub.api.prediction.v1.PredictStreamResponse;
import org.mihub.api.prediction.v1.PredictionBatch;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.common.access.AccessRule;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.GrpcErrors;
import org.mihub.common.grpc.Work;
import org.mihub.common.identity.Caller;
import org.mihub.common.identity.CallerContext;
import org.mihub.prediction.client.CatalogClient;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.features.Featurisers;
import org.mihub.prediction.inference.InferenceService;
import org.mihub.prediction.mapping.PredictionMapper;
import org.mihub.prediction.mapping.StoredTrainingRequests;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.registry.ModelRepository;
import org.mihub.prediction.registry.LineageAccess;
import org.mihub.prediction.registry.OutOfFold;
import org.mihub.prediction.training.JobRecord;
import org.mihub.prediction.training.TrainingService;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The prediction service over gRPC: formula parsing, featurising, training jobs, the model
 * registry and predictions. Models are read under the catalog's visibility rule; a hidden model is
 * NOT_FOUND. Training reads the catalog with the caller's own token.
 */
@GrpcService
@Singleton
public class PredictionGrpcService extends MutinyPredictionServiceGrpc.PredictionServiceImplBase {

    private static final int MAX_PAGE = 500;

    @Inject
    TrainingService training;

    @Inject
    InferenceService inference;

    @Inject
    ModelRepository models;

    @Inject
    LineageAccess lineage;

    @Inject
    CatalogClient catalog;

    @Override
    public Uni<ParseFormulaResponse> parseFormula(ParseFormulaRequest request) {
        return Work.blocking(() -> {
            if (request.getFormulasCount() > 10_000) {
                throw ApiException.invalid("formulas", "at most 10000 per call");
            }
            var response = ParseFormulaResponse.newBuilder();
            for (int i = 0; i < request.getFormulasCount(); i++) {
                String formula = request.getFormulas(i);
                var result = ParseFormulaResult.newBuilder().setIndex(i);
                try {
                    Composition composition = FormulaParser.parse(formula);
                    double atoms = composition.amounts().values().stream().mapToDouble(Double::doubleValue).sum();
                    result.setComposition(ParsedComposition.newBuilder().setFormula(formula)
                            .putAllAmounts(composition.amounts()).putAllFractions(composition.atomicFractions())
                            .setReducedFormula(composition.reducedFormula()).addAllElements(composition.elements())
                            .setNelements(composition.elementCount()).setAtomsPerFormulaUnit(atoms));
                } catch (FormulaException e) {
                    var problem = InferenceService.problem(new InferenceService.Input(null, formula, null), e);
                    result.setError(PredictionMapper.error(problem.code(), problem.position(), problem.reason(),
                            problem.token()));
                }
                response.addResults(result);
            }
            return response.build();
        });
    }

    @Override
    public Uni<ListFeaturisersResponse> listFeaturisers(ListFeaturisersRequest request) {
        var response = ListFeaturisersResponse.newBuilder();
        Featurisers.list().forEach(featuriser -> response.addFeaturisers(info(featuriser)));
        return Uni.createFrom().item(response.build());
    }

    private static FeaturiserInfo info(Featuriser featuriser) {
        return FeaturiserInfo.newBuilder()
                .setRef(FeaturiserRef.newBuilder().setId(featuriser.name()).setVersion(featuriser.version()))
                .setDescription(featuriser.description())
                .addAllFeatureNames(featuriser.featureNames())
                .setMissingDataRule(featuriser.missingDataRule())
                .setElementDataSource(featuriser.elementDataSource())
                .build();
    }

    @Override
    public Uni<FeaturiseResponse> featurise(FeaturiseRequest request) {
        return Work.blocking(() -> {
            Featuriser featuriser;
            try {
                featuriser = Featurisers.get(request.getFeaturiser().getId(), request.getFeaturiser().getVersion());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("featuriser", e.getMessage());
            }
            var response = FeaturiseResponse.newBuilder().setFeaturiser(info(featuriser));
            var inputs = PredictionMapper.inputs(request.getInputsList());
            for (int i = 0; i < inputs.size(); i++) {
                var vector = FeatureVector.newBuilder().setId(inputs.get(i).id()).setIndex(i);
                try {
                    double[] values = featuriser.featurise(InferenceService.composition(inputs.get(i)));
                    var features = Features.newBuilder();
                    for (double value : values) {
                        features.addValues(value);
                    }
                    vector.setFeatures(features);
                } catch (FormulaException | org.mihub.prediction.features.FeaturiseException e) {
                    var problem = InferenceService.problem(inputs.get(i), e);
                    vector.setError(PredictionMapper.error(problem.code(), problem.position(), problem.reason(),
                            problem.token()));
                }
                response.addVectors(vector);
            }
            return response.build();
        });
    }

    @Override
    public Uni<Job> trainModel(TrainModelRequest request) {
        Caller caller = CallerContext.require();
        String token = CallerContext.bearerToken().orElseThrow();
        return Work.blocking(() -> {
            long seed = UUID.randomUUID().getLeastSignificantBits() & 0xffffffffL;
            var checked = PredictionMapper.training(request, seed);
            var target = catalog.property(checked.targetProperty()).orElseThrow(() -> ApiException.invalid(
                    "target_property", "'" + checked.targetProperty() + "' is not in the catalog's property vocabulary"));
            // the task and a classifier's classes, decided now by the vocabulary, are kept with the request
            TrainModelRequest resolved = PredictionMapper.resolveTask(request, target);
            var parsed = PredictionMapper.training(resolved, seed);
            return PredictionMapper.job(training.submit(caller, token, parsed,
                    StoredTrainingRequests.stored(resolved, parsed)));
        });
    }

    @Override
    public Uni<Job> getJob(JobRef request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> PredictionMapper.job(training.job(caller, id("job_id", request.getJobId()))));
    }

    @Override
    public Multi<Job> watchJob(JobRef request) {
        Optional<Caller> caller = CallerContext.current();
        UUID id;
        try {
            id = id("job_id", request.getJobId());
        } catch (ApiException e) {
            return Multi.createFrom().failure(GrpcErrors.toStatus(e));
        }
        // a poll every half second; repeated states are skipped; the stream ends with the finished job
        // ("whilst" emits the item that ends the repetition)
        return Multi.createBy().repeating()
                .uni(() -> Work.blocking(() -> PredictionMapper.job(training.job(caller, id))))
                .withDelay(Duration.ofMillis(500))
                .whilst(job -> !finished(job))
                .skip().repetitions();
    }

    private static boolean finished(Job job) {
        return job.getState() == JobState.SUCCEEDED || job.getState() == JobState.FAILED
                || job.getState() == JobState.CANCELLED;
    }

    @Override
    public Uni<Job> cancelJob(JobRef request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> PredictionMapper.job(training.cancel(caller, id("job_id", request.getJobId()))));
    }

    @Override
    public Uni<ListModelsResponse> listModels(ListModelsRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> {
            int limit = pageSize(request.getPage().getPageSize(), 50, MAX_PAGE);
            long offset = offset(request.getPage().getPageToken());
            var filter = new ModelRepository.Filter(request.getName(), request.getTargetProperty(),
                    request.getAlgorithm() == org.mihub.api.prediction.v1.Algorithm.ALGORITHM_UNSPECIFIED ? null
                            : request.getAlgorithm().name().replace("ALGORITHM_", ""),
                    request.getStatus() == org.mihub.api.prediction.v1.ModelStatus.MODEL_STATUS_UNSPECIFIED ? null
                            : request.getStatus().name().replace("MODEL_STATUS_", ""),
                    request.getOwnerOrg(), request.getLatestOnly());
            var response = ListModelsResponse.newBuilder();
            String next = readablePage(caller, filter, offset, limit, model -> response.addModels(
                    PredictionMapper.model(model)));
            return response.setPageInfo(PageInfo.newBuilder().setNextPageToken(next)).build();
        });
    }

    /** Models examined per database read and lineage check while filling a page. */
    static final int EXAMINED_BATCH = 200;
    /** Most models examined for one page (the rest is for the next page's token). */
    static final int EXAMINED_PER_PAGE = 2000;

    /**
     * Up to {@code limit} models the caller may read now, from {@code offset} of those its
     * visibility lets it see, skipping those with a training dataset it no longer sees; returns
     * the next page's token ("" after the last).
     */
    private String readablePage(Optional<Caller> caller, ModelRepository.Filter filter, long offset, int limit,
            java.util.function.Consumer<ModelRecord> out) {
        int shown = 0;
        long position = offset;
        // models are examined in batches of at least EXAMINED_BATCH, at most EXAMINED_PER_PAGE per request: a
        // page may hold fewer models than asked (with a next token) when many are hidden by their lineage
        int step = Math.max(limit, EXAMINED_BATCH);
        while (true) {
            long at = position;
            if (at - offset >= EXAMINED_PER_PAGE) {
                return Long.toString(at);
            }
            List<ModelRecord> batch = models.list(AccessRule.readCondition(caller, ModelRepository.SHARING), filter,
                    at, step);
            List<ModelRecord> examined = batch.subList(0, Math.min(batch.size(), step));
            Set<UUID> readable = new HashSet<>();
            lineage.readable(caller, examined).forEach(model -> readable.add(model.id()));
            for (int k = 0; k < examined.size(); k++) {
                if (readable.contains(examined.get(k).id())) {
                    out.accept(examined.get(k));
                    if (++shown == limit) {
                        boolean more = k + 1 < examined.size() || batch.size() > step;
                        return more ? Long.toString(at + k + 1) : "";
                    }
                }
            }
            if (batch.size() <= step) {
                return "";
            }
            position = at + examined.size();
        }
    }

    @Override
    public Uni<Model> getModel(GetModelRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> PredictionMapper.model(inference.visible(caller, id("id", request.getId()))));
    }

    @Override
    public Uni<Model> archiveModel(ArchiveModelRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> {
            // the owner organisation always sees its models by their stored visibility: archiving does not
            // depend on whether partners' training datasets are still shared with it
            UUID modelId = id("id", request.getId());
            ModelRecord model = models.find(modelId)
                    .filter(found -> AccessRule.canRead(Optional.of(caller), found.sharing())
                            && (found.ownerOrg().equals(caller.org()) || lineage.canRead(Optional.of(caller), found)))
                    .orElseThrow(() -> ApiException.notFound("model", modelId.toString()));
            if (!AccessRule.canCurate(caller, model.ownerOrg())) {
                throw ApiException.denied("role 'curator' in organisation '" + model.ownerOrg() + "' is required");
            }
            models.archive(model.id(), request.getReason());
            return PredictionMapper.model(models.find(model.id()).orElseThrow());
        });
    }

    @Override
    public Uni<ListOutOfFoldPredictionsResponse> listOutOfFoldPredictions(ListOutOfFoldPredictionsRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> {
            ModelRecord model = inference.visible(caller, id("model_id", request.getModelId()));
            int limit = pageSize(request.getPage().getPageSize(), 1000, 5000);
            long offset = offset(request.getPage().getPageToken());
            List<OutOfFold> rows = models.outOfFold(model.id(), offset, limit);
            Map<String, Long> perDataset = new java.util.LinkedHashMap<>();
            rows.subList(0, Math.min(limit, rows.size())).forEach(row -> perDataset.merge(row.datasetId().toString(),
                    1L, Long::sum));
            lineage.recordDerivedRead(caller, model, perDataset);
            var response = ListOutOfFoldPredictionsResponse.newBuilder();
            for (OutOfFold row : rows.subList(0, Math.min(limit, rows.size()))) {
                response.addPredictions(OutOfFoldPrediction.newBuilder().setMaterialId(row.materialIds())
                        .setDatasetId(row.datasetId().toString()).setReducedFormula(row.reducedFormula())
                        .setFold(row.fold()).setObserved(row.observed()).setMean(row.mean()).setStd(row.std())
                        .addAllProbabilities(row.probabilities() == null ? List.of() : row.probabilities()));
            }
            return response.setPageInfo(PageInfo.newBuilder().setTotalSize(model.trainingRows())
                    .setNextPageToken(rows.size() > limit ? Long.toString(offset + limit) : "")).build();
        });
    }

    @Override
    public Uni<PredictResponse> predict(PredictRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> {
            ModelRecord model = inference.visible(caller, id("model_id", request.getModelId()));
            var response = PredictResponse.newBuilder().setModel(PredictionMapper.summary(model));
            inference.predict(model, PredictionMapper.inputs(request.getInputsList()), 0, request.getExplain())
                    .forEach(outcome -> response.addPredictions(PredictionMapper.prediction(outcome)));
            return response.build();
        });
    }

    @Override
    public Multi<PredictStreamResponse> predictStream(Multi<PredictStreamRequest> requests) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> {
            Iterator<PredictStreamRequest> messages = requests.subscribe().asIterable().iterator();
            PredictStreamRequest first = messages.hasNext() ? messages.next() : null;
            if (first == null || !first.hasHeader()) {
                throw ApiException.invalid("header", "the first message of a prediction stream is its header");
            }
            ModelRecord model = inference.visible(caller, id("header.model_id", first.getHeader().getModelId()));
            return new Object[] {model, messages};
        }).onItem().transformToMulti(state -> {
            ModelRecord model = (ModelRecord) state[0];
            @SuppressWarnings("unchecked")
            Iterator<PredictStreamRequest> messages = (Iterator<PredictStreamRequest>) state[1];
            Iterable<PredictStreamResponse> responses = () -> new Iterator<>() {
                private boolean summarySent;
                private int index;

                @Override
                public boolean hasNext() {
                    return !summarySent || messages.hasNext();
                }

                @Override
                public PredictStreamResponse next() {
                    if (!summarySent) {
                        summarySent = true;
                        return PredictStreamResponse.newBuilder().setModel(PredictionMapper.summary(model)).build();
                    }
                    PredictStreamRequest message = messages.next();
                    if (!message.hasInputs()) {
                        throw GrpcErrors.toStatus(ApiException.invalid("inputs",
                                "after the header only composition batches may follow"));
                    }
                    var batch = PredictionBatch.newBuilder();
                    List<InferenceService.Outcome> outcomes = inference.predict(model,
                            PredictionMapper.inputs(message.getInputs().getInputsList()), index);
                    index += outcomes.size();
                    outcomes.forEach(outcome -> batch.addPredictions(PredictionMapper.prediction(outcome)));
                    return PredictStreamResponse.newBuilder().setPredictions(batch).build();
                }
            };
            return Multi.createFrom().iterable(responses)
                    .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        }).onFailure().transform(GrpcErrors::toStatus);
    }

    private static UUID id(String field, String value) {
        return ApiException.id(field, value);
    }

    private static long offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            long offset = Long.parseLong(token);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.invalid("page.page_token", "not a page token of this list");
    }

    /** A page size: 0 asks for the default, a negative one is refused. */
    private static int pageSize(int asked, int fallback, int max) {
        if (asked < 0) {
            throw ApiException.invalid("page.page_size", "must not be negative (0 asks for the default, " + fallback + ")");
        }
        return asked == 0 ? fallback : Math.min(asked, max);
    }
}
