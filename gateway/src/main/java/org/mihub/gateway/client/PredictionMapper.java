package org.mihub.gateway.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.ApplicabilityDomainSpec;
import org.mihub.api.prediction.v1.CompositionInput;
import org.mihub.api.prediction.v1.DatasetRef;
import org.mihub.api.prediction.v1.DuplicatePolicy;
import org.mihub.api.prediction.v1.ElementAmounts;
import org.mihub.api.prediction.v1.ClassificationMetrics;
import org.mihub.api.prediction.v1.Metrics;
import org.mihub.api.prediction.v1.Task;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.ModelSummary;
import org.mihub.api.prediction.v1.OutOfFoldPrediction;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.Prediction;
import org.mihub.api.prediction.v1.FeaturiserRef;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.view.ModelViews.CompositionInputView;
import org.mihub.gateway.view.ModelViews.FormulaErrorView;
import org.mihub.gateway.view.ModelViews.LineageView;
import org.mihub.gateway.view.ModelViews.CalibrationView;
import org.mihub.gateway.view.ModelViews.ClassProbabilityView;
import org.mihub.gateway.view.ModelViews.ClassificationMetricsView;
import org.mihub.gateway.view.ModelViews.MetricsView;
import org.mihub.gateway.view.ModelViews.ReliabilityBinView;
import org.mihub.gateway.view.ModelViews.ModelSummaryView;
import org.mihub.gateway.view.ModelViews.ModelView;
import org.mihub.gateway.view.ModelViews.OutOfFoldView;
import org.mihub.gateway.view.ModelViews.PredictInput;
import org.mihub.gateway.view.ModelViews.PredictionView;
import org.mihub.gateway.view.ModelViews.TrainInput;

/** Between the views of models and predictions and the prediction contract. */
final class PredictionMapper {

    private PredictionMapper() {
    }

    static TrainModelRequest train(TrainInput input) {
        if (input == null) {
            throw new InvalidInput("body", "a JSON object with name, datasets and targetProperty is required");
        }
        var request = TrainModelRequest.newBuilder().setName(nonNull(input.name()))
                .setDescription(nonNull(input.description())).setTargetProperty(nonNull(input.targetProperty()));
        if (input.datasets() != null) {
            for (int i = 0; i < input.datasets().size(); i++) {
                var dataset = input.datasets().get(i);
                if (dataset == null) {
                    throw new InvalidInput("datasets[" + i + "]", "a {datasetId, version} object is required");
                }
                var ref = DatasetRef.newBuilder().setDatasetId(nonNull(dataset.datasetId()));
                if (dataset.version() != null) {
                    ref.setVersion(dataset.version());
                }
                request.addDatasets(ref);
            }
        }
        if (input.sources() != null) {
            for (int i = 0; i < input.sources().size(); i++) {
                request.addSources(MaterialMapper.source(input.sources().get(i), "sources[" + i + "]"));
            }
        }
        if (input.algorithm() != null && !input.algorithm().isBlank()) {
            request.setAlgorithm(Algorithm.valueOf(ProtoJson.choice(Algorithm.getDescriptor(), input.algorithm(),
                    "algorithm")));
        }
        if (input.hyperparameters() != null) {
            request.setHyperparameters(HyperparameterMapper.hyperparameters(request.getAlgorithm(),
                    input.hyperparameters()));
        }
        if (input.featuriser() != null) {
            request.setFeaturiser(FeaturiserRef.newBuilder().setId(nonNull(input.featuriser().id()))
                    .setVersion(nonNull(input.featuriser().version())));
        }
        if (input.seed() != null) {
            request.setSeed(input.seed());
        }
        if (input.kFolds() != null) {
            request.setKFolds(input.kFolds());
        }
        if (input.duplicates() != null) {
            request.setDuplicates(DuplicatePolicy.valueOf(ProtoJson.choice(DuplicatePolicy.getDescriptor(),
                    input.duplicates(), "duplicates")));
        }
        if (input.task() != null && !input.task().isBlank()) {
            request.setTask(Task.valueOf(ProtoJson.choice(Task.getDescriptor(), input.task(), "task")));
        }
        if (input.applicabilityDomain() != null) {
            var domain = ApplicabilityDomainSpec.newBuilder();
            if (input.applicabilityDomain().neighbours() != null) {
                domain.setNeighbours(input.applicabilityDomain().neighbours());
            }
            if (input.applicabilityDomain().thresholdQuantile() != null) {
                domain.setThresholdQuantile(input.applicabilityDomain().thresholdQuantile());
            }
            request.setApplicabilityDomain(domain);
        }
        return request.build();
    }

    static ModelView model(Model model) {
        Map<String, Object> hyper = HyperparameterMapper.view(model.getHyperparameters());
        boolean classifier = model.getTask() == Task.TASK_CLASSIFICATION;
        int classes = model.getClassesCount();
        var calibration = model.getMetrics().getCalibration();
        return new ModelView(model.getId(), model.getName(), model.getVersion(), model.getDescription(),
                model.getOwnerOrg(), CommonMapper.name(model.getVisibility()), model.getSharedWithList(),
                CommonMapper.name(model.getStatus()), model.getTargetProperty(), model.getTargetUnit(),
                model.getFeaturiser().getId() + "/" + model.getFeaturiser().getVersion(), model.getFeatureCount(),
                CommonMapper.name(model.getAlgorithm()), hyper, model.getSeed(),
                model.getLineageList().stream().map(lineage -> new LineageView(lineage.getDatasetId(),
                        lineage.getVersion(), lineage.getOwnerOrg(), CommonMapper.name(lineage.getVisibility()),
                        lineage.getRowsUsed())).toList(),
                model.getSourcesList().stream().map(CommonMapper::name).toList(),
                CommonMapper.name(model.getDuplicates()),
                model.getTrainingRows(), model.getMetrics().getKFolds(),
                classifier ? null : metrics(model.getMetrics().getOverall()),
                classifier ? null : model.getMetrics().getFoldsList().stream().map(PredictionMapper::metrics).toList(),
                model.getApplicabilityDomain().getNeighbours(), model.getApplicabilityDomain().getThresholdQuantile(),
                model.getDomainThreshold(), model.getJobId().isEmpty() ? null : model.getJobId(),
                model.getArtifactSha256(), model.getArtifactSizeBytes(), model.getCreatedBy(),
                CommonMapper.instant(model.getCreatedAt()),
                model.hasArchivedAt() ? CommonMapper.instant(model.getArchivedAt()) : null,
                model.getMetrics().hasPermutationImportance()
                        ? ExplanationMapper.importance(model.getMetrics().getPermutationImportance()) : null,
                classifier ? "CLASSIFICATION" : "REGRESSION", classifier ? model.getClassesList() : null,
                classifier ? classification(model.getMetrics().getClassificationOverall(), classes) : null,
                classifier ? model.getMetrics().getClassificationFoldsList().stream()
                        .map(fold -> classification(fold, classes)).toList() : null,
                classifier ? new CalibrationView(calibration.getMethod(), calibration.getIsotonicLogLoss(),
                        calibration.getPlattLogLoss(), calibration.getUncalibratedLogLoss()) : null);
    }

    private static ClassificationMetricsView classification(ClassificationMetrics metrics, int classes) {
        List<List<Long>> confusion = new ArrayList<>();
        for (int r = 0; r < classes && (r + 1) * classes <= metrics.getConfusionCount(); r++) {
            confusion.add(List.copyOf(metrics.getConfusionList().subList(r * classes, (r + 1) * classes)));
        }
        return new ClassificationMetricsView(metrics.getAccuracy(), metrics.getBalancedAccuracy(), metrics.getRocAuc(),
                metrics.getLogLoss(), metrics.getBrier(), metrics.getCount(), metrics.getReliabilityList().stream()
                        .map(bin -> new ReliabilityBinView(bin.getLower(), bin.getUpper(), bin.getCount(),
                                bin.getMeanPredicted(), bin.getObservedFraction())).toList(), confusion);
    }

    private static MetricsView metrics(Metrics metrics) {
        return new MetricsView(metrics.getMae(), metrics.getRmse(), metrics.getR2(), metrics.getCoverage68(),
                metrics.getCoverage95(), metrics.getCount());
    }

    static OutOfFoldView outOfFold(OutOfFoldPrediction prediction) {
        return new OutOfFoldView(prediction.getMaterialId(), prediction.getDatasetId(), prediction.getReducedFormula(),
                prediction.getFold(), prediction.getObserved(), prediction.getMean(), prediction.getStd(),
                prediction.getProbabilitiesCount() == 0 ? null : List.copyOf(prediction.getProbabilitiesList()));
    }

    static PredictRequest predict(String modelId, PredictInput input, boolean explain) {
        if (input == null || (input.formulas() == null && input.inputs() == null)) {
            throw new InvalidInput("body", "{\"formulas\": [\"Fe2O3\", ...]} or {\"inputs\": [{\"formula\": "
                    + "\"Fe2O3\"} or {\"amounts\": {\"Fe\": 2, \"O\": 3}}, ...]} is required");
        }
        var request = PredictRequest.newBuilder().setModelId(modelId);
        List<CompositionInput> inputs = new ArrayList<>();
        if (input.formulas() != null) {
            input.formulas().forEach(formula -> inputs.add(CompositionInput.newBuilder().setFormula(nonNull(formula))
                    .build()));
        }
        if (input.inputs() != null) {
            for (int i = 0; i < input.inputs().size(); i++) {
                CompositionInputView view = input.inputs().get(i);
                if (view == null) {
                    throw new InvalidInput("inputs[" + i + "]", "an object with formula or amounts is required");
                }
                var proto = CompositionInput.newBuilder().setId(nonNull(view.id()));
                if (view.amounts() != null) {
                    proto.setAmounts(ElementAmounts.newBuilder().putAllAmounts(view.amounts()));
                } else {
                    proto.setFormula(nonNull(view.formula()));
                }
                inputs.add(proto.build());
            }
        }
        return request.addAllInputs(inputs).setExplain(explain).build();
    }

    static PredictionView prediction(Prediction prediction) {
        String id = prediction.getId().isEmpty() ? null : prediction.getId();
        if (prediction.hasError()) {
            var error = prediction.getError();
            return new PredictionView(prediction.getIndex(), id, null, null, null, null, null, null, null,
                    new FormulaErrorView(CommonMapper.name(error.getCode()),
                            error.getPosition(), error.getReason(), error.getToken()), null, null, null);
        }
        if (prediction.hasClassPrediction()) {
            var predicted = prediction.getClassPrediction();
            return new PredictionView(prediction.getIndex(), id, prediction.getReducedFormula(), null, null, null, null,
                    predicted.getInDomain(), predicted.getDomainDistance(), null, null, predicted.getPredictedClass(),
                    predicted.getProbabilitiesList().stream().map(probability -> new ClassProbabilityView(
                            probability.getLabel(), probability.getProbability())).toList());
        }
        var value = prediction.getValue();
        return new PredictionView(prediction.getIndex(), id, prediction.getReducedFormula(), value.getMean(),
                value.getStd(), List.of(value.getInterval68().getLower(), value.getInterval68().getUpper()),
                List.of(value.getInterval95().getLower(), value.getInterval95().getUpper()), value.getInDomain(),
                value.getDomainDistance(), null,
                value.hasExplanation() ? ExplanationMapper.explanation(value.getExplanation()) : null, null, null);
    }

    static ModelSummaryView summary(ModelSummary model) {
        boolean classifier = model.getTask() == Task.TASK_CLASSIFICATION;
        return new ModelSummaryView(model.getModelId(), model.getName(), model.getVersion(), model.getTargetProperty(),
                model.getTargetUnit(), model.getDomainThreshold(), classifier ? "CLASSIFICATION" : "REGRESSION",
                classifier ? model.getClassesList() : null);
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
