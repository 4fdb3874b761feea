package org.mihub.prediction.registry;

import java.util.UUID;

/** One training row's out-of-fold prediction, kept with the model for parity and calibration plots. */
public record OutOfFold(int position, String materialIds, UUID datasetId, String reducedFormula, int fold,
        double observed, double mean, double std) {
}
