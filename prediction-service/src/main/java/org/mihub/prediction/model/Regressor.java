package org.mihub.prediction.model;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Optional;

/** A fitted regression model that predicts a mean and a standard deviation for each row of features. */
public sealed interface Regressor permits RandomForest, GradientBoosting, GaussianProcessModel {

    ModelParams params();

    /** Number of input features. */
    int features();

    /** Means and standard deviations of many rows, on {@code threads} threads. */
    void predict(double[][] rows, double[] means, double[] stds, int threads);

    /** Writes the model; {@link ModelParams.Algorithm#read} reads it back. */
    void write(DataOutput out) throws IOException;

    /**
     * The model as a weighted sum of trees with their training covers, which {@link TreeShap}
     * explains exactly; empty for a model that is not made of trees, or whose trees were stored
     * before the covers were (artifact format 3 and older).
     */
    default Optional<TreeEnsemble> treeEnsemble() {
        return Optional.empty();
    }
}
