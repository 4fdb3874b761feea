package org.mihub.prediction.model;

/** What the ensembles' out-of-bag rows tell about noise their own spread does not explain. */
final class OutOfBag {

    private OutOfBag() {
    }

    /**
     * tau^2: the mean squared out-of-bag error minus the mean variance the ensemble explains, over
     * the scored rows, at least 0. Summed in row order: the same value whatever the threads.
     */
    static double unexplainedVariance(double[] squaredError, double[] explained, boolean[] scored) {
        double error = 0;
        double variance = 0;
        int count = 0;
        for (int i = 0; i < scored.length; i++) {
            if (scored[i]) {
                error += squaredError[i];
                variance += explained[i];
                count++;
            }
        }
        return count == 0 ? 0 : Math.max(0, (error - variance) / count);
    }
}
