package org.mihub.prediction.training;

import java.util.List;

import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.model.ClassifierParams;
import org.mihub.prediction.model.ModelParams;

/**
 * A validated request to train a model: where the data come from, what to learn and how.
 *
 * @param datasets   dataset ids, each with an optional version (null: the current one)
 * @param sources    measurement sources to use (experiment, simulation, prediction); empty: all
 * @param featuriser the featuriser, resolved to one version
 * @param model      the regression algorithm with its hyper-parameters and seed (null for a classifier)
 * @param duplicates MEAN (one row per reduced formula, targets averaged, or for a classifier the most
 *                   frequent class) or KEEP_ALL
 * @param classifier the classification algorithm with its hyper-parameters and seed (null for regression)
 * @param labels     a classifier's possible classes, in the vocabulary's order (empty for regression)
 */
public record TrainingRequest(String name, String description, List<DatasetVersion> datasets, String targetProperty,
        List<String> sources, Featuriser featuriser, ModelParams model, int folds, String duplicates, int neighbours,
        double domainQuantile, ClassifierParams classifier, List<String> labels) {

    public TrainingRequest {
        labels = List.copyOf(labels);
    }

    /** A regression request. */
    public TrainingRequest(String name, String description, List<DatasetVersion> datasets, String targetProperty,
            List<String> sources, Featuriser featuriser, ModelParams model, int folds, String duplicates,
            int neighbours, double domainQuantile) {
        this(name, description, datasets, targetProperty, sources, featuriser, model, folds, duplicates, neighbours,
                domainQuantile, null, List.of());
    }

    public record DatasetVersion(String datasetId, Integer version) {
    }

    /** Whether the request trains a classifier. */
    public boolean classification() {
        return classifier != null;
    }

    /** The seed of whichever model the request trains. */
    public long seed() {
        return classification() ? classifier.seed() : model.seed();
    }
}
