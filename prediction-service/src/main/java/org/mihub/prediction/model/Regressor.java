package org.mihub.prediction.model;

import java.io.DataOutput;
import java.io.IOException;

/** A fitted regression model that predicts a mean and a standard deviation for each row of features. */
public sealed interface Regressor permits RandomForest, GradientBoosting, GaussianProcessModel {

    ModelParams params();

    /** Number of input features. */
    int features();

    /** Means and standard deviations of many rows, on {@code threads} threads. */
    void predict(double[][] rows, double[] means, double[] stds, int threads);

    /** Writes the model; {@link ModelParams.Algorithm#read} reads it back. */
    void write(DataOutput out) throws IOException;
}
