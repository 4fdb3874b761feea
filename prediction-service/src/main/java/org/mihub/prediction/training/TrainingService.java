package org.mihub.prediction.training;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.access.Sharing;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.identity.CallerContext;
import org.mihub.common.config.JobsConfig;
import org.mihub.common.jobs.JobTable;
import org.mihub.common.sql.SqlErrors;
import org.mihub.prediction.client.CatalogClient;
import org.mihub.prediction.config.TrainingConfig;
import org.mihub.common.jobs.JobContext;
import org.mihub.common.jobs.JobRunner;
import org.mihub.prediction.features.FeaturiseException;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.Calibration;
import org.mihub.prediction.model.ClassificationMetrics;
import org.mihub.prediction.model.Classifier;
import org.mihub.prediction.model.ClassifierParams;
import org.mihub.prediction.model.ClassifierValidation;
import org.mihub.prediction.model.GradientBoostingClassifier;
import org.mihub.prediction.model.RandomForestClassifier;
import org.mihub.prediction.model.TrainedClassifier;
import org.mihub.prediction.model.CrossValidation;
import org.mihub.prediction.model.GaussianProcessModel;
import org.mihub.prediction.model.GradientBoosting;
import org.mihub.prediction.model.ModelParams;
import org.mihub.prediction.model.PermutationImportance;
import org.mihub.prediction.model.RandomForest;
import org.mihub.prediction.model.Regressor;
import org.mihub.prediction.model.TrainedModel;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.registry.ModelRepository;
import org.mihub.prediction.registry.OutOfFold;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Training jobs: read the data from the catalog as the caller when the job is submitted, keep them
 * with the job, then featurise, cross-validate, fit the final model and its applicability domain,
 * and store model, artifact and out-of-fold predictions in one transaction. Jobs run through the
 * shared {@link JobRunner}: one at a time per process (each uses the training threads), on whichever
 * replica claims them, with progress, cancellation and a lease; a job whose process stopped is taken
 * up again from its stored request and data. They leave nothing behind when they fail or are
 * cancelled, and any failure, running out of memory included, ends them FAILED at once with a
 * message that says what to do.
 */
@ApplicationScoped
public class TrainingService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIN_ROWS = 10;
    /** Catalog reads of submitted jobs at once, beside the job that runs. */
    private static final int INTAKE_THREADS = 2;
    private static final String OUT_OF_MEMORY_ADVICE = "Train on fewer rows (fewer or smaller datasets) or on fewer "
            + "trees, or give prediction-service a larger heap: -Xmx in the launcher (Service.java of the launcher "
            + "module), or the memory limit of its container in Kubernetes (k8s/base/prediction-service.yaml; the "
            + "heap is 75% of it).";

    @Inject
    JobRepository jobs;

    @Inject
    ModelRepository models;

    @Inject
    CatalogClient catalog;

    @Inject
    TrainingConfig config;

    @Inject
    JobsConfig jobsConfig;

    @Inject
    StoredRequests storedRequests;

    private JobTable<UUID> table;
    private JobRunner<UUID> runner;
    private ExecutorService intake;

    @PostConstruct
    void start() {
        table = jobs.table(jobsConfig.maxAttempts());
        intake = Executors.newFixedThreadPool(INTAKE_THREADS, task -> {
            Thread thread = new Thread(task, "training-intake");
            thread.setDaemon(true);
            return thread;
        });
        runner = new JobRunner<>("training", "prediction-service", table, TrainingService::failure,
                OUT_OF_MEMORY_ADVICE, JobRunner.Leases.on(JobsConfig.host(jobsConfig), jobsConfig.lease(),
                        jobsConfig.poll()), this::resume);
    }

    @PreDestroy
    void stop() {
        intake.shutdownNow();
        runner.close();
    }

    /** What the user reads when a job failed of something other than running out of memory. */
    static String failure(Throwable e) {
        if (e instanceof ApiException) {
            return e.getMessage();
        }
        return CatalogClient.refusal(e).map(refusal -> "the catalog refused: " + refusal)
                .orElse("training failed: " + e.getClass().getSimpleName());
    }

    /**
     * Queues a training job for the caller. Its data are read from the catalog at once, as the
     * caller and while the caller's token is fresh, and kept with the job until it ends; then any
     * process of the service may run it, and take it up again if the one running it stops.
     * {@code requestMessage} is the request as the caller sent it, its seed fixed ({@link StoredRequests}).
     */
    public JobRecord submit(Caller caller, String token, TrainingRequest request, byte[] requestMessage) {
        if (!caller.hasRole(Caller.CONTRIBUTOR) && !caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("role 'contributor' is required to train a model");
        }
        UUID id = UUID.randomUUID();
        ObjectNode recorded = JSON.createObjectNode().put("name", request.name())
                .put("target_property", request.targetProperty());
        ArrayNode datasets = recorded.putArray("datasets");
        request.datasets().forEach(dataset -> datasets.add(dataset.datasetId()));
        jobs.insert(id, "train-model", caller.org(), caller.subject(), recorded.toString(), requestMessage,
                runner.worker());
        runner.hold(id);
        var context = CallerContext.with(caller, token);
        try {
            intake.execute(() -> {
                try {
                    List<byte[]> read = context.call(() -> {
                        List<byte[]> snapshots = new ArrayList<>();
                        for (TrainingRequest.DatasetVersion dataset : request.datasets()) {
                            snapshots.add(catalog.snapshot(dataset.datasetId(), dataset.version(),
                                    request.targetProperty(), request.sources()));
                        }
                        return snapshots;
                    });
                    table.storeInputs(id, read);
                    runner.offer(id);
                } catch (Throwable e) {
                    runner.fail(id, e);
                }
            });
        } catch (RejectedExecutionException e) {
            runner.fail(id, e);
        }
        return job(Optional.of(caller), id);
    }

    /** The work of a claimed job, from its stored request and the data read for it. */
    private JobRunner.Work<UUID> resume(UUID id) throws Exception {
        JobRepository.Stored stored = jobs.stored(id).orElseThrow(() -> new JobRunner.NotResumableException(
                "the job's record is gone"));
        Optional<ModelRecord> done = models.findByJob(id);
        if (done.isPresent()) {
            // stored by an attempt whose process stopped before it recorded the job's end
            ModelRecord model = done.get();
            return job -> new JobRunner.Outcome<>(ready(model), model.id());
        }
        List<byte[]> inputs = table.inputs(id);
        if (stored.requestMessage() == null || inputs.isEmpty()) {
            throw new JobRunner.NotResumableException("the service stopped before it had read the job's data from "
                    + "the catalog (they are read as you, once, and kept for the job); submit it again");
        }
        TrainingRequest request = storedRequests.read(stored.requestMessage());
        return job -> {
            List<CatalogClient.Export> read = inputs.stream()
                    .map(input -> CatalogClient.read(input, request.targetProperty())).toList();
            ModelRecord model = train(job, stored.ownerOrg(), stored.createdBy(), request, read);
            return new JobRunner.Outcome<>(ready(model), model.id());
        };
    }

    private static String ready(ModelRecord model) {
        return "model " + model.name() + " version " + model.version() + " is ready";
    }

    /** The job, for members of the organisation that started it (and admins); NOT_FOUND otherwise. */
    public JobRecord job(Optional<Caller> caller, UUID id) {
        JobRecord job = jobs.find(id).orElseThrow(() -> ApiException.notFound("job", id.toString()));
        if (caller.isEmpty() || !(caller.get().hasRole(Caller.ADMIN) || caller.get().org().equals(job.ownerOrg()))) {
            throw ApiException.notFound("job", id.toString());
        }
        return job.withAttempts(SqlErrors.call(() -> table.attempts(id)));
    }

    public JobRecord cancel(Caller caller, UUID id) {
        JobRecord job = job(Optional.of(caller), id);
        if (!job.finished()) {
            SqlErrors.call(() -> {
                runner.cancel(id, job.progress(), "cancelled by " + caller.subject());
                return null;
            });
        }
        return job(Optional.of(caller), id);
    }

    /** One training example: a reduced formula, its features, its target and where it came from. */
    private record Example(String reducedFormula, double[] features, List<Double> targets, List<String> materialIds,
            String datasetId, List<String> labels) {
    }

    private ModelRecord train(JobContext job, String ownerOrg, String createdBy, TrainingRequest request,
            List<CatalogClient.Export> read) {
        ModelParams params = request.model();
        job.size(size(request.datasets().size() + " dataset(s)", request.featuriser(), request));
        job.progress(0.02, "reading the data of " + request.datasets().size() + " dataset(s)");
        String unit = null;
        for (CatalogClient.Export source : read) {
            if (!source.rows().isEmpty()) {
                if (unit != null && !unit.equals(source.unit())) {
                    throw ApiException.invalid("target_property", "datasets report " + request.targetProperty()
                            + " in " + unit + " and " + source.unit());
                }
                unit = source.unit();
            }
        }
        Featuriser featuriser = request.featuriser();
        job.size(size(read.stream().mapToInt(source -> source.rows().size()).sum() + " rows", featuriser, request));
        job.progress(0.15, "featurising");
        Map<String, Example> examples = new LinkedHashMap<>();
        List<Example> all = new ArrayList<>();
        int skipped = 0;
        for (CatalogClient.Export source : read) {
            for (CatalogClient.Row row : source.rows()) {
                if (request.classification() && row.label() == null) {
                    continue;
                }
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
                    example = new Example(key, features, new ArrayList<>(), new ArrayList<>(), row.datasetId(),
                            new ArrayList<>());
                    all.add(example);
                    examples.put(key, example);
                }
                if (request.classification()) {
                    example.labels().add(row.label());
                } else {
                    example.targets().add(row.value());
                }
                example.materialIds().add(row.materialId());
            }
        }
        if (all.size() < Math.max(MIN_ROWS, 2 * request.folds())) {
            throw ApiException.invalid("datasets", "only " + all.size() + " usable rows with "
                    + request.targetProperty() + " in the datasets you may see; at least "
                    + Math.max(MIN_ROWS, 2 * request.folds()) + " are needed");
        }
        job.size(size(all.size() + " rows", featuriser, request));
        if (request.classification()) {
            return trainClassifier(job, ownerOrg, createdBy, request, read, all, skipped);
        }
        if (params.algorithm() == ModelParams.Algorithm.GAUSSIAN_PROCESS && all.size() > GaussianProcessModel.MAX_ROWS) {
            throw ApiException.invalid("algorithm", "a Gaussian process is for small data: the datasets give "
                    + all.size() + " rows, more than " + GaussianProcessModel.MAX_ROWS
                    + "; use ALGORITHM_RANDOM_FOREST or ALGORITHM_GRADIENT_BOOSTING");
        }
        double[][] x = all.stream().map(Example::features).toArray(double[][]::new);
        double[] y = all.stream().mapToDouble(example -> example.targets().stream().mapToDouble(Double::doubleValue)
                .average().orElseThrow()).toArray();
        job.progress(0.2, "cross-validating on " + all.size() + " rows (" + request.folds() + " folds)"
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
        // tree models: permutation importance on each fold's held-out rows, with the fold's model
        PermutationImportance.Collector importance = params.algorithm() == ModelParams.Algorithm.GAUSSIAN_PROCESS
                ? null : new PermutationImportance.Collector(x[0].length, PermutationImportance.REPEATS, params.seed());
        CrossValidation.Result validation = CrossValidation.run(x, y, group, request.folds(), params,
                config.trainingThreads(),
                fold -> job.progress(0.2 + 0.6 * (fold + 1) / request.folds(),
                        "fold " + (fold + 1) + " of " + request.folds() + " done"),
                importance == null ? null : (fold, model, heldOutX, heldOutY) -> {
                    job.progress(0.2 + 0.6 * (fold + 0.9) / request.folds(), "fold " + (fold + 1) + " of "
                            + request.folds() + ": permutation importance on its " + heldOutX.length + " held-out rows");
                    importance.fold(model, heldOutX, heldOutY, config.trainingThreads());
                });
        job.progress(0.82, "fitting the final model on all " + all.size() + " rows");
        Regressor regressor = params.fit(x, y, config.trainingThreads());
        job.progress(0.9, "measuring the applicability domain");
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, request.neighbours(), request.domainQuantile(),
                params.seed());
        byte[] artifact = new TrainedModel(featuriser.name(), featuriser.version(), featuriser.featureNames().size(),
                regressor, domain).toBytes();
        job.progress(0.96, "storing the model");
        Sharing sharing = Sharing.derived(ownerOrg, read.stream().map(CatalogClient.Export::sharing).toList(),
                Instant.now());
        List<OutOfFold> outOfFold = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Example example = all.get(i);
            outOfFold.add(new OutOfFold(i, String.join(",", example.materialIds()), UUID.fromString(example.datasetId()),
                    example.reducedFormula(), validation.fold()[i], y[i], validation.mean()[i], validation.std()[i]));
        }
        String finalUnit = unit;
        ModelRecord model = new ModelRecord(UUID.randomUUID(), request.name(), 0, request.description(), ownerOrg,
                sharing.visibility().name(), sharing.sharedWith(), "READY", request.targetProperty(), finalUnit,
                featuriser.name(), featuriser.version(), featuriser.featureNames().size(), params.algorithm().name(),
                JSON.valueToTree(recorded(params, regressor)).toString(), params.seed(), lineage(read), request.sources(),
                request.duplicates(), all.size(),
                metrics(validation, request.folds(), importance == null ? null : importance.result(),
                        featuriser.featureNames()), domain.neighbours(),
                domain.quantile(), domain.threshold(), job.id(), sha256(artifact), artifact.length, createdBy,
                Instant.now(), null);
        job.checkCancelled();
        return models.insert(model, artifact, outOfFold);
    }

    /** The size of a training job in the user's terms: rows, features, the model and the folds. */
    private static String size(String rows, Featuriser featuriser, TrainingRequest request) {
        ModelParams params = request.model();
        int folds = request.folds();
        String model = "a Gaussian process";
        if (request.classifier() instanceof RandomForestClassifier.Params forest) {
            model = "a random forest classifier of " + forest.trees() + " trees";
        } else if (request.classifier() instanceof GradientBoostingClassifier.Params boosting) {
            model = "gradient boosting of " + boosting.rounds() + " rounds"
                    + (request.labels().size() > 2 ? " × up to " + request.labels().size() + " classes" : "");
        } else if (params instanceof RandomForest.Params forest) {
            model = "a random forest of " + forest.trees() + " trees";
        } else if (params instanceof GradientBoosting.Params boosting) {
            model = "gradient boosting of " + boosting.rounds() + " rounds"
                    + (boosting.ensemble() > 1 ? " × " + boosting.ensemble() + " ensemble members" : "");
        }
        return rows + " × " + featuriser.featureNames().size() + " features, " + model + ", " + folds
                + "-fold cross-validation";
    }

    /**
     * A classifier: each example's class (with duplicates MEAN, the most frequent label of its rows, the
     * first in the vocabulary's order on a tie), the classes that occur (at least two, each in at least
     * k_folds rows or, with KEEP_ALL, compositions), stratified cross-validation with calibrated
     * out-of-fold probabilities, the final classifier with the calibration fitted on them, and its
     * applicability domain.
     */
    private ModelRecord trainClassifier(JobContext job, String ownerOrg, String createdBy, TrainingRequest request,
            List<CatalogClient.Export> read, List<Example> all, int skipped) {
        ClassifierParams params = request.classifier();
        Featuriser featuriser = request.featuriser();
        List<String> labels = request.labels();
        int[] label = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            int[] counts = new int[labels.size()];
            for (String given : all.get(i).labels()) {
                int c = labels.indexOf(given);
                if (c < 0) {
                    throw ApiException.invalid("target_property", "material " + all.get(i).materialIds().get(0)
                            + " has " + request.targetProperty() + " '" + given + "', which is not one of its classes "
                            + labels);
                }
                counts[c]++;
            }
            int best = 0;
            for (int c = 1; c < counts.length; c++) {
                best = counts[c] > counts[best] ? c : best;
            }
            label[i] = best;
        }
        // with every row kept, one composition's rows share a fold: the classes are counted in compositions
        int[] group = null;
        int[] perLabel = new int[labels.size()];
        if (request.duplicates().equals("MEAN")) {
            for (int c : label) {
                perLabel[c]++;
            }
        } else {
            Map<String, Integer> groups = new LinkedHashMap<>();
            group = new int[all.size()];
            for (int i = 0; i < group.length; i++) {
                int before = groups.size();
                group[i] = groups.computeIfAbsent(all.get(i).reducedFormula(), formula -> groups.size());
                if (groups.size() > before) {
                    perLabel[label[i]]++;
                }
            }
        }
        String unit = request.duplicates().equals("MEAN") ? "rows" : "compositions";
        List<String> classes = new ArrayList<>();
        int[] classOfLabel = new int[labels.size()];
        for (int c = 0; c < labels.size(); c++) {
            classOfLabel[c] = perLabel[c] > 0 ? classes.size() : -1;
            if (perLabel[c] > 0) {
                classes.add(labels.get(c));
            }
        }
        if (classes.size() < 2) {
            throw ApiException.invalid("target_property", "all " + all.size() + " usable rows of "
                    + request.targetProperty() + " are '" + classes.get(0) + "': a classifier needs rows of at least "
                    + "two classes");
        }
        for (int c = 0; c < labels.size(); c++) {
            if (perLabel[c] > 0 && perLabel[c] < request.folds()) {
                throw ApiException.invalid("k_folds", "class '" + labels.get(c) + "' of " + request.targetProperty()
                        + " has only " + perLabel[c] + " " + unit + ", fewer than the " + request.folds()
                        + " folds (each fold needs one): lower k_folds to " + Math.max(2, perLabel[c])
                        + " or add rows of '" + labels.get(c) + "'");
            }
        }
        int[] y = new int[all.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = classOfLabel[label[i]];
        }
        double[][] x = all.stream().map(Example::features).toArray(double[][]::new);
        job.progress(0.2, "cross-validating a classifier of " + classes.size() + " classes on " + all.size()
                + " rows (" + request.folds() + " stratified folds)"
                + (skipped > 0 ? "; " + skipped + " rows skipped: formula without element data" : ""));
        ClassifierValidation.Result validation = ClassifierValidation.run(x, y, classes.size(), group,
                request.folds(), params, config.trainingThreads(),
                fold -> job.progress(0.2 + 0.6 * (fold + 1) / request.folds(),
                        "fold " + (fold + 1) + " of " + request.folds() + " done"));
        job.progress(0.82, "fitting the final classifier on all " + all.size() + " rows");
        Classifier classifier = params.fit(x, y, classes.size(), config.trainingThreads());
        job.progress(0.9, "measuring the applicability domain");
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, request.neighbours(), request.domainQuantile(),
                params.seed());
        byte[] artifact = new TrainedClassifier(featuriser.name(), featuriser.version(),
                featuriser.featureNames().size(), classes, classifier, validation.calibration().calibration(), domain)
                .toBytes();
        job.progress(0.96, "storing the model");
        Sharing sharing = Sharing.derived(ownerOrg, read.stream().map(CatalogClient.Export::sharing).toList(),
                Instant.now());
        List<OutOfFold> outOfFold = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Example example = all.get(i);
            double[] p = validation.calibrated()[i];
            outOfFold.add(new OutOfFold(i, String.join(",", example.materialIds()), UUID.fromString(example.datasetId()),
                    example.reducedFormula(), validation.fold()[i], y[i], ClassificationMetrics.predicted(p), 0,
                    java.util.Arrays.stream(p).boxed().toList()));
        }
        ModelRecord model = new ModelRecord(UUID.randomUUID(), request.name(), 0, request.description(), ownerOrg,
                sharing.visibility().name(), sharing.sharedWith(), "READY", request.targetProperty(), "",
                featuriser.name(), featuriser.version(), featuriser.featureNames().size(), params.algorithm().name(),
                JSON.valueToTree(classifier.params().recorded()).toString(), params.seed(), lineage(read),
                request.sources(), request.duplicates(), all.size(), classificationMetrics(validation, request.folds(),
                        classes), domain.neighbours(), domain.quantile(), domain.threshold(), job.id(),
                sha256(artifact), artifact.length, createdBy, Instant.now(), null, ModelRecord.CLASSIFICATION, classes);
        job.checkCancelled();
        return models.insert(model, artifact, outOfFold);
    }

    private static String classificationMetrics(ClassifierValidation.Result validation, int folds,
            List<String> classes) {
        ObjectNode metrics = JSON.createObjectNode().put("k_folds", folds).put("task", "CLASSIFICATION");
        ArrayNode names = metrics.putArray("classes");
        classes.forEach(names::add);
        metrics.set("classification_overall", classificationNode(validation.overall()));
        ArrayNode perFold = metrics.putArray("classification_folds");
        validation.folds().forEach(fold -> perFold.add(classificationNode(fold)));
        Calibration.Choice choice = validation.calibration();
        ObjectNode calibration = metrics.putObject("calibration").put("method", choice.calibration().method().wire());
        finite(calibration, "isotonic_log_loss", choice.isotonicLogLoss());
        finite(calibration, "platt_log_loss", choice.plattLogLoss());
        finite(calibration, "uncalibrated_log_loss", choice.uncalibratedLogLoss());
        return metrics.toString();
    }

    private static ObjectNode classificationNode(ClassificationMetrics metrics) {
        ObjectNode node = JSON.createObjectNode();
        finite(node, "accuracy", metrics.accuracy());
        finite(node, "balanced_accuracy", metrics.balancedAccuracy());
        finite(node, "roc_auc", metrics.rocAuc());
        finite(node, "log_loss", metrics.logLoss());
        finite(node, "brier", metrics.brier());
        node.put("count", metrics.count());
        ArrayNode bins = node.putArray("reliability");
        for (ClassificationMetrics.Bin bin : metrics.reliability()) {
            bins.addObject().put("lower", bin.lower()).put("upper", bin.upper()).put("count", bin.count())
                    .put("mean_predicted", bin.meanPredicted()).put("observed_fraction", bin.observedFraction());
        }
        ArrayNode confusion = node.putArray("confusion");
        for (long[] row : metrics.confusion()) {
            ArrayNode cells = confusion.addArray();
            for (long cell : row) {
                cells.add(cell);
            }
        }
        return node;
    }

    /** A number, or null when it is not finite (JSON has no NaN: an area under the curve of a fold of one class). */
    private static void finite(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static String lineage(List<CatalogClient.Export> sources) {
        ArrayNode lineage = JSON.createArrayNode();
        for (CatalogClient.Export source : sources) {
            lineage.addObject().put("dataset_id", source.dataset().id()).put("version", source.version())
                    .put("owner_org", source.dataset().ownerOrg())
                    .put("visibility", source.dataset().visibility())
                    .put("rows_used", source.rows().size());
        }
        return lineage.toString();
    }

    private static String metrics(CrossValidation.Result validation, int folds, PermutationImportance.Result importance,
            List<String> names) {
        ObjectNode metrics = JSON.createObjectNode().put("k_folds", folds);
        metrics.set("overall", metricsNode(validation.overall()));
        ArrayNode perFold = metrics.putArray("folds");
        validation.folds().forEach(fold -> perFold.add(metricsNode(fold)));
        if (importance != null) {
            ObjectNode node = metrics.putObject("permutation_importance").put("metric", "mae")
                    .put("repeats", importance.repeats()).put("folds", importance.folds()).put("seed", importance.seed());
            ArrayNode features = node.putArray("features");
            for (PermutationImportance.Importance feature : importance.features()) {
                features.addObject().put("feature", feature.feature()).put("name", names.get(feature.feature()))
                        .put("mean", feature.mean()).put("std", feature.std()).put("count", feature.count());
            }
        }
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
