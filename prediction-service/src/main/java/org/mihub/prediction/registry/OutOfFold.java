package org.mihub.prediction.registry;

import java.util.List;
import java.util.UUID;

/**
 * One training row's out-of-fold prediction, kept with the model for parity and calibration plots. Of a
 * classifier: {@code observed} and {@code mean} are the indexes of the observed and the most probable
 * class, {@code std} is 0 and {@code probabilities} the calibrated probability of each class (null for a
 * regression model).
 */
public record OutOfFold(int position, String materialIds, UUID datasetId, String reducedFormula, int fold,
        double observed, double mean, double std, List<Double> probabilities) {

    public OutOfFold {
        probabilities = probabilities == null ? null : List.copyOf(probabilities);
    }

    /** A regression model's row. */
    public OutOfFold(int position, String materialIds, UUID datasetId, String reducedFormula, int fold,
            double observed, double mean, double std) {
        this(position, materialIds, datasetId, reducedFormula, fold, observed, mean, std, null);
    }
}
