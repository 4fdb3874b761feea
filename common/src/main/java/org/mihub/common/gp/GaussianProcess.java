package org.mihub.common.gp;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;

/**
 * A Gaussian process regression model with an ARD Matérn 5/2 kernel, fitted to inputs already
 * scaled to the unit cube. Outputs are standardised; the hyper-parameters (one length scale per
 * input dimension, signal and noise variance) maximise the log marginal likelihood, with random
 * restarts drawn log-uniformly across the bounds, inside those bounds. The Cholesky factorisation
 * adds jitter until it succeeds.
 *
 * <p>Immutable: {@link #condition} returns a new process with one more (fantasised) observation
 * and the same hyper-parameters, which is how pending proposals and batch picks are accounted for.
 *
 * <p>Prediction keeps the inverse Cholesky factor column by column, so the predictive variance of
 * a candidate is a sequence of vectorisable AXPY updates instead of a triangular solve.
 */
public final class GaussianProcess {

    /** Length scales (unit-cube units), signal and noise variance (standardised units). */
    public record Hyperparameters(double[] lengthScales, double signalVariance, double noiseVariance) {
    }

    /**
     * How to fit: random restarts of the optimiser besides the warm start, an optional fixed noise
     * variance, and the optimiser's iteration limit. {@code warpOutputs} is for the planners that
     * choose by this process: they fit it to the values bent by a {@link PowerTransform} (and measure
     * improvement from its {@link GaussianProcess#bestFittedMean}, in the bent units); the process
     * itself models whatever values it is given.
     */
    public record Options(int restarts, Double fixedNoiseVariance, int maxIterations, boolean warpOutputs) {

        /** Unwarped outputs. */
        public Options(int restarts, Double fixedNoiseVariance, int maxIterations) {
            this(restarts, fixedNoiseVariance, maxIterations, false);
        }

        public static Options defaults() {
            return new Options(5, null, 100, true);
        }
    }

    static final double MIN_LENGTH = 1e-2;
    static final double MAX_LENGTH = 1e2;
    static final double MIN_SIGNAL = 5e-2;
    static final double MAX_SIGNAL = 2e1;
    static final double MIN_NOISE = 1e-6;
    static final double MAX_NOISE = 1;
    private static final double SQRT5 = Math.sqrt(5);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final int BLOCK = 8;

    private final int n;
    private final int d;
    private final double[] x;
    private final double[] y;
    private final double yMean;
    private final double yScale;
    private final double[] inverseLength2;
    private final Hyperparameters hyper;
    private final double[] inverseFactorColumns;
    private final double[] alpha;
    private final double logMarginalLikelihood;

    private GaussianProcess(int n, int d, double[] x, double[] y, double yMean, double yScale, Hyperparameters hyper,
            double[] inverseFactorColumns, double logMarginalLikelihood) {
        this.n = n;
        this.d = d;
        this.x = x;
        this.y = y;
        this.yMean = yMean;
        this.yScale = yScale;
        this.hyper = hyper;
        this.inverseLength2 = new double[d];
        for (int k = 0; k < d; k++) {
            inverseLength2[k] = 1 / (hyper.lengthScales()[k] * hyper.lengthScales()[k]);
        }
        this.inverseFactorColumns = inverseFactorColumns;
        this.logMarginalLikelihood = logMarginalLikelihood;
        // alpha = K⁻¹ y = L⁻ᵀ (L⁻¹ y)
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            double yj = y[j];
            int base = j * n;
            for (int i = j; i < n; i++) {
                w[i] += inverseFactorColumns[base + i] * yj;
            }
        }
        this.alpha = new double[n];
        for (int j = 0; j < n; j++) {
            int base = j * n;
            double sum = 0;
            for (int i = j; i < n; i++) {
                sum += inverseFactorColumns[base + i] * w[i];
            }
            alpha[j] = sum;
        }
    }

    /**
     * Fits a process to {@code points} (rows in the unit cube) and {@code values}.
     *
     * @param warmStart hyper-parameters to start the optimiser from (e.g. the previous fit), or null
     * @param pool      runs restarts in parallel when not null
     */
    public static GaussianProcess fit(double[][] points, double[] values, Options options, SplittableRandom random,
            Hyperparameters warmStart, ExecutorService pool) {
        int n = points.length;
        if (n == 0 || values.length != n) {
            throw new IllegalArgumentException("a Gaussian process needs at least one observation");
        }
        int d = points[0].length;
        double[] x = flatten(points);
        double mean = mean(values);
        double scale = scale(values, mean);
        double[] y = standardised(values, mean, scale);
        Likelihood likelihood = new Likelihood(n, d, x, y, options.fixedNoiseVariance());
        int dims = likelihood.parameterCount();
        double[] lower = new double[dims];
        double[] upper = new double[dims];
        for (int k = 0; k < d; k++) {
            lower[k] = Math.log(MIN_LENGTH);
            upper[k] = Math.log(MAX_LENGTH);
        }
        lower[d] = Math.log(MIN_SIGNAL);
        upper[d] = Math.log(MAX_SIGNAL);
        if (options.fixedNoiseVariance() == null) {
            lower[d + 1] = Math.log(MIN_NOISE);
            upper[d + 1] = Math.log(MAX_NOISE);
        }
        List<double[]> starts = new ArrayList<>();
        double[] first = new double[dims];
        if (warmStart != null && warmStart.lengthScales().length == d) {
            for (int k = 0; k < d; k++) {
                first[k] = Math.log(warmStart.lengthScales()[k]);
            }
            first[d] = Math.log(warmStart.signalVariance());
            if (options.fixedNoiseVariance() == null) {
                first[d + 1] = Math.log(warmStart.noiseVariance());
            }
        } else {
            for (int k = 0; k < d; k++) {
                first[k] = Math.log(0.5);
            }
            first[d] = 0;
            if (options.fixedNoiseVariance() == null) {
                first[d + 1] = Math.log(1e-2);
            }
        }
        starts.add(first);
        for (int r = 0; r < options.restarts(); r++) {
            double[] start = new double[dims];
            for (int k = 0; k < d; k++) {
                start[k] = lower[k] + random.nextDouble() * (upper[k] - lower[k]);
            }
            start[d] = lower[d] + random.nextDouble() * (upper[d] - lower[d]);
            if (options.fixedNoiseVariance() == null) {
                start[d + 1] = Math.log(1e-4) + random.nextDouble() * (Math.log(0.1) - Math.log(1e-4));
            }
            starts.add(start);
        }
        List<BoxLbfgs.Result> results = new ArrayList<>();
        if (pool != null && starts.size() > 1) {
            List<Future<BoxLbfgs.Result>> futures = new ArrayList<>();
            for (double[] start : starts) {
                Likelihood own = likelihood.copy();
                futures.add(pool.submit(() -> BoxLbfgs.minimise(own::negative, start, lower, upper,
                        options.maxIterations())));
            }
            for (Future<BoxLbfgs.Result> future : futures) {
                try {
                    results.add(future.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while fitting", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("fitting failed", e.getCause());
                }
            }
        } else {
            for (double[] start : starts) {
                results.add(BoxLbfgs.minimise(likelihood::negative, start, lower, upper, options.maxIterations()));
            }
        }
        BoxLbfgs.Result best = null;
        for (BoxLbfgs.Result result : results) {
            if (Double.isFinite(result.value()) && (best == null || result.value() < best.value())) {
                best = result;
            }
        }
        double[] theta = best != null ? best.x() : first;
        return build(n, d, x, y, mean, scale, likelihood.hyperparameters(theta));
    }

    /**
     * The process through {@code points} (rows in the unit cube) and {@code values} with the given
     * hyper-parameters, not fitted: how a stored model is rebuilt. The outputs are standardised
     * exactly as {@link #fit} does, so the same data and hyper-parameters give the same process.
     */
    public static GaussianProcess withHyperparameters(double[][] points, double[] values, Hyperparameters hyper) {
        int n = points.length;
        int d = points[0].length;
        double[] x = flatten(points);
        double mean = mean(values);
        double scale = scale(values, mean);
        double[] y = standardised(values, mean, scale);
        return build(n, d, x, y, mean, scale, hyper);
    }

    private static GaussianProcess build(int n, int d, double[] x, double[] y, double mean, double scale,
            Hyperparameters hyper) {
        Factor factor = Factor.of(buildCovariance(n, d, x, hyper), hyper.signalVariance());
        double lml = -0.5 * dot(y, factor.solve(y)) - factor.halfLogDeterminant() - 0.5 * n * LOG_2PI;
        return new GaussianProcess(n, d, x, y, mean, scale, hyper, factor.inverseColumns(), lml);
    }

    private static double[] standardised(double[] values, double mean, double scale) {
        double[] y = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            y[i] = (values[i] - mean) / scale;
        }
        return y;
    }

    private static double[] flatten(double[][] points) {
        int d = points[0].length;
        double[] x = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            System.arraycopy(points[i], 0, x, i * d, d);
        }
        return x;
    }

    static double mean(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        return mean / values.length;
    }

    /** The sample standard deviation of the values, or 1 when they are (nearly) constant. */
    static double scale(double[] values, double mean) {
        int n = values.length;
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean);
        }
        double scale = n > 1 ? Math.sqrt(variance / (n - 1)) : 0;
        return scale > 1e-12 * Math.max(1, Math.abs(mean)) ? scale : 1;
    }

    /** The same process with one more observation at {@code point} (fixed hyper-parameters), O(n²). */
    public GaussianProcess condition(double[] point, double value) {
        int m = n + 1;
        double[] kx = new double[n];
        for (int i = 0; i < n; i++) {
            kx[i] = kernel(x, i * d, point, 0);
        }
        // l = L⁻¹ k; new diagonal entry of L; new last row of L⁻¹ = -(lᵀ L⁻¹) / l_nn
        double[] l = new double[n];
        multiplyInverseFactor(kx, l);
        double diagonal = hyper.signalVariance() + hyper.noiseVariance() - dot(l, l);
        double lnn = Math.sqrt(Math.max(diagonal, 1e-10 * hyper.signalVariance()));
        double[] columns = new double[m * m];
        for (int j = 0; j < n; j++) {
            System.arraycopy(inverseFactorColumns, j * n + j, columns, j * m + j, n - j);
            double sum = 0;
            for (int i = j; i < n; i++) {
                sum += l[i] * inverseFactorColumns[j * n + i];
            }
            columns[j * m + n] = -sum / lnn;
        }
        columns[n * m + n] = 1 / lnn;
        double[] xs = new double[m * d];
        System.arraycopy(x, 0, xs, 0, n * d);
        System.arraycopy(point, 0, xs, n * d, d);
        double[] ys = new double[m];
        System.arraycopy(y, 0, ys, 0, n);
        ys[n] = (value - yMean) / yScale;
        return new GaussianProcess(m, d, xs, ys, yMean, yScale, hyper, columns, Double.NaN);
    }

    /**
     * Predictive mean and standard deviation of an observation (latent variance plus the fitted
     * noise, in the units of the observations) at rows {@code from..to} of {@code points}
     * (row-major, {@code d} per row). With noisy measurements this is what the next measurement
     * will scatter by, and what the acquisition functions weigh (as scikit-learn's GP with a white
     * noise kernel does).
     */
    public void predict(double[] points, int from, int to, double[] mean, double[] std) {
        if (to - from == 1) {
            predictOne(points, from, mean, std);
            return;
        }
        // eight candidates at a time, interleaved (index i * 8 + b), so that the update of v = L⁻¹k by
        // one entry of L⁻¹ is eight contiguous multiply-adds the JIT turns into vector instructions
        double[] k = new double[n * BLOCK];
        double[] v = new double[n * BLOCK];
        double signal = hyper.signalVariance();
        double[] columns = inverseFactorColumns;
        for (int start = from; start < to; start += BLOCK) {
            int size = Math.min(BLOCK, to - start);
            java.util.Arrays.fill(k, 0);
            java.util.Arrays.fill(v, 0);
            for (int b = 0; b < size; b++) {
                int offset = (start + b) * d;
                for (int i = 0; i < n; i++) {
                    k[i * BLOCK + b] = kernel(x, i * d, points, offset);
                }
            }
            for (int j = 0; j < n; j++) {
                int base = j * n;
                int kj = j * BLOCK;
                double k0 = k[kj];
                double k1 = k[kj + 1];
                double k2 = k[kj + 2];
                double k3 = k[kj + 3];
                double k4 = k[kj + 4];
                double k5 = k[kj + 5];
                double k6 = k[kj + 6];
                double k7 = k[kj + 7];
                for (int i = j; i < n; i++) {
                    double c = columns[base + i];
                    int vi = i * BLOCK;
                    v[vi] += c * k0;
                    v[vi + 1] += c * k1;
                    v[vi + 2] += c * k2;
                    v[vi + 3] += c * k3;
                    v[vi + 4] += c * k4;
                    v[vi + 5] += c * k5;
                    v[vi + 6] += c * k6;
                    v[vi + 7] += c * k7;
                }
            }
            for (int b = 0; b < size; b++) {
                double squares = 0;
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double vi = v[i * BLOCK + b];
                    squares += vi * vi;
                    sum += k[i * BLOCK + b] * alpha[i];
                }
                mean[start + b] = yMean + yScale * sum;
                // the spread of an observation there: the latent variance plus the fitted noise
                std[start + b] = yScale * Math.sqrt(Math.max(signal - squares, 1e-12 * signal) + hyper.noiseVariance());
            }
        }
    }

    /** {@link #predict} of one row: v = L⁻¹k by AXPY over the columns, n²/2 multiply-adds. */
    private void predictOne(double[] points, int row, double[] mean, double[] std) {
        double[] k = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = kernel(x, i * d, points, row * d);
        }
        multiplyInverseFactor(k, v);
        double signal = hyper.signalVariance();
        mean[row] = yMean + yScale * dot(k, alpha);
        std[row] = yScale * Math.sqrt(Math.max(signal - dot(v, v), 1e-12 * signal) + hyper.noiseVariance());
    }

    /**
     * The predictive mean at rows {@code from..to} and an upper bound on the predictive standard
     * deviation there: the spread left after conditioning on the single most correlated observation
     * alone (conditioning on more observations can only shrink it). O(n·d) per row instead of the
     * O(n²) of {@link #predict}; acquisition functions that grow with the standard deviation rank
     * candidates by it and compute the exact value only where the bound could win.
     */
    public void predictMeanAndStdBound(double[] points, int from, int to, double[] mean, double[] stdBound) {
        double signal = hyper.signalVariance();
        double noise = hyper.noiseVariance();
        for (int row = from; row < to; row++) {
            double sum = 0;
            double strongest = 0;
            for (int i = 0; i < n; i++) {
                double k = kernel(x, i * d, points, row * d);
                sum += k * alpha[i];
                strongest = Math.max(strongest, k);
            }
            mean[row] = yMean + yScale * sum;
            double latent = signal - strongest * strongest / (signal + noise);
            // a margin over the rounding of the exact computation, which can reach this very value
            stdBound[row] = yScale * Math.sqrt(Math.max(latent, 1e-12 * signal) + 1e-9 * signal + noise);
        }
    }

    /** {@link #predictMeanAndStdBound} for all rows, split across the pool's threads. */
    public void predictMeanAndStdBoundAll(double[] points, double[] mean, double[] stdBound, ExecutorService pool,
            int threads) {
        inParallel(points.length / d, pool, threads, (from, to) -> predictMeanAndStdBound(points, from, to, mean,
                stdBound));
    }

    private interface RowRange {
        void run(int from, int to);
    }

    private static void inParallel(int rows, ExecutorService pool, int threads, RowRange work) {
        if (pool == null || threads <= 1 || rows < 2048) {
            work.run(0, rows);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        int chunk = (rows + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * chunk;
            int to = Math.min(rows, from + chunk);
            if (from < to) {
                futures.add(pool.submit(() -> work.run(from, to)));
            }
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while predicting", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("prediction failed", e.getCause());
            }
        }
    }

    /** {@link #predict} for all rows, split across the pool's threads. */
    public void predictAll(double[] points, double[] mean, double[] std, ExecutorService pool, int threads) {
        inParallel(points.length / d, pool, threads, (from, to) -> predict(points, from, to, mean, std));
    }

    /**
     * Joint posterior samples of the latent function at the given rows (row-major), in the units of
     * the observations: {@code samples × rows}. Cost O(rows³); meant for a few thousand rows.
     */
    public double[][] sampleJoint(double[] points, int samples, SplittableRandom random) {
        int m = points.length / d;
        double[][] v = new double[m][n];
        double[] means = new double[m];
        double[] k = new double[n];
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < n; i++) {
                k[i] = kernel(x, i * d, points, c * d);
            }
            multiplyInverseFactor(k, v[c]);
            means[c] = dot(k, alpha);
        }
        double signal = hyper.signalVariance();
        DMatrixRMaj covariance = new DMatrixRMaj(m, m);
        for (int a = 0; a < m; a++) {
            for (int b = 0; b <= a; b++) {
                double value = kernel(points, a * d, points, b * d) - dot(v[a], v[b]);
                covariance.unsafe_set(a, b, value);
                covariance.unsafe_set(b, a, value);
            }
        }
        Factor factor = Factor.of(covariance, signal);
        double[][] draws = new double[samples][m];
        double[] z = new double[m];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < m; i++) {
                z[i] = gaussian(random);
            }
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    sum += factor.lower().unsafe_get(i, j) * z[j];
                }
                draws[s][i] = yMean + yScale * (means[i] + sum);
            }
        }
        return draws;
    }

    /**
     * The posterior mean at each observation, in the units of the observations and in their order:
     * the process's estimate of the value there without the measurement noise. With noisy
     * measurements the largest of these, rather than the largest measurement (biased upwards by the
     * noise it happened to get), is the incumbent that expected improvement measures from: the
     * "plug-in" incumbent of Picheny, Wagner and Ginsbourger, Struct Multidisc Optim 48, 607 (2013).
     * Without noise the two agree.
     */
    public double[] fittedMeans() {
        double[] mean = new double[n];
        double[] std = new double[n];
        predict(x, 0, n, mean, std);
        return mean;
    }

    /** The largest of {@link #fittedMeans}. */
    public double bestFittedMean() {
        double best = Double.NEGATIVE_INFINITY;
        for (double m : fittedMeans()) {
            best = Math.max(best, m);
        }
        return best;
    }

    public Hyperparameters hyperparameters() {
        return hyper;
    }

    /** Log marginal likelihood of the fit (standardised outputs); NaN for a conditioned process. */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    public int observations() {
        return n;
    }

    public int dimensions() {
        return d;
    }

    /** The standard deviation of the observations the outputs were standardised with. */
    public double outputScale() {
        return yScale;
    }

    /** v = L⁻¹ k, as AXPY updates over the stored columns of L⁻¹. */
    private void multiplyInverseFactor(double[] k, double[] v) {
        java.util.Arrays.fill(v, 0, n, 0);
        double[] columns = inverseFactorColumns;
        for (int j = 0; j < n; j++) {
            double kj = k[j];
            int base = j * n;
            for (int i = j; i < n; i++) {
                v[i] += columns[base + i] * kj;
            }
        }
    }

    private double kernel(double[] a, int aOffset, double[] b, int bOffset) {
        double r2 = 0;
        for (int k = 0; k < d; k++) {
            double diff = a[aOffset + k] - b[bOffset + k];
            r2 += diff * diff * inverseLength2[k];
        }
        double r = Math.sqrt(r2);
        return hyper.signalVariance() * (1 + SQRT5 * r + (5.0 / 3) * r2) * Math.exp(-SQRT5 * r);
    }

    private static DMatrixRMaj buildCovariance(int n, int d, double[] x, Hyperparameters hyper) {
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        double[] inverse = new double[d];
        for (int j = 0; j < d; j++) {
            inverse[j] = 1 / (hyper.lengthScales()[j] * hyper.lengthScales()[j]);
        }
        double signal = hyper.signalVariance();
        for (int a = 0; a < n; a++) {
            k.unsafe_set(a, a, signal + hyper.noiseVariance());
            for (int b = 0; b < a; b++) {
                double r2 = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[a * d + j] - x[b * d + j];
                    r2 += diff * diff * inverse[j];
                }
                double r = Math.sqrt(r2);
                double value = signal * (1 + SQRT5 * r + (5.0 / 3) * r2) * Math.exp(-SQRT5 * r);
                k.unsafe_set(a, b, value);
                k.unsafe_set(b, a, value);
            }
        }
        return k;
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** A Cholesky factor L of a covariance matrix, with jitter added to the diagonal until it exists. */
    record Factor(DMatrixRMaj lower, double jitter) {

        static Factor of(DMatrixRMaj covariance, double scale) {
            int n = covariance.numRows;
            double jitter = 0;
            for (int attempt = 0; attempt < 8; attempt++) {
                DMatrixRMaj copy = covariance.copy();
                if (jitter > 0) {
                    for (int i = 0; i < n; i++) {
                        copy.unsafe_set(i, i, copy.unsafe_get(i, i) + jitter);
                    }
                }
                CholeskyDecompositionInner_DDRM cholesky = new CholeskyDecompositionInner_DDRM(true);
                if (cholesky.decompose(copy)) {
                    DMatrixRMaj lower = cholesky.getT(null);
                    return new Factor(lower, jitter);
                }
                jitter = jitter == 0 ? 1e-10 * scale : jitter * 10;
            }
            throw new ArithmeticException("the covariance matrix is not positive definite even with jitter "
                    + jitter);
        }

        double halfLogDeterminant() {
            double sum = 0;
            for (int i = 0; i < lower.numRows; i++) {
                sum += Math.log(lower.unsafe_get(i, i));
            }
            return sum;
        }

        /** L⁻¹ as an n×n row-major matrix. */
        DMatrixRMaj inverse() {
            DMatrixRMaj inverse = lower.copy();
            TriangularSolver_DDRM.invertLower(inverse.data, inverse.numRows);
            return inverse;
        }

        /** L⁻¹ stored column by column: {@code result[j * n + i] = L⁻¹[i][j]} for i ≥ j. */
        double[] inverseColumns() {
            DMatrixRMaj inverse = inverse();
            int n = inverse.numRows;
            double[] columns = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    columns[j * n + i] = inverse.unsafe_get(i, j);
                }
            }
            return columns;
        }

        double[] solve(double[] b) {
            int n = b.length;
            double[] z = b.clone();
            for (int i = 0; i < n; i++) {
                double sum = z[i];
                for (int j = 0; j < i; j++) {
                    sum -= lower.unsafe_get(i, j) * z[j];
                }
                z[i] = sum / lower.unsafe_get(i, i);
            }
            for (int i = n - 1; i >= 0; i--) {
                double sum = z[i];
                for (int j = i + 1; j < n; j++) {
                    sum -= lower.unsafe_get(j, i) * z[j];
                }
                z[i] = sum / lower.unsafe_get(i, i);
            }
            return z;
        }
    }

    /**
     * The negative log marginal likelihood and its gradient in log hyper-parameters. Holds scratch
     * space, so each optimiser thread uses its own {@link #copy}.
     */
    static final class Likelihood {

        private final int n;
        private final int d;
        private final double[] x;
        private final double[] y;
        private final Double fixedNoise;
        private final double[][] squaredDifferences;

        Likelihood(int n, int d, double[] x, double[] y, Double fixedNoise) {
            this(n, d, x, y, fixedNoise, pairDifferences(n, d, x));
        }

        private Likelihood(int n, int d, double[] x, double[] y, Double fixedNoise, double[][] squaredDifferences) {
            this.n = n;
            this.d = d;
            this.x = x;
            this.y = y;
            this.fixedNoise = fixedNoise;
            this.squaredDifferences = squaredDifferences;
        }

        Likelihood copy() {
            return new Likelihood(n, d, x, y, fixedNoise, squaredDifferences);
        }

        int parameterCount() {
            return d + (fixedNoise == null ? 2 : 1);
        }

        Hyperparameters hyperparameters(double[] theta) {
            double[] lengths = new double[d];
            for (int k = 0; k < d; k++) {
                lengths[k] = Math.exp(theta[k]);
            }
            double noise = fixedNoise != null ? fixedNoise : Math.exp(theta[d + 1]);
            return new Hyperparameters(lengths, Math.exp(theta[d]), noise);
        }

        private static double[][] pairDifferences(int n, int d, double[] x) {
            int pairs = n * (n - 1) / 2;
            double[][] differences = new double[d][pairs];
            int p = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < a; b++, p++) {
                    for (int k = 0; k < d; k++) {
                        double diff = x[a * d + k] - x[b * d + k];
                        differences[k][p] = diff * diff;
                    }
                }
            }
            return differences;
        }

        double negative(double[] theta, double[] gradient) {
            Hyperparameters hyper = hyperparameters(theta);
            double signal = hyper.signalVariance();
            double noise = hyper.noiseVariance();
            double[] inverse = new double[d];
            for (int k = 0; k < d; k++) {
                inverse[k] = 1 / (hyper.lengthScales()[k] * hyper.lengthScales()[k]);
            }
            int pairs = n * (n - 1) / 2;
            double[] kernelValue = new double[pairs];
            double[] lengthFactor = new double[pairs];
            // the lower triangle of K, column-major: (a, b) with a > b at b * n + a
            double[] covariance = new double[n * n];
            int p = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < a; b++, p++) {
                    double r2 = 0;
                    for (int j = 0; j < d; j++) {
                        r2 += squaredDifferences[j][p] * inverse[j];
                    }
                    double r = Math.sqrt(r2);
                    double e = Math.exp(-SQRT5 * r);
                    double value = signal * (1 + SQRT5 * r + (5.0 / 3) * r2) * e;
                    kernelValue[p] = value;
                    lengthFactor[p] = signal * (5.0 / 3) * (1 + SQRT5 * r) * e;
                    covariance[b * n + a] = value;
                }
            }
            double[] factor = new double[n * n];
            double jitter = 0;
            boolean factored = false;
            for (int attempt = 0; attempt < 8 && !factored; attempt++) {
                System.arraycopy(covariance, 0, factor, 0, n * n);
                for (int a = 0; a < n; a++) {
                    factor[a * n + a] = signal + noise + jitter;
                }
                factored = ColumnCholesky.factor(factor, n);
                jitter = jitter == 0 ? 1e-10 * signal : jitter * 10;
            }
            if (!factored) {
                return Double.POSITIVE_INFINITY;
            }
            double halfLogDeterminant = 0;
            for (int a = 0; a < n; a++) {
                halfLogDeterminant += Math.log(factor[a * n + a]);
            }
            double[] inverseFactor = covariance; // reused: K's entries are in kernelValue from here on
            ColumnCholesky.invertLower(factor, inverseFactor, n);
            double[] kInverse = factor;
            ColumnCholesky.inverseProduct(inverseFactor, kInverse, n);
            double[] alpha = new double[n];
            for (int a = 0; a < n; a++) {
                double sum = 0;
                int row = a * n;
                for (int b = 0; b < n; b++) {
                    sum += kInverse[row + b] * y[b];
                }
                alpha[a] = sum;
            }
            double value = 0.5 * dot(y, alpha) + halfLogDeterminant + 0.5 * n * LOG_2PI;
            // gradient of -log L: -½ tr(W ∂K/∂θ) with W = ααᵀ − K⁻¹
            double[] lengthGradient = new double[d];
            double signalTrace = 0;
            double diagonalTrace = 0;
            p = 0;
            for (int a = 0; a < n; a++) {
                diagonalTrace += alpha[a] * alpha[a] - kInverse[a * n + a];
                for (int b = 0; b < a; b++, p++) {
                    double w = alpha[a] * alpha[b] - kInverse[a * n + b];
                    signalTrace += 2 * w * kernelValue[p];
                    double scaled = w * lengthFactor[p];
                    for (int j = 0; j < d; j++) {
                        lengthGradient[j] += scaled * squaredDifferences[j][p];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                // ∂K_ab/∂log ℓ_j = signal·(5/3)(1+√5r)e^{−√5r}·Δ_j²/ℓ_j², over both triangles
                gradient[j] = -lengthGradient[j] * inverse[j];
            }
            gradient[d] = -0.5 * (signalTrace + diagonalTrace * signal);
            if (fixedNoise == null) {
                gradient[d + 1] = -0.5 * diagonalTrace * noise;
            }
            return value;
        }
    }
}
