package org.mihub.planning.acquisition;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.mihub.common.gp.GaussianProcess;

/**
 * A prediction model as the prior of a surrogate: per pool row, the objective is modelled as
 * y = offset + scale · z(x), with offset and scale the model's mean and standard deviation in the
 * maximised orientation and z a Gaussian process on the standardised residuals of what was
 * observed. With nothing observed z is N(0, 1): the model as it stands. The process learns where
 * the model is biased or over- or under-confident; kriging-believer batches condition it. Campaigns
 * and simulations with a prediction-model surrogate both choose through {@link #choose}.
 */
public record ModelPrior(double[] offset, double[] scale) {

    /** From a model's means and standard deviations; a minimised objective is negated. */
    public static ModelPrior of(double[] mean, double[] std, boolean minimise) {
        double floor = floor(std);
        double sign = minimise ? -1 : 1;
        double[] offset = new double[mean.length];
        double[] scale = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            offset[i] = sign * mean[i];
            scale[i] = Math.max(std[i], floor);
        }
        return new ModelPrior(offset, scale);
    }

    /**
     * For an objective that reaches a target value, maximised as -|value - target|: with the model's
     * value V ~ N(m, s²), |V - t| is a folded normal, whose mean is
     * s·sqrt(2/π)·exp(-μ²/2s²) + μ·(1 - 2Φ(-μ/s)) and variance μ² + s² - mean², with μ = m - t. The
     * prior takes those two moments; the residual process corrects its shape where it matters.
     */
    public static ModelPrior towards(double[] mean, double[] std, double target) {
        double floor = floor(std);
        double[] offset = new double[mean.length];
        double[] scale = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            double mu = mean[i] - target;
            double s = Math.max(std[i], floor);
            double folded = s * Math.sqrt(2 / Math.PI) * Math.exp(-mu * mu / (2 * s * s))
                    + mu * (1 - 2 * NormalMath.cdf(-mu / s));
            offset[i] = -folded;
            scale[i] = Math.max(Math.sqrt(Math.max(0, mu * mu + s * s - folded * folded)), floor);
        }
        return new ModelPrior(offset, scale);
    }

    private static double floor(double[] std) {
        return 1e-9 * Arrays.stream(std).map(Math::abs).max().orElse(1) + 1e-300;
    }

    /** The fitted residual process of a choice (null with nothing observed) and its picks. */
    public record Choice(GaussianProcess residual, List<BatchSelector.Pick> picks) {
    }

    /**
     * A batch of the pool's rows {@code 0 .. poolSize-1} by the acquisition on this prior.
     *
     * @param observedRows rows of this prior (pool or beyond it) that were observed
     * @param observed     their values, maximised orientation
     * @param xs           their encoded designs, for the residual process
     * @param encoded      the pool's encoded designs, row after row
     * @param costs        per pool row when the acquisition is cost-aware, otherwise null
     * @param fitResidual  fits the residual process to the observations' standardised residuals
     */
    public Choice choose(Acquisition acquisition, int[] observedRows, double[] observed, double[][] xs,
            double[] encoded, int poolSize, boolean[] available, int[] pending, double[] costs, int size,
            Function<double[], GaussianProcess> fitResidual, SplittableRandom random,
            java.util.concurrent.ExecutorService compute, int threads) {
        return choose(acquisition, observedRows, observed, xs, encoded, poolSize, available, pending, costs, size,
                fitResidual, random, compute, threads, null);
    }

    /**
     * As {@link #choose(Acquisition, int[], double[], double[][], double[], int, boolean[], int[], double[], int,
     * Function, SplittableRandom, java.util.concurrent.ExecutorService, int)}, each candidate's acquisition
     * multiplied by a probability given as its logarithm per pool row ({@link BatchSelector#weighted}; null: none).
     */
    public Choice choose(Acquisition acquisition, int[] observedRows, double[] observed, double[][] xs,
            double[] encoded, int poolSize, boolean[] available, int[] pending, double[] costs, int size,
            Function<double[], GaussianProcess> fitResidual, SplittableRandom random,
            java.util.concurrent.ExecutorService compute, int threads, double[] logWeights) {
        double[] spreadOf = Arrays.copyOf(scale, poolSize);
        double incumbent = Double.NEGATIVE_INFINITY;
        if (observed.length == 0) {
            // nothing observed: improvement over the best the model expects among the open candidates
            for (int i = 0; i < poolSize; i++) {
                if (available[i]) {
                    incumbent = Math.max(incumbent, offset[i]);
                }
            }
            double spread = Arrays.stream(spreadOf).average().orElse(1);
            List<BatchSelector.Pick> ranked = new java.util.ArrayList<>();
            // a probability multiplies a positive gain: a linear score is then taken as log gain (cost 1)
            boolean linear = acquisition.function() == Acquisition.Function.UPPER_CONFIDENCE_BOUND
                    || acquisition.function() == Acquisition.Function.PURE_EXPLORATION;
            Acquisition scored = logWeights != null && linear && !acquisition.costAware()
                    ? new Acquisition(acquisition.function(), acquisition.beta(), acquisition.xi(), true)
                    : acquisition;
            for (int i = 0; i < poolSize; i++) {
                if (available[i] && !contains(pending, i)) {
                    double score = scored.score(offset[i], scale[i], incumbent, spread,
                            costs == null || !acquisition.costAware() ? 1 : costs[i]);
                    ranked.add(new BatchSelector.Pick(i, offset[i], scale[i],
                            logWeights == null ? score : score + logWeights[i]));
                }
            }
            ranked.sort((a, b) -> Double.compare(b.score(), a.score()));
            return new Choice(null, ranked.subList(0, Math.min(size, ranked.size())));
        }
        double[] z = new double[observed.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = (observed[j] - offset[observedRows[j]]) / scale[observedRows[j]];
        }
        GaussianProcess residual = fitResidual.apply(z);
        // improvement over the best fitted mean (model plus residual process), not the best noisy measurement
        double[] fittedResiduals = residual.fittedMeans();
        for (int j = 0; j < z.length; j++) {
            incumbent = Math.max(incumbent, offset[observedRows[j]] + scale[observedRows[j]] * fittedResiduals[j]);
        }
        double average = Arrays.stream(observed).average().orElse(0);
        double spread = Math.sqrt(Arrays.stream(observed).map(v -> (v - average) * (v - average)).sum()
                / Math.max(1, observed.length - 1));
        if (!(spread > 0)) {
            spread = Arrays.stream(spreadOf).average().orElse(1);
        }
        BatchSelector selector = new BatchSelector(acquisition, BatchSelector.Strategy.KRIGING_BELIEVER, compute,
                threads).weighted(logWeights);
        return new Choice(residual, selector.select(residual, encoded, available, incumbent, pending,
                acquisition.costAware() ? costs : null, size, random, new BatchSelector.Transform(
                        Arrays.copyOf(offset, poolSize), Arrays.copyOf(scale, poolSize), spread)));
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
