package org.mihub.planning.planner;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.mihub.common.gp.GaussianProcess;

/**
 * How a simulation fits its processes: each series (an objective, the driver, a residual process)
 * starts from its own previous fit, with the full random restarts only when {@link #restart} is set
 * (the simulations set it every {@value #RESTART_EVERY} evaluations) or on a series' first fit.
 * One more observation rarely moves the optimum far, so the cheap fits in between lose little.
 * Not thread-safe: one per simulation run.
 */
public final class WarmStarts implements BatchPlanner.Fitter {

    /** Evaluations between fits with random restarts (the others start from the previous fit only). */
    public static final int RESTART_EVERY = 10;

    private final GaussianProcess.Options options;
    private final Map<String, GaussianProcess.Hyperparameters> previous = new HashMap<>();
    private boolean restart = true;

    public WarmStarts(GaussianProcess.Options options) {
        this.options = options;
    }

    /**
     * Before a propose step after {@code evaluations} evaluations in batches of {@code batchSize}:
     * restarts are due when a multiple of {@value #RESTART_EVERY} was passed by the last batch.
     */
    public void before(int evaluations, int batchSize) {
        restart = evaluations % RESTART_EVERY < batchSize;
    }

    @Override
    public GaussianProcess fit(String series, double[][] xs, double[] ys, SplittableRandom random) {
        GaussianProcess.Hyperparameters start = previous.get(series);
        GaussianProcess.Options now = start == null || restart ? options
                : new GaussianProcess.Options(0, options.fixedNoiseVariance(), options.maxIterations());
        GaussianProcess gp = GaussianProcess.fit(xs, ys, now, random, start, null);
        previous.put(series, gp.hyperparameters());
        return gp;
    }
}
