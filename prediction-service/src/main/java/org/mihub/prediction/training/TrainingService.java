package org.mihub.prediction.training;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.common.access.Sharing;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.identity.CallerContext;
import org.mihub.common.sql.SqlErrors;
import org.mihub.prediction.config.TrainingConfig;
import org.mihub.prediction.features.FeaturiseException;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.CrossValidation;
import org.mihub.prediction.model.GaussianProcessModel;
import org.mihub.prediction.model.ModelParams;
import org.mihub.prediction.model.RandomForest;
import org.mihub.prediction.model.Regressor;
import org.mihub.prediction.model.TrainedModel;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.registry.ModelRepository;
import org.mihub.prediction.registry.OutOfFold;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grpc.StatusRuntimeException;

/**
 * Training jobs: read the data from the catalog as the caller, featurise, cross-validate, fit the
 * final model and its applicability domain, and store model, artifact and out-of-fold predictions
 * in one transaction. Jobs run one at a time per process (each uses the training threads), report
 * progress, can be cancelled, and leave nothing behind when they fail or are cancelled.
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ABANDONED_AFTER_SECONDS = 120;
    private static final int MIN_ROWS = 10;

    @Inject
    JobRepository jobs;

    @Inject
    ModelRepository models;

    @Inject
    CatalogReader catalog;

    @Inject
    TrainingConfig config;

    private final Map<UUID, AtomicBoolean> running = new ConcurrentHashMap<>();
    private ExecutorService runner;
    private ScheduledExecutorService heartbeat;

    /** Thrown inside a job when its cancellation was asked for. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    @PostConstruct
    void start() {
        runner = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "training");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "training-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                jobs.heartbeat(running.keySet());
            } catch (SQLException e) {
                LOG.warnf("job heartbeat failed: %s", e.getMessage());
            }
        }, 15, 15, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        running.values().forEach(flag -> flag.set(true));
        runner.shutdownNow();
        heartbeat.shutdownNow();
    }

    /** Queues a training job for the caller; the caller's token reads the catalog when the job starts. */
    public JobRecord submit(Caller caller, String token, TrainingRequest request) {
        if (!caller.hasRole(Caller.CONTRIBUTOR) && !caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("role 'contributor' is required to train a model");
        }
        UUID id = UUID.randomUUID();
        ObjectNode recorded = JSON.createObjectNode().put("name", request.name())
                .put("target_property", request.targetProperty());
        ArrayNode datasets = recorded.putArray("datasets");
        request.datasets().forEach(dataset -> datasets.add(dataset.datasetId()));
        SqlErrors.call(() -> {
            jobs.insert(id, "train-model", caller.org(), caller.subject(), recorded.toString());
            return null;
        });
        AtomicBoolean cancel = new AtomicBoolean();
        running.put(id, cancel);
        var context = CallerContext.with(caller, token);
        runner.submit(() -> context.run(() -> execute(id, caller, request, cancel)));
        return job(Optional.of(caller), id);
    }

    /** The job, for members of the organisation that started it (and admins); NOT_FOUND otherwise. */
    public JobRecord job(Optional<Caller> caller, UUID id) {
        JobRecord job = SqlErrors.call(() -> jobs.find(id)).orElseThrow(() -> ApiException.notFound("job", id.toString()));
        if (!job.finished() && job.updatedAt().isBefore(Instant.now().minusSeconds(ABANDONED_AFTER_SECONDS))) {
            job = SqlErrors.call(() -> {
                jobs.failAbandoned(id, ABANDONED_AFTER_SECONDS);
                return jobs.find(id).orElseThrow();
            });
        }
        if (caller.isEmpty() || !(caller.get().hasRole(Caller.ADMIN) || caller.get().org().equals(job.ownerOrg()))) {
            throw ApiException.notFound("job", id.toString());
        }
        return job;
    }

    public JobRecord cancel(Caller caller, UUID id) {
        JobRecord job = job(Optional.of(caller), id);
        if (!job.finished()) {
            AtomicBoolean flag = running.get(id);
            if (flag != null) {
                flag.set(true);
            }
            SqlErrors.call(() -> {
                jobs.update(id, "CANCELLED", job.progress(), "cancelled by " + caller.subject(), null);
                return null;
            });
        }
        return job(Optional.of(caller), id);
    }

    private void progress(UUID id, AtomicBoolean cancel, double progress, String message) {
        if (cancel.get()) {
            throw new Cancelled();
        }
        SqlErrors.call(() -> {
            jobs.update(id, "RUNNING", progress, message, null);
            return null;
        });
    }

    private void execute(UUID id, Caller caller, TrainingRequest request, AtomicBoolean cancel) {
        try {
            ModelRecord model = train(id, caller, request, cancel);
            SqlErrors.call(() -> {
                jobs.update(id, "SUCCEEDED", 1, "model " + model.name() + " version " + model.version() + " is ready",
                        model.id());
                return null;
            });
        } catch (Cancelled e) {
            LOG.infof("training job %s cancelled", id);
        } catch (ApiException e) {
            fail(id, e.getMessage());
        } catch (StatusRuntimeException e) {
            fail(id, "the catalog refused: " + (e.getStatus().getDescription() == null ? e.getStatus().getCode()
                    : e.getStatus().getDescription()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "training job %s failed", id);
            fail(id, "training failed: " + e.getClass().getSimpleName());
        } finally {
            running.remove(id);
        }
    }

    private void fail(UUID id, String message) {
        try {
            jobs.update(id, "FAILED", 0, message, null);
        } catch (SQLException e) {
            LOG.errorf(e, "could not record the failure of job %s", id);
        }
    }

    /** One training example: a reduced formula, its features, its target and where it came from. */
    private record Example(String reducedFormula, double[] features, List<Double> targets, List<String> materialIds,
            String datasetId) {
    }

    private ModelRecord train(UUID id, Caller caller, TrainingRequest request, AtomicBoolean cancel) {
        progress(id, cancel, 0.02, "reading " + request.datasets().size() + " dataset(s) from the catalog");
        List<MeasurementSource> sources = request.sources().stream().map(source -> MeasurementSource
                .valueOf("MEASUREMENT_SOURCE_" + source.toUpperCase(java.util.Locale.ROOT))).toList();
        List<CatalogReader.Source> read = new ArrayList<>();
        String unit = null;
        for (TrainingRequest.DatasetVersion dataset : request.datasets()) {
            CatalogReader.Source source = catalog.read(dataset.datasetId(), dataset.version(),
                    request.targetProperty(), sources);
            read.add(source);
            if (!source.rows().isEmpty()) {
                if (unit != null && !unit.equals(source.unit())) {
                    throw ApiException.invalid("target_property", "datasets report " + request.targetProperty()
                            + " in " + unit + " and " + source.unit());
                }
                unit = source.unit();
            }
        }
        progress(id, cancel, 0.15, "featurising");
        Featuriser featuriser = request.featuriser();
        Map<String, Example> examples = new LinkedHashMap<>();
        List<Example> all = new ArrayList<>();
        int skipped = 0;
        for (CatalogReader.Source source : read) {
            for (CatalogReader.Row row : source.rows()) {
                Composition composition;
                double[] features;
                try {
                    composition = FormulaParser.parse(row.formula());
                    features = featuriser.featurise(composition);
                } catch (FormulaException | FeaturiseException e) {
                    skipped++;
                    continue;
                }
                String key = composition.reducedFormula();
                Example example = request.duplicates().equals("MEAN") ? examples.get(key) : null;
                if (example == null) {
                    example = new Example(key, features, new ArrayList<>(), new ArrayList<>(), row.datasetId());
                    all.add(example);
                    examples.put(key, example);
                }
                example.targets().add(row.value());
                example.materialIds().add(row.materialId());
            }
        }
        if (all.size() < Math.max(MIN_ROWS, 2 * request.folds())) {
            throw ApiException.invalid("datasets", "only " + all.size() + " usable rows with "
                    + request.targetProperty() + " in the datasets you may see; at least "
                    + Math.max(MIN_ROWS, 2 * request.folds()) + " are needed");
        }
        ModelParams params = request.model();
        if (params.algorithm() == ModelParams.Algorithm.GAUSSIAN_PROCESS && all.size() > GaussianProcessModel.MAX_ROWS) {
            throw ApiException.invalid("algorithm", "a Gaussian process is for small data: the datasets give "
                    + all.size() + " rows, more than " + GaussianProcessModel.MAX_ROWS
                    + "; use ALGORITHM_RANDOM_FOREST or ALGORITHM_GRADIENT_BOOSTING");
        }
        double[][] x = all.stream().map(Example::features).toArray(double[][]::new);
        double[] y = all.stream().mapToDouble(example -> example.targets().stream().mapToDouble(Double::doubleValue)
                .average().orElseThrow()).toArray();
        progress(id, cancel, 0.2, "cross-validating on " + all.size() + " rows (" + request.folds() + " folds)"
                + (skipped > 0 ? "; " + skipped + " rows skipped: formula without element data" : ""));
        // with every value kept, one composition's rows share a fold: no composition is on both sides
        int[] group = null;
        if (!request.duplicates().equals("MEAN")) {
            Map<String, Integer> groups = new LinkedHashMap<>();
            group = new int[all.size()];
            for (int i = 0; i < group.length; i++) {
                group[i] = groups.computeIfAbsent(all.get(i).reducedFormula(), formula -> groups.size());
            }
            if (groups.size() < 2 * request.folds()) {
                throw ApiException.invalid("k_folds", "the rows hold only " + groups.size() + " distinct "
                        + "compositions; " + request.folds() + " folds grouped by composition need at least "
                        + 2 * request.folds());
            }
        }
        CrossValidation.Result validation = CrossValidation.run(x, y, group, request.folds(), params, config.trainingThreads(),
                fold -> progress(id, cancel, 0.2 + 0.6 * (fold + 1) / request.folds(),
                        "fold " + (fold + 1) + " of " + request.folds() + " done"));
        progress(id, cancel, 0.82, "fitting the final model on all " + all.size() + " rows");
        Regressor regressor = params.fit(x, y, config.trainingThreads());
        progress(id, cancel, 0.9, "measuring the applicability domain");
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, request.neighbours(), request.domainQuantile(),
                params.seed());
        byte[] artifact = new TrainedModel(featuriser.name(), featuriser.version(), featuriser.featureNames().size(),
                regressor, domain).toBytes();
        progress(id, cancel, 0.96, "storing the model");
        Sharing sharing = Sharing.derived(caller.org(), read.stream().map(CatalogReader.Source::sharing).toList(),
                Instant.now());
        List<OutOfFold> outOfFold = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Example example = all.get(i);
            outOfFold.add(new OutOfFold(i, String.join(",", example.materialIds()), UUID.fromString(example.datasetId()),
                    example.reducedFormula(), validation.fold()[i], y[i], validation.mean()[i], validation.std()[i]));
        }
        String finalUnit = unit;
        ModelRecord model = new ModelRecord(UUID.randomUUID(), request.name(), 0, request.description(), caller.org(),
                sharing.visibility().name(), sharing.sharedWith(), "READY", request.targetProperty(), finalUnit,
                featuriser.name(), featuriser.version(), featuriser.featureNames().size(), params.algorithm().name(),
                JSON.valueToTree(recorded(params, regressor)).toString(), params.seed(), lineage(read), request.sources(),
                request.duplicates(), all.size(), metrics(validation, request.folds()), domain.neighbours(),
                domain.quantile(), domain.threshold(), id, sha256(artifact), artifact.length, caller.subject(),
                Instant.now(), null);
        if (cancel.get()) {
            throw new Cancelled();
        }
        return SqlErrors.call(() -> models.insert(model, artifact, outOfFold));
    }

    private static String lineage(List<CatalogReader.Source> sources) {
        ArrayNode lineage = JSON.createArrayNode();
        for (CatalogReader.Source source : sources) {
            lineage.addObject().put("dataset_id", source.dataset().getId()).put("version", source.version())
                    .put("owner_org", source.dataset().getOwnerOrg())
                    .put("visibility", source.dataset().getVisibility().name().replace("VISIBILITY_", ""))
                    .put("rows_used", source.rows().size());
        }
        return lineage.toString();
    }

    private static String metrics(CrossValidation.Result validation, int folds) {
        ObjectNode metrics = JSON.createObjectNode().put("k_folds", folds);
        metrics.set("overall", metricsNode(validation.overall()));
        ArrayNode perFold = metrics.putArray("folds");
        validation.folds().forEach(fold -> perFold.add(metricsNode(fold)));
        return metrics.toString();
    }

    private static ObjectNode metricsNode(CrossValidation.Metrics metrics) {
        return JSON.createObjectNode().put("mae", metrics.mae()).put("rmse", metrics.rmse()).put("r2", metrics.r2())
                .put("coverage_68", metrics.coverage68()).put("coverage_95", metrics.coverage95())
                .put("count", metrics.count());
    }

    /** The hyper-parameters the final model used, and how any the request left open were chosen. */
    private static Map<String, Object> recorded(ModelParams requested, Regressor fitted) {
        Map<String, Object> recorded = new LinkedHashMap<>(fitted.params().recorded());
        if (requested instanceof RandomForest.Params forest && forest.choosesFeatures()) {
            recorded.put("max_features_selection", "out_of_bag");
        }
        return recorded;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
