package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.IOException;
import java.util.Map;

/** A classification algorithm with its hyper-parameters and seed: everything needed to fit a {@link Classifier}. */
public sealed interface ClassifierParams permits RandomForestClassifier.Params, GradientBoostingClassifier.Params {

    /** The classification algorithms, each with the tag of its artifact section. */
    enum Algorithm {
        RANDOM_FOREST(1), GRADIENT_BOOSTING(2);

        final int tag;

        Algorithm(int tag) {
            this.tag = tag;
        }

        static Algorithm ofTag(int tag) {
            for (Algorithm algorithm : values()) {
                if (algorithm.tag == tag) {
                    return algorithm;
                }
            }
            throw new IllegalStateException("unknown classifier tag " + tag);
        }

        Classifier read(DataInput in) throws IOException {
            return this == RANDOM_FOREST ? RandomForestClassifier.read(in) : GradientBoostingClassifier.read(in);
        }
    }

    Algorithm algorithm();

    long seed();

    /**
     * Fits the classifier to rows {@code x} with classes {@code y} (each in 0..classes-1); every class
     * need not occur.
     */
    Classifier fit(double[][] x, int[] y, int classes, int threads);

    /** The hyper-parameters actually used, by their API names, as recorded with the model. */
    Map<String, Object> recorded();
}
