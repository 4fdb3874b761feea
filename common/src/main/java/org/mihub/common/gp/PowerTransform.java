package org.mihub.common.gp;

/**
 * A monotone warping of observations towards a normal distribution, for a Gaussian process whose
 * outputs are skewed: the values are standardised, then bent by the Yeo-Johnson power transform
 * (Yeo &amp; Johnson, Biometrika 87, 954 (2000)) with the exponent lambda that maximises the normal
 * log-likelihood of the transformed values, as scikit-learn's PowerTransformer and HEBO do. The
 * transform is strictly increasing, so the best observation stays the best and an improvement stays
 * an improvement; {@link #inverse} maps a prediction back to the units of the observations.
 *
 * <p>Hand-written: the few lines of the transform and a one-dimensional maximisation do not justify
 * a statistics library in the services.
 */
public final class PowerTransform {

    /** The exponents searched: a grid, then golden-section refinement around its best point. */
    static final double MIN_LAMBDA = -3;
    static final double MAX_LAMBDA = 3;
    /** The 95 % quantile of the chi-squared distribution with one degree of freedom. */
    static final double CHI_SQUARED_1_95 = 3.841458820694124;

    private final double mean;
    private final double scale;
    private final double lambda;

    private PowerTransform(double mean, double scale, double lambda) {
        this.mean = mean;
        this.scale = scale;
        this.lambda = lambda;
    }

    /** The transform fitted to {@code values} (at least one; constant values give the identity's shape). */
    public static PowerTransform fit(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("a power transform needs at least one value");
        }
        // standardised as the process standardises (constant values: scale 1, and every u is 0, so no
        // exponent has a finite likelihood and lambda stays 1)
        double mean = GaussianProcess.mean(values);
        double scale = GaussianProcess.scale(values, mean);
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = (values[i] - mean) / scale;
        }
        double best = 1;
        double bestLikelihood = logLikelihood(u, 1);
        int steps = 24;
        for (int k = 0; k <= steps; k++) {
            double candidate = MIN_LAMBDA + (MAX_LAMBDA - MIN_LAMBDA) * k / steps;
            double likelihood = logLikelihood(u, candidate);
            if (likelihood > bestLikelihood) {
                best = candidate;
                bestLikelihood = likelihood;
            }
        }
        double step = (MAX_LAMBDA - MIN_LAMBDA) / steps;
        double low = Math.max(MIN_LAMBDA, best - step);
        double high = Math.min(MAX_LAMBDA, best + step);
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = high - ratio * (high - low);
        double b = low + ratio * (high - low);
        double fa = logLikelihood(u, a);
        double fb = logLikelihood(u, b);
        for (int iteration = 0; iteration < 40; iteration++) {
            if (fa > fb) {
                high = b;
                b = a;
                fb = fa;
                a = high - ratio * (high - low);
                fa = logLikelihood(u, a);
            } else {
                low = a;
                a = b;
                fa = fb;
                b = low + ratio * (high - low);
                fb = logLikelihood(u, b);
            }
        }
        double refined = (low + high) / 2;
        if (logLikelihood(u, refined) > bestLikelihood) {
            best = refined;
            bestLikelihood = logLikelihood(u, refined);
        }
        // bend only on evidence: the likelihood-ratio test against lambda = 1 at the 5 % level
        if (2 * (bestLikelihood - logLikelihood(u, 1)) < CHI_SQUARED_1_95) {
            best = 1;
        }
        return new PowerTransform(mean, scale, best);
    }

    /** The normal log-likelihood of the transformed values, up to a constant, with the Jacobian term. */
    private static double logLikelihood(double[] u, double lambda) {
        int n = u.length;
        double sum = 0;
        double jacobian = 0;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = yeoJohnson(u[i], lambda);
            sum += z[i];
            jacobian += Math.copySign(Math.log1p(Math.abs(u[i])), u[i]);
        }
        double zMean = sum / n;
        double variance = 0;
        for (double value : z) {
            variance += (value - zMean) * (value - zMean);
        }
        variance /= n;
        if (!(variance > 0) || !Double.isFinite(variance)) {
            return Double.NEGATIVE_INFINITY;
        }
        return -0.5 * n * Math.log(variance) + (lambda - 1) * jacobian;
    }

    static double yeoJohnson(double u, double lambda) {
        if (u >= 0) {
            return Math.abs(lambda) < 1e-12 ? Math.log1p(u) : (Math.pow(u + 1, lambda) - 1) / lambda;
        }
        double other = 2 - lambda;
        return Math.abs(other) < 1e-12 ? -Math.log1p(-u) : -(Math.pow(1 - u, other) - 1) / other;
    }

    static double inverseYeoJohnson(double z, double lambda) {
        if (z >= 0) {
            if (Math.abs(lambda) < 1e-12) {
                return Math.expm1(z);
            }
            double base = lambda * z + 1;
            // beyond the image of the transform (lambda < 0): the largest value it reaches
            return base <= 0 ? Double.POSITIVE_INFINITY : Math.pow(base, 1 / lambda) - 1;
        }
        double other = 2 - lambda;
        if (Math.abs(other) < 1e-12) {
            return -Math.expm1(-z);
        }
        double base = 1 - other * z;
        return base <= 0 ? Double.NEGATIVE_INFINITY : 1 - Math.pow(base, 1 / other);
    }

    /** The transformed value of an observation. */
    public double apply(double value) {
        return yeoJohnson((value - mean) / scale, lambda);
    }

    /** The transformed values. */
    public double[] apply(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = apply(values[i]);
        }
        return out;
    }

    /** The observation a transformed value stands for. */
    public double inverse(double transformed) {
        return mean + scale * inverseYeoJohnson(transformed, lambda);
    }

    /** The fitted exponent (1 with 0 bending: the transform is then a shift and scale). */
    public double lambda() {
        return lambda;
    }

    /**
     * False when the transform is a shift and scale only: a process fitted to the transformed values
     * then predicts exactly what one fitted to the values themselves does, as it standardises them.
     */
    public boolean bends() {
        return lambda != 1;
    }
}
