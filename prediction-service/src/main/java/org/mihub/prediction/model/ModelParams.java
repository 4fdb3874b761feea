package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.IOException;
import java.util.Map;

/** An algorithm with its hyper-parameters and seed: everything needed to fit a {@link Regressor}. */
public sealed interface ModelParams permits RandomForest.Params, GradientBoosting.Params, GaussianProcessModel.Params {

    /** The learning algorithms, each with the tag of its artifact section. */
    enum Algorithm {
        RANDOM_FOREST(1), GRADIENT_BOOSTING(2), GAUSSIAN_PROCESS(3);

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
            throw new IllegalStateException("unknown model tag " + tag);
        }

        Regressor read(DataInput in, int format) throws IOException {
            switch (this) {
                case RANDOM_FOREST:
                    return RandomForest.read(in);
                case GRADIENT_BOOSTING:
                    return GradientBoosting.read(in, format);
                default:
                    return GaussianProcessModel.read(in);
            }
        }
    }

    Algorithm algorithm();

    long seed();

    Regressor fit(double[][] x, double[] y, int threads);

    /** The hyper-parameters actually used, by their API names, as recorded with the model. */
    Map<String, Object> recorded();
}
