package org.mihub.gateway.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** JSON shapes of the model, prediction and job endpoints. */
public final class ModelViews {

    private ModelViews() {
    }

    /** A dataset to train on, optionally at a version. */
    public record DatasetRefInput(String datasetId, Integer version) {
    }

    /**
     * Hyper-parameters of the chosen algorithm. Random forest: nTrees, maxDepth, minSamplesLeaf,
     * maxFeatures. Gradient boosting: nEstimators, learningRate, maxDepth, subsample,
     * minSamplesLeaf, ensembleSize. Gaussian process: kernel, restarts, noiseVariance. A field of
     * another algorithm is refused.
     */
    public record HyperparametersInput(Integer nTrees, Integer maxDepth, Integer minSamplesLeaf, Double maxFeatures,
            Integer nEstimators, Double learningRate, Double subsample, Integer ensembleSize, String kernel,
            Integer restarts, Double noiseVariance, String loss) {
    }

    public record DomainInput(Integer neighbours, Double thresholdQuantile) {
    }

    /** A featuriser: {@code magpie} (the default) or {@code element_fraction}; no version means the newest. */
    public record FeaturiserInput(String id, String version) {
    }

    /**
     * Body of {@code POST /api/v1/models}. {@code task}: {@code REGRESSION} or {@code CLASSIFICATION}; absent,
     * the target property's value type decides (numeric: regression; boolean or categorical: a classifier).
     */
    public record TrainInput(String name, String description, List<DatasetRefInput> datasets, String targetProperty,
            List<String> sources, String algorithm, HyperparametersInput hyperparameters, Long seed, Integer kFolds,
            String duplicates, DomainInput applicabilityDomain, FeaturiserInput featuriser, String task) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /**
     * A job; {@code attempts} says each time a process of the service started it and how that ended
     * (a job whose process stopped is taken up again by another one).
     */
    public record JobView(String id, String kind, String state, double progress, String message, String resultId,
            Instant createdAt, Instant updatedAt, List<AttemptView> attempts) {
    }

    /** One attempt at a job: which process ran it, when, and how it ended (absent while it runs). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int number, String worker, Instant startedAt, Instant endedAt, String outcome) {
    }

    public record MetricsView(double mae, double rmse, double r2, double coverage68, double coverage95, long count) {
    }

    /** A reliability bin: predictions stated in [lower, upper), how many, their mean and the share that came true. */
    public record ReliabilityBinView(double lower, double upper, long count, double meanPredicted,
            double observedFraction) {
    }

    /**
     * A classifier's cross-validated metrics on calibrated out-of-fold probabilities; {@code confusion[r][c]}
     * counts rows of observed class r (in the model's {@code classes} order) predicted as class c.
     */
    public record ClassificationMetricsView(double accuracy, double balancedAccuracy, double rocAuc, double logLoss,
            double brier, long count, List<ReliabilityBinView> reliability, List<List<Long>> confusion) {
    }

    /** How a classifier's probabilities are calibrated ({@code isotonic} or {@code platt}) and the nested log-losses. */
    public record CalibrationView(String method, double isotonicLogLoss, double plattLogLoss,
            double uncalibratedLogLoss) {
    }

    public record LineageView(String datasetId, int version, String ownerOrg, String visibility, long rowsUsed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelView(String id, String name, int version, String description, String ownerOrg,
            String visibility, List<String> sharedWith, String status, String targetProperty, String targetUnit,
            String featuriser, int featureCount, String algorithm, Map<String, Object> hyperparameters, long seed,
            List<LineageView> lineage, List<String> sources, String duplicates, long trainingRows, int kFolds,
            MetricsView metrics, List<MetricsView> foldMetrics, int domainNeighbours, double domainQuantile,
            double domainThreshold, String jobId, String artifactSha256, long artifactSizeBytes, String createdBy,
            Instant createdAt, Instant archivedAt, ExplanationViews.ImportanceView permutationImportance,
            String task, List<String> classes, ClassificationMetricsView classificationMetrics,
            List<ClassificationMetricsView> classificationFoldMetrics, CalibrationView calibration) {
    }

    public record ModelPage(List<ModelView> models, String nextCursor) {
    }

    /** Of a classifier: observed and mean are class indexes (observed, most probable) and probabilities are set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutOfFoldView(String materialIds, String datasetId, String reducedFormula, int fold,
            double observed, double mean, double std, List<Double> probabilities) {
    }

    public record OutOfFoldPage(List<OutOfFoldView> predictions, long total, String nextCursor) {
    }

    /** One composition to predict: a formula, or element amounts; an optional id echoes back. */
    public record CompositionInputView(String id, String formula, Map<String, Double> amounts) {
    }

    /** Body of {@code POST /api/v1/models/{id}/predict}: {@code formulas} and/or {@code inputs}. */
    public record PredictInput(List<String> formulas, List<CompositionInputView> inputs) {
    }

    public record FormulaErrorView(String code, int position, String reason, String token) {
    }

    /**
     * One prediction: a regression model's mean, std and intervals, or a classifier's {@code predictedClass}
     * and calibrated {@code probabilities} (one per class, in the model's order); the domain flag either way.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PredictionView(long index, String id, String reducedFormula, Double mean, Double std,
            List<Double> interval68, List<Double> interval95, Boolean inDomain, Double domainDistance,
            FormulaErrorView error, ExplanationViews.ExplanationView explanation, String predictedClass,
            List<ClassProbabilityView> probabilities) {
    }

    public record ClassProbabilityView(String label, double probability) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelSummaryView(String id, String name, int version, String targetProperty, String targetUnit,
            double domainThreshold, String task, List<String> classes) {
    }

    public record PredictionPage(ModelSummaryView model, List<PredictionView> predictions) {
    }

    public record ArchiveInput(String reason) {
    }
}
