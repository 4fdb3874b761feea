package org.mihub.prediction.mapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.Calibration;
import org.mihub.api.prediction.v1.ClassProbability;
import org.mihub.api.prediction.v1.ClassificationMetrics;
import org.mihub.api.prediction.v1.PredictedClass;
import org.mihub.api.prediction.v1.ReliabilityBin;
import org.mihub.api.prediction.v1.Task;
import org.mihub.api.prediction.v1.ApplicabilityDomainSpec;
import org.mihub.api.prediction.v1.CompositionInput;
import org.mihub.api.prediction.v1.DatasetLineage;
import org.mihub.api.prediction.v1.DuplicatePolicy;
import org.mihub.api.prediction.v1.FeaturiserRef;
import org.mihub.api.prediction.v1.FormulaError;
import org.mihub.api.prediction.v1.FormulaErrorCode;
import org.mihub.api.prediction.v1.Interval;
import org.mihub.api.prediction.v1.Metrics;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.ModelMetrics;
import org.mihub.api.prediction.v1.ModelStatus;
import org.mihub.api.prediction.v1.ModelSummary;
import org.mihub.api.prediction.v1.Prediction;
import org.mihub.api.prediction.v1.PredictedValue;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.FieldViolation;
import org.mihub.prediction.client.CatalogClient;
import org.mihub.prediction.inference.InferenceService;
import org.mihub.prediction.model.ClassifierParams;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.features.Featurisers;
import org.mihub.prediction.model.ModelParams;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.training.JobRecord;
import org.mihub.prediction.training.TrainingRequest;
import org.mihub.common.grpc.JobMessages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;

/** Between the prediction contract and the service's own types; every bad field is named. */
public final class PredictionMapper {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,99}");

    private PredictionMapper() {
    }

    public static TrainingRequest training(TrainModelRequest request, long defaultSeed) {
        List<FieldViolation> violations = new ArrayList<>();
        if (!NAME.matcher(request.getName()).matches()) {
            violations.add(new FieldViolation("name", "1 to 100 letters, digits, spaces, '.', '_' or '-', "
                    + "starting with a letter or digit"));
        }
        if (request.getDatasetsCount() == 0) {
            violations.add(new FieldViolation("datasets", "at least one dataset is required"));
        }
        List<TrainingRequest.DatasetVersion> datasets = new ArrayList<>();
        for (int i = 0; i < request.getDatasetsCount(); i++) {
            var dataset = request.getDatasets(i);
            try {
                UUID.fromString(dataset.getDatasetId());
            } catch (IllegalArgumentException e) {
                violations.add(new FieldViolation("datasets[" + i + "].dataset_id", "not a dataset id"));
            }
            if (dataset.hasVersion() && dataset.getVersion() < 1) {
                violations.add(new FieldViolation("datasets[" + i + "].version", "versions start at 1"));
            }
            datasets.add(new TrainingRequest.DatasetVersion(dataset.getDatasetId(),
                    dataset.hasVersion() ? dataset.getVersion() : null));
        }
        if (request.getTargetProperty().isBlank()) {
            violations.add(new FieldViolation("target_property", "required, e.g. band_gap"));
        }
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < request.getSourcesCount(); i++) {
            MeasurementSource source = request.getSources(i);
            if (source == MeasurementSource.MEASUREMENT_SOURCE_UNSPECIFIED || source == MeasurementSource.UNRECOGNIZED) {
                violations.add(new FieldViolation("sources[" + i + "]", "EXPERIMENT, SIMULATION or PREDICTION"));
            } else {
                sources.add(source.name().replace("MEASUREMENT_SOURCE_", "").toLowerCase(Locale.ROOT));
            }
        }
        Featuriser featuriser = null;
        try {
            featuriser = Featurisers.get(request.getFeaturiser().getId(), request.getFeaturiser().getVersion());
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation("featuriser", e.getMessage()));
        }
        long seed = request.hasSeed() ? request.getSeed() : defaultSeed;
        // an unset task is decided by the target's value type (resolveTask); until then the request is read
        // as regression, so that every other field is checked before the catalog is asked
        boolean classification = request.getTask() == Task.TASK_CLASSIFICATION;
        if (request.getTask() == Task.UNRECOGNIZED) {
            violations.add(new FieldViolation("task", "TASK_REGRESSION, TASK_CLASSIFICATION or unset"));
        }
        ModelParams model = classification ? null : HyperparameterMapper.params(request, seed, violations);
        ClassifierParams classifier = classification ? HyperparameterMapper.classifier(request, seed, violations)
                : null;
        int folds = request.hasKFolds() ? request.getKFolds() : 5;
        if (folds < 2 || folds > 10) {
            violations.add(new FieldViolation("k_folds", "from 2 to 10"));
        }
        ApplicabilityDomainSpec domain = request.getApplicabilityDomain();
        int neighbours = domain.hasNeighbours() ? domain.getNeighbours() : 5;
        if (neighbours < 1 || neighbours > 50) {
            violations.add(new FieldViolation("applicability_domain.neighbours", "from 1 to 50"));
        }
        double quantile = domain.hasThresholdQuantile() ? domain.getThresholdQuantile() : 0.95;
        if (!(quantile > 0.5 && quantile < 1)) {
            violations.add(new FieldViolation("applicability_domain.threshold_quantile", "in (0.5, 1)"));
        }
        if (!violations.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT, violations.get(0).field() + ": "
                    + violations.get(0).reason(), violations);
        }
        return new TrainingRequest(request.getName(), request.getDescription(), datasets, request.getTargetProperty(),
                sources, featuriser, model, folds,
                request.getDuplicates() == DuplicatePolicy.DUPLICATE_POLICY_KEEP_ALL ? "KEEP_ALL" : "MEAN",
                neighbours, quantile, classifier, classification ? request.getTargetLabelsList() : List.of());
    }

    /**
     * The request with its task decided by the target property's value type in the catalog's vocabulary
     * (numeric: regression; boolean or categorical: classification, with the classes written in as
     * {@code target_labels}, "false" and "true" for a boolean), so that the stored request needs no catalog
     * to be read again. A task that does not fit the type, or a text property, is INVALID_ARGUMENT naming
     * the field.
     */
    public static TrainModelRequest resolveTask(TrainModelRequest request, CatalogClient.TargetProperty target) {
        String name = target.name();
        var resolved = request.toBuilder().clearTargetLabels();
        switch (target.valueType()) {
            case NUMERIC:
                if (request.getTask() == Task.TASK_CLASSIFICATION) {
                    throw ApiException.invalid("task", "'" + name + "' is a numeric property: it trains a regression "
                            + "model (TASK_REGRESSION or unset); classification needs a boolean or categorical target");
                }
                return resolved.setTask(Task.TASK_REGRESSION).build();
            case BOOLEAN:
            case CATEGORICAL:
                if (request.getTask() == Task.TASK_REGRESSION) {
                    throw ApiException.invalid("task", "'" + name + "' is a " + target.valueType().name()
                            .toLowerCase(Locale.ROOT) + " property: it trains a classifier (TASK_CLASSIFICATION or "
                            + "unset); regression needs a numeric target");
                }
                List<String> labels = target.valueType() == CatalogClient.ValueType.BOOLEAN ? List.of("false", "true")
                        : target.labels();
                if (labels.size() < 2) {
                    throw ApiException.invalid("target_property", "'" + name + "' has only " + labels.size()
                            + " label(s) in the vocabulary; a classifier needs at least two classes");
                }
                return resolved.setTask(Task.TASK_CLASSIFICATION).addAllTargetLabels(labels).build();
            default:
                throw ApiException.invalid("target_property", "'" + name + "' is a text property: no model learns "
                        + "it (a regression target is numeric, a classification target boolean or categorical)");
        }
    }

    public static Job job(JobRecord job) {
        var proto = Job.newBuilder().setId(job.id().toString()).setKind(job.kind())
                .setState(JobState.valueOf(job.state())).setProgress(job.progress()).setMessage(job.message())
                .setCreatedAt(timestamp(job.createdAt())).setUpdatedAt(timestamp(job.updatedAt()));
        if (job.resultId() != null) {
            proto.setResultId(job.resultId().toString());
        }
        job.attempts().forEach(attempt -> proto.addAttempts(JobMessages.attempt(attempt)));
        return proto.build();
    }

    public static Model model(ModelRecord model) {
        JsonNode hyper = tree(model.hyperParametersJson());
        var proto = Model.newBuilder().setId(model.id().toString()).setName(model.name()).setVersion(model.version())
                .setDescription(model.description()).setOwnerOrg(model.ownerOrg())
                .setVisibility(Visibility.valueOf(model.visibility())).addAllSharedWith(model.sharedWith())
                .setStatus(ModelStatus.valueOf("MODEL_STATUS_" + model.status()))
                .setTargetProperty(model.targetProperty()).setTargetUnit(model.targetUnit())
                .setFeaturiser(FeaturiserRef.newBuilder().setId(model.featuriser()).setVersion(model.featuriserVersion()))
                .setFeatureCount(model.featureCount()).setAlgorithm(Algorithm.valueOf("ALGORITHM_" + model.algorithm()))
                .setHyperparameters(model.classifier() ? HyperparameterMapper.recordedClassifier(model.algorithm(), hyper)
                        : HyperparameterMapper.recorded(model.algorithm(), hyper))
                .setTask(model.classifier() ? Task.TASK_CLASSIFICATION : Task.TASK_REGRESSION)
                .addAllClasses(model.classes())
                .setSeed(model.seed()).setTrainingRows(model.trainingRows())
                .setDuplicates(model.duplicates().equals("KEEP_ALL") ? DuplicatePolicy.DUPLICATE_POLICY_KEEP_ALL
                        : DuplicatePolicy.DUPLICATE_POLICY_MEAN)
                .setApplicabilityDomain(ApplicabilityDomainSpec.newBuilder().setNeighbours(model.domainNeighbours())
                        .setThresholdQuantile(model.domainQuantile()))
                .setDomainThreshold(model.domainThreshold()).setArtifactSha256(model.artifactSha256())
                .setArtifactSizeBytes(model.artifactSize()).setCreatedBy(model.createdBy())
                .setCreatedAt(timestamp(model.createdAt()));
        if (model.jobId() != null) {
            proto.setJobId(model.jobId().toString());
        }
        if (model.archivedAt() != null) {
            proto.setArchivedAt(timestamp(model.archivedAt()));
        }
        for (String source : model.sources()) {
            proto.addSources(MeasurementSource.valueOf("MEASUREMENT_SOURCE_" + source.toUpperCase(Locale.ROOT)));
        }
        for (JsonNode dataset : tree(model.lineageJson())) {
            proto.addLineage(DatasetLineage.newBuilder().setDatasetId(dataset.path("dataset_id").asText())
                    .setVersion(dataset.path("version").asInt()).setOwnerOrg(dataset.path("owner_org").asText())
                    .setVisibility(Visibility.valueOf(dataset.path("visibility").asText()))
                    .setRowsUsed(dataset.path("rows_used").asLong()));
        }
        JsonNode metrics = tree(model.metricsJson());
        var modelMetrics = ModelMetrics.newBuilder().setKFolds(metrics.path("k_folds").asInt());
        if (model.classifier()) {
            modelMetrics.setClassificationOverall(classification(metrics.path("classification_overall")));
            metrics.path("classification_folds").forEach(fold -> modelMetrics.addClassificationFolds(
                    classification(fold)));
            JsonNode calibration = metrics.path("calibration");
            modelMetrics.setCalibration(Calibration.newBuilder().setMethod(calibration.path("method").asText())
                    .setIsotonicLogLoss(calibration.path("isotonic_log_loss").asDouble())
                    .setPlattLogLoss(calibration.path("platt_log_loss").asDouble())
                    .setUncalibratedLogLoss(calibration.path("uncalibrated_log_loss").asDouble()));
        } else {
            modelMetrics.setOverall(metrics(metrics.path("overall")));
            metrics.path("folds").forEach(fold -> modelMetrics.addFolds(metrics(fold)));
        }
        var importance = ExplanationMapper.importance(metrics.path("permutation_importance"));
        if (importance != null) {
            modelMetrics.setPermutationImportance(importance);
        }
        return proto.setMetrics(modelMetrics).build();
    }

    /** Classification metrics as the training job stored them (TrainingService's JSON). */
    private static ClassificationMetrics classification(JsonNode node) {
        var metrics = ClassificationMetrics.newBuilder().setAccuracy(node.path("accuracy").asDouble())
                .setBalancedAccuracy(node.path("balanced_accuracy").asDouble())
                .setRocAuc(node.path("roc_auc").asDouble()).setLogLoss(node.path("log_loss").asDouble())
                .setBrier(node.path("brier").asDouble()).setCount(node.path("count").asLong());
        node.path("reliability").forEach(bin -> metrics.addReliability(ReliabilityBin.newBuilder()
                .setLower(bin.path("lower").asDouble()).setUpper(bin.path("upper").asDouble())
                .setCount(bin.path("count").asLong()).setMeanPredicted(bin.path("mean_predicted").asDouble())
                .setObservedFraction(bin.path("observed_fraction").asDouble())));
        node.path("confusion").forEach(row -> row.forEach(cell -> metrics.addConfusion(cell.asLong())));
        return metrics.build();
    }

    private static Metrics metrics(JsonNode node) {
        return Metrics.newBuilder().setMae(node.path("mae").asDouble()).setRmse(node.path("rmse").asDouble())
                .setR2(node.path("r2").asDouble()).setCoverage68(node.path("coverage_68").asDouble())
                .setCoverage95(node.path("coverage_95").asDouble()).setCount(node.path("count").asLong()).build();
    }

    public static ModelSummary summary(ModelRecord model) {
        return ModelSummary.newBuilder().setModelId(model.id().toString()).setName(model.name())
                .setVersion(model.version()).setTargetProperty(model.targetProperty()).setTargetUnit(model.targetUnit())
                .setDomainThreshold(model.domainThreshold())
                .setTask(model.classifier() ? Task.TASK_CLASSIFICATION : Task.TASK_REGRESSION)
                .addAllClasses(model.classes()).build();
    }

    public static List<InferenceService.Input> inputs(List<CompositionInput> inputs) {
        return inputs.stream().map(input -> new InferenceService.Input(input.getId(),
                input.hasAmounts() ? null : input.getFormula(),
                input.hasAmounts() ? input.getAmounts().getAmountsMap() : null)).toList();
    }

    public static Prediction prediction(InferenceService.Outcome outcome) {
        var proto = Prediction.newBuilder().setId(outcome.id()).setIndex(outcome.index())
                .setReducedFormula(outcome.reducedFormula());
        if (outcome.problem() != null) {
            return proto.setError(error(outcome.problem().code(), outcome.problem().position(),
                    outcome.problem().reason(), outcome.problem().token())).build();
        }
        if (outcome.probabilities() != null) {
            var predicted = PredictedClass.newBuilder().setPredictedClass(outcome.predictedClass())
                    .setInDomain(outcome.inDomain()).setDomainDistance(outcome.domainDistance());
            for (int c = 0; c < outcome.classes().size(); c++) {
                predicted.addProbabilities(ClassProbability.newBuilder().setLabel(outcome.classes().get(c))
                        .setProbability(outcome.probabilities()[c]));
            }
            return proto.setClassPrediction(predicted).build();
        }
        double mean = outcome.mean();
        double std = outcome.std();
        var value = PredictedValue.newBuilder().setMean(mean).setStd(std)
                .setInterval68(Interval.newBuilder().setLower(mean - std).setUpper(mean + std))
                .setInterval95(Interval.newBuilder().setLower(mean - 1.96 * std).setUpper(mean + 1.96 * std))
                .setInDomain(outcome.inDomain()).setDomainDistance(outcome.domainDistance());
        if (outcome.explanation() != null) {
            value.setExplanation(ExplanationMapper.explanation(outcome.explanation()));
        }
        return proto.setValue(value).build();
    }

    public static FormulaError error(String code, int position, String reason, String token) {
        return FormulaError.newBuilder().setCode(FormulaErrorCode.valueOf("FORMULA_ERROR_CODE_" + code))
                .setPosition(position).setReason(reason).setToken(token == null ? "" : token).build();
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }
}
