package org.mihub.prediction.model;

import java.io.DataOutput;
import java.io.IOException;

/**
 * A fitted classifier: for each row of features, the probability of each of its classes (classes
 * numbered 0..classes-1, in the order the training targets numbered them). The probabilities are the
 * model's own, before {@link Calibration}.
 */
public sealed interface Classifier permits RandomForestClassifier, GradientBoostingClassifier {

    ClassifierParams params();

    /** Number of input features. */
    int features();

    /** Number of classes. */
    int classes();

    /** {@code out[i][c]}: the probability of class c for row i, on {@code threads} threads. */
    void probabilities(double[][] rows, double[][] out, int threads);

    /** Writes the model; {@link ClassifierParams.Algorithm#read} reads it back. */
    void write(DataOutput out) throws IOException;
}
