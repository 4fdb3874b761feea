package org.mihub.planning.acquisition;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.mihub.common.gp.GaussianProcess;

/**
 * Where experiments succeed: a Gaussian-process classifier (probit likelihood, Laplace
 * approximation; Rasmussen and Williams 2006, algorithms 3.1 and 3.2) on the same encoded designs
 * as the surrogate, trained on which experiments succeeded and which failed.
 *
 * <p>The latent function is a constant prior mean — the probit of the smoothed success rate
 * (s + 1) / (n + 2), so a design far from every experiment gets the campaign's overall rate, not
 * one half — plus an ARD Matérn 5/2 process. Its length scales start from a Gaussian process fitted
 * by maximum marginal likelihood to the 0/1 labels (the surrogate's own fit, so ARD says which
 * inputs matter); the classifier then takes, of those length scales times 0.5, 1 or 2 and a latent
 * variance of 1, 4, 16, 64 or 256, the pair with the largest Laplace approximate marginal
 * likelihood. The probability of success at a design is Φ(μ), μ the latent posterior mean there
 * (the mode's prediction, R&W eq. 3.21).
 *
 * <p>Why not the averaged probability Φ(μ / √(1 + σ²)): where a region always fails (the outcomes
 * are separable) the likelihood is flat at the mode, W = −∇∇ log p tends to zero, and the Laplace
 * posterior variance stays near the prior's; averaging over it pulls every probability towards one
 * half, even at a design that failed ten times around (0.16 at the failed end of the 1-D test
 * below, with 16 as the latent variance). With Φ(μ) the seeded campaign of
 * {@code FailureLearningTest} needs 14.3 experiments on average to its optimum, 24.7 with the
 * averaged form (latent variances up to 16; more is worse) and 44.2 without a classifier. Far from every experiment μ returns to the prior
 * mean, the campaign's success rate, so unexplored designs are not written off.
 *
 * <p>A failed experiment is evidence about feasibility only: it never enters the objective's
 * surrogate as a bad value.
 */
public final class FeasibilityModel {

    private static final double[] LENGTH_FACTORS = {0.5, 1, 2};
    private static final double[] LATENT_VARIANCES = {1, 4, 16, 64, 256};
    private static final int NEWTON_ITERATIONS = 100;

    private final int n;
    private final int d;
    private final double[] x;
    private final double[] inverseLength;
    private final double variance;
    private final double priorMean;
    /** ∇ log p(y | f̂): the predictive mean's weights. */
    private final double[] gradient;
    private final double logEvidence;
    private final int successes;

    private FeasibilityModel(int n, int d, double[] x, double[] inverseLength, double variance, double priorMean,
            double[] gradient, double logEvidence, int successes) {
        this.n = n;
        this.d = d;
        this.x = x;
        this.inverseLength = inverseLength;
        this.variance = variance;
        this.priorMean = priorMean;
        this.gradient = gradient;
        this.logEvidence = logEvidence;
        this.successes = successes;
    }

    /**
     * Fits the classifier.
     *
     * @param succeeded encoded designs of experiments that gave a result
     * @param failed    encoded designs of experiments that failed
     * @param fitter    fits the Gaussian process whose length scales seed the classifier's
     * @return the model, or null when there is nothing to tell apart (no failure)
     */
    public static FeasibilityModel fit(double[][] succeeded, double[][] failed,
            java.util.function.BiFunction<double[][], double[], GaussianProcess> fitter, SplittableRandom random) {
        if (failed.length == 0) {
            return null;
        }
        int n = succeeded.length + failed.length;
        int d = failed[0].length;
        double[][] points = new double[n][];
        double[] labels = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            boolean success = i < succeeded.length;
            points[i] = success ? succeeded[i] : failed[i - succeeded.length];
            if (points[i].length != d) {
                throw new IllegalArgumentException("designs of " + points[i].length + " and " + d + " dimensions");
            }
            labels[i] = success ? 1 : 0;
            y[i] = success ? 1 : -1;
        }
        double[] base;
        if (succeeded.length == 0) {
            // one class only: nothing to estimate relevance from; a moderate length in every input
            base = new double[d];
            Arrays.fill(base, 0.2);
        } else {
            base = fitter.apply(points, labels).hyperparameters().lengthScales();
        }
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        double rate = (succeeded.length + 1.0) / (n + 2.0);
        double priorMean = NormalMath.inverseCdf(rate);
        FeasibilityModel best = null;
        for (double factor : LENGTH_FACTORS) {
            double[] inverse = new double[d];
            for (int k = 0; k < d; k++) {
                inverse[k] = 1 / Math.max(base[k] * factor, 1e-6);
            }
            for (double latent : LATENT_VARIANCES) {
                FeasibilityModel model = laplace(n, d, flat, y, inverse, latent, priorMean, succeeded.length);
                if (model != null && (best == null || model.logEvidence > best.logEvidence)) {
                    best = model;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("the feasibility classifier did not converge on " + n + " experiments");
        }
        return best;
    }

    private static FeasibilityModel laplace(int n, int d, double[] x, double[] y, double[] inverse, double variance,
            double priorMean, int successes) {
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double value = kernel(x, i * d, x, j * d, d, inverse, variance);
                k.unsafe_set(i, j, value);
                k.unsafe_set(j, i, value);
            }
        }
        double[] g = new double[n];
        double[] grad = new double[n];
        double[] w = new double[n];
        double[] sw = new double[n];
        double[] a = new double[n];
        double psi = Double.NEGATIVE_INFINITY;
        DMatrixRMaj lower = null;
        double logLikelihood = 0;
        for (int iteration = 0; iteration < NEWTON_ITERATIONS; iteration++) {
            logLikelihood = derivatives(y, g, priorMean, grad, w);
            for (int i = 0; i < n; i++) {
                sw[i] = Math.sqrt(w[i]);
            }
            lower = factorB(k, sw);
            if (lower == null) {
                return null;
            }
            // b = W g + ∇; a = b − W½ B⁻¹ W½ K b; g_new = K a
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = w[i] * g[i] + grad[i];
            }
            double[] kb = multiply(k, b);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = sw[i] * kb[i];
            }
            solveB(lower, c);
            double[] newA = new double[n];
            for (int i = 0; i < n; i++) {
                newA[i] = b[i] - sw[i] * c[i];
            }
            double[] newG = multiply(k, newA);
            double newPsi = -0.5 * dot(newA, newG) + logLikelihood(y, newG, priorMean);
            // a Newton step that lowers the objective is halved until it does not
            int halvings = 0;
            while (newPsi < psi - 1e-10 && halvings < 20) {
                for (int i = 0; i < n; i++) {
                    newA[i] = 0.5 * (newA[i] + a[i]);
                }
                newG = multiply(k, newA);
                newPsi = -0.5 * dot(newA, newG) + logLikelihood(y, newG, priorMean);
                halvings++;
            }
            boolean converged = Math.abs(newPsi - psi) < 1e-9;
            a = newA;
            g = newG;
            psi = newPsi;
            if (converged) {
                break;
            }
        }
        // the factor, weights and gradient at the mode
        logLikelihood = derivatives(y, g, priorMean, grad, w);
        for (int i = 0; i < n; i++) {
            sw[i] = Math.sqrt(w[i]);
        }
        lower = factorB(k, sw);
        if (lower == null) {
            return null;
        }
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += Math.log(lower.unsafe_get(i, i));
        }
        double evidence = -0.5 * dot(a, g) + logLikelihood - logDet;
        if (!Double.isFinite(evidence)) {
            return null;
        }
        return new FeasibilityModel(n, d, x, inverse, variance, priorMean, grad, evidence, successes);
    }

    /** log p(y | m + g) and, per observation, its gradient and W = −∂² (positive for the probit). */
    private static double derivatives(double[] y, double[] g, double priorMean, double[] grad, double[] w) {
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            double f = priorMean + g[i];
            double z = y[i] * f;
            double logCdf = NormalMath.logCdf(z);
            // N(z) / Φ(z), stable in the far tail
            double ratio = Math.exp(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - logCdf);
            total += logCdf;
            grad[i] = y[i] * ratio;
            w[i] = ratio * ratio + z * ratio;
        }
        return total;
    }

    private static double logLikelihood(double[] y, double[] g, double priorMean) {
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            total += NormalMath.logCdf(y[i] * (priorMean + g[i]));
        }
        return total;
    }

    private static DMatrixRMaj factorB(DMatrixRMaj k, double[] sw) {
        int n = sw.length;
        DMatrixRMaj b = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b.unsafe_set(i, j, (i == j ? 1 : 0) + sw[i] * k.unsafe_get(i, j) * sw[j]);
            }
        }
        CholeskyDecomposition_F64<DMatrixRMaj> cholesky = DecompositionFactory_DDRM.chol(n, true);
        if (!cholesky.decompose(b)) {
            return null;
        }
        return cholesky.getT(null);
    }

    /** c ← B⁻¹ c with B = L Lᵀ. */
    private static void solveB(DMatrixRMaj lower, double[] c) {
        TriangularSolver_DDRM.solveL(lower.data, c, c.length);
        TriangularSolver_DDRM.solveTranL(lower.data, c, c.length);
    }

    private static double[] multiply(DMatrixRMaj k, double[] v) {
        int n = v.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += k.unsafe_get(i, j) * v[j];
            }
            out[i] = sum;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double kernel(double[] a, int at, double[] b, int bt, int d, double[] inverse, double variance) {
        double squared = 0;
        for (int k = 0; k < d; k++) {
            double diff = (a[at + k] - b[bt + k]) * inverse[k];
            squared += diff * diff;
        }
        double r = Math.sqrt(5 * squared);
        return variance * (1 + r + r * r / 3) * Math.exp(-r);
    }

    /** The probability of success at rows {@code from .. to-1} of {@code points} (row after row). */
    public void probability(double[] points, int from, int to, double[] out) {
        for (int row = from; row < to; row++) {
            double mean = priorMean;
            for (int i = 0; i < n; i++) {
                mean += kernel(points, row * d, x, i * d, d, inverseLength, variance) * gradient[i];
            }
            out[row] = NormalMath.cdf(mean);
        }
    }

    /** The probability of success at every row of {@code points}, on the pool's threads (null: this thread). */
    public double[] probabilityAll(double[] points, ExecutorService pool, int threads) {
        int rows = points.length / d;
        double[] out = new double[rows];
        if (pool == null || threads <= 1 || rows < 2048) {
            probability(points, 0, rows, out);
            return out;
        }
        int chunk = (rows + threads - 1) / threads;
        java.util.List<Future<?>> parts = new java.util.ArrayList<>();
        for (int from = 0; from < rows; from += chunk) {
            int start = from;
            int end = Math.min(rows, from + chunk);
            parts.add(pool.submit(() -> probability(points, start, end, out)));
        }
        for (Future<?> part : parts) {
            try {
                part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scoring feasibility", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("scoring feasibility failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    /** The experiments it learned from. */
    public int experiments() {
        return n;
    }

    public int successes() {
        return successes;
    }

    /** Length scales it chose (unit-cube units). */
    public double[] lengthScales() {
        double[] out = new double[d];
        for (int k = 0; k < d; k++) {
            out[k] = 1 / inverseLength[k];
        }
        return out;
    }

    public double latentVariance() {
        return variance;
    }

    public double logEvidence() {
        return logEvidence;
    }
}
