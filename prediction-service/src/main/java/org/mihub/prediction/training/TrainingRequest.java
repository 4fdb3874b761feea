package org.mihub.prediction.training;

import java.util.List;

import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.model.ModelParams;

/**
 * A validated request to train a model: where the data come from, what to learn and how.
 *
 * @param datasets  dataset ids, each with an optional version (null: the current one)
 * @param sources   measurement sources to use (experiment, simulation, prediction); empty: all
 * @param featuriser the featuriser, resolved to one version
 * @param model      the algorithm with its hyper-parameters and seed
 * @param duplicates MEAN (one row per reduced formula, targets averaged) or KEEP_ALL
 */
public record TrainingRequest(String name, String description, List<DatasetVersion> datasets, String targetProperty,
        List<String> sources, Featuriser featuriser, ModelParams model, int folds, String duplicates, int neighbours,
        double domainQuantile) {

    public record DatasetVersion(String datasetId, Integer version) {
    }
}
