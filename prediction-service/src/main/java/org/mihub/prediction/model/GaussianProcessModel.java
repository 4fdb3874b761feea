package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.mihub.common.gp.GaussianProcess;

/**
 * Gaussian-process regression for small data: the planning service's process ({@code common}
 * {@link GaussianProcess}: ARD Matérn 5/2, hyper-parameters by maximum marginal likelihood with
 * random restarts, outputs standardised, Cholesky with jitter) on features scaled to the unit
 * cube by their training range. Features that are constant in the training data carry no
 * information and are left out. The standard deviation is that of a new measurement (the latent
 * variance plus the fitted noise).
 *
 * <p>Exact inference costs O(n³) per likelihood evaluation, so training is limited to
 * {@link #MAX_ROWS} rows; larger sets are for the forest or boosted trees.
 */
public final class GaussianProcessModel implements Regressor {

    /** Largest training set a Gaussian process is fitted to. */
    public static final int MAX_ROWS = 1000;
    private static final int MAX_ITERATIONS = 100;

    /**
     * @param restarts      random restarts of the likelihood optimiser besides the default start
     * @param noiseVariance fixed noise variance in standardised units, or null to fit it
     */
    public record Params(int restarts, Double noiseVariance, long seed) implements ModelParams {

        public static Params defaults(long seed) {
            return new Params(5, null, seed);
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.GAUSSIAN_PROCESS;
        }

        @Override
        public GaussianProcessModel fit(double[][] x, double[] y, int threads) {
            return GaussianProcessModel.fit(x, y, this, threads);
        }

        @Override
        public Map<String, Object> recorded() {
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("kernel", "MATERN52_ARD");
            recorded.put("restarts", restarts);
            if (noiseVariance != null) {
                recorded.put("noise_variance", noiseVariance);
            }
            return recorded;
        }
    }

    private final Params params;
    private final int features;
    private final int[] used;
    private final double[] low;
    private final double[] range;
    private final double[][] points;
    private final double[] values;
    private final GaussianProcess process;

    private GaussianProcessModel(Params params, int features, int[] used, double[] low, double[] range,
            double[][] points, double[] values, GaussianProcess process) {
        this.params = params;
        this.features = features;
        this.used = used;
        this.low = low;
        this.range = range;
        this.points = points;
        this.values = values;
        this.process = process;
    }

    public static GaussianProcessModel fit(double[][] x, double[] y, Params params, int threads) {
        if (x.length > MAX_ROWS) {
            throw new IllegalArgumentException("a Gaussian process is fitted to at most " + MAX_ROWS + " rows");
        }
        int p = x[0].length;
        double[] min = new double[p];
        double[] max = new double[p];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] row : x) {
            for (int f = 0; f < p; f++) {
                min[f] = Math.min(min[f], row[f]);
                max[f] = Math.max(max[f], row[f]);
            }
        }
        int count = 0;
        for (int f = 0; f < p; f++) {
            count += max[f] > min[f] ? 1 : 0;
        }
        int[] used = new int[count];
        double[] low = new double[count];
        double[] range = new double[count];
        for (int f = 0, k = 0; f < p; f++) {
            if (max[f] > min[f]) {
                used[k] = f;
                low[k] = min[f];
                range[k] = max[f] - min[f];
                k++;
            }
        }
        double[][] points = scale(x, used, low, range);
        double[] values = y.clone();
        GaussianProcess.Options options = new GaussianProcess.Options(params.restarts(), params.noiseVariance(),
                MAX_ITERATIONS);
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        try {
            GaussianProcess process = GaussianProcess.fit(points, values, options, new SplittableRandom(params.seed()),
                    null, pool);
            return new GaussianProcessModel(params, p, used, low, range, points, values, process);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Rows of the used features, scaled by the training range (the training rows fall in the unit cube). */
    private static double[][] scale(double[][] x, int[] used, double[] low, double[] range) {
        double[][] scaled = new double[x.length][Math.max(1, used.length)];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < used.length; k++) {
                scaled[i][k] = (x[i][used[k]] - low[k]) / range[k];
            }
        }
        return scaled;
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public int features() {
        return features;
    }

    public GaussianProcess.Hyperparameters hyperparameters() {
        return process.hyperparameters();
    }

    @Override
    public void predict(double[][] rows, double[] means, double[] stds, int threads) {
        double[][] scaled = scale(rows, used, low, range);
        int d = scaled.length == 0 ? 0 : scaled[0].length;
        double[] flat = new double[scaled.length * d];
        for (int i = 0; i < scaled.length; i++) {
            System.arraycopy(scaled[i], 0, flat, i * d, d);
        }
        ExecutorService pool = threads > 1 && rows.length >= 2048 ? Executors.newFixedThreadPool(threads) : null;
        try {
            process.predictAll(flat, means, stds, pool, threads);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Writes the parameters, the used features with their scaling, the scaled training rows and
     * targets, and the fitted hyper-parameters; reading rebuilds the same process.
     */
    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(params.restarts());
        out.writeBoolean(params.noiseVariance() != null);
        out.writeDouble(params.noiseVariance() == null ? 0 : params.noiseVariance());
        out.writeLong(params.seed());
        out.writeInt(features);
        out.writeInt(used.length);
        for (int k = 0; k < used.length; k++) {
            out.writeShort(used[k]);
            out.writeDouble(low[k]);
            out.writeDouble(range[k]);
        }
        out.writeInt(points.length);
        out.writeInt(points[0].length);
        for (int i = 0; i < points.length; i++) {
            for (double value : points[i]) {
                out.writeDouble(value);
            }
            out.writeDouble(values[i]);
        }
        GaussianProcess.Hyperparameters hyper = process.hyperparameters();
        for (double length : hyper.lengthScales()) {
            out.writeDouble(length);
        }
        out.writeDouble(hyper.signalVariance());
        out.writeDouble(hyper.noiseVariance());
    }

    static GaussianProcessModel read(DataInput in) throws IOException {
        int restarts = in.readInt();
        boolean fixed = in.readBoolean();
        double noise = in.readDouble();
        Params params = new Params(restarts, fixed ? noise : null, in.readLong());
        int features = in.readInt();
        int count = in.readInt();
        int[] used = new int[count];
        double[] low = new double[count];
        double[] range = new double[count];
        for (int k = 0; k < count; k++) {
            used[k] = in.readShort();
            low[k] = in.readDouble();
            range[k] = in.readDouble();
        }
        int n = in.readInt();
        int d = in.readInt();
        double[][] points = new double[n][d];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                points[i][k] = in.readDouble();
            }
            values[i] = in.readDouble();
        }
        double[] lengths = new double[d];
        for (int k = 0; k < d; k++) {
            lengths[k] = in.readDouble();
        }
        GaussianProcess.Hyperparameters hyper = new GaussianProcess.Hyperparameters(lengths, in.readDouble(),
                in.readDouble());
        return new GaussianProcessModel(params, features, used, low, range, points, values,
                GaussianProcess.withHyperparameters(points, values, hyper));
    }
}
