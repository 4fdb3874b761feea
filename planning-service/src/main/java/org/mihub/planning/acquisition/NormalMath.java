package org.mihub.planning.acquisition;

import org.hipparchus.special.Erf;

/**
 * The standard normal quantities the acquisition functions need, in forms that stay finite far in
 * the tails: expected improvement is computed as log h(z) with h(z) = φ(z) + zΦ(z), following the
 * LogEI formulation of Ament et al., "Unexpected improvements to expected improvement for Bayesian
 * optimization" (NeurIPS 2023), where plain EI underflows to zero and stops ranking candidates.
 */
public final class NormalMath {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT2 = Math.sqrt(2);

    private NormalMath() {
    }

    /** Φ(z). */
    public static double cdf(double z) {
        return 0.5 * Erf.erfc(-z / SQRT2);
    }

    /** Φ⁻¹(p) for 0 < p < 1 (Hipparchus's inverse error function). */
    public static double inverseCdf(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability strictly between 0 and 1, not " + p);
        }
        return SQRT2 * Erf.erfInv(2 * p - 1);
    }

    /** log φ(z). */
    public static double logPdf(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** log Φ(z), accurate for very negative z (via the Mills ratio). */
    public static double logCdf(double z) {
        if (z > -5) {
            return Math.log(cdf(z));
        }
        // Φ(z) = φ(z)·R(t) with t = −z and R the Mills ratio
        double t = -z;
        return logPdf(z) + Math.log(millsRatio(t));
    }

    /**
     * log h(z) with h(z) = φ(z) + zΦ(z) = E[max(Z + z, 0)], the expected improvement of a unit
     * normal whose mean lies z standard deviations above the incumbent.
     */
    public static double logH(double z) {
        if (z > -5) {
            return Math.log(Math.max(Math.exp(logPdf(z)) + z * cdf(z), Double.MIN_NORMAL));
        }
        // h(z) = φ(z)·(1 − tR(t)), t = −z; with 1/R(t) = t + c, 1 − tR(t) = c / (t + c)
        double t = -z;
        double c = millsTail(t);
        return logPdf(z) + Math.log(c) - Math.log(t + c);
    }

    /** R(t) = Φ(−t)/φ(t) for t ≥ 5, from its continued fraction. */
    private static double millsRatio(double t) {
        return 1 / (t + millsTail(t));
    }

    /** c(t) in 1/R(t) = t + c(t) = t + 1/(t + 2/(t + 3/(t + …))), evaluated bottom up; t ≥ 5. */
    private static double millsTail(double t) {
        double value = t;
        for (int k = 60; k >= 2; k--) {
            value = t + k / value;
        }
        return 1 / value;
    }
}
