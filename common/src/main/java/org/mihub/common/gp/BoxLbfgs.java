package org.mihub.common.gp;

/**
 * Minimises a smooth function inside a box with projected L-BFGS: the quasi-Newton direction is
 * taken over the free variables, trial points are projected onto the box, and steps are accepted
 * by an Armijo backtracking search along the projected path.
 *
 * <p>Hand-written: no Java library under a permissive licence ships a bounded L-BFGS (Hipparchus
 * and Commons Math offer CMA-ES, BOBYQA and conjugate gradients, which need many more likelihood
 * evaluations for the same fit).
 */
final class BoxLbfgs {

    /** f(x); writes ∂f/∂x into {@code gradient}. May return +∞ for a point it cannot evaluate. */
    interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    /** The minimum found and how many evaluations it took. */
    record Result(double[] x, double value, int evaluations) {
    }

    private static final int MEMORY = 8;
    /**
     * Stopping rule of SciPy's L-BFGS-B with its defaults (the optimiser scikit-learn fits its
     * processes with): largest projected gradient entry below 1e-5, or a relative decrease of the
     * objective below factr × machine epsilon with factr = 1e7.
     */
    private static final double PROJECTED_GRADIENT_TOLERANCE = 1e-5;
    private static final double RELATIVE_DECREASE_TOLERANCE = 1e7 * Math.ulp(1.0);

    private BoxLbfgs() {
    }

    static Result minimise(Objective f, double[] start, double[] lower, double[] upper, int maxIterations) {
        int d = start.length;
        double[] x = project(start.clone(), lower, upper);
        double[] g = new double[d];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        if (!Double.isFinite(fx)) {
            return new Result(x, fx, evaluations);
        }
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0;
        int newest = -1;
        double[] direction = new double[d];
        double[] trial = new double[d];
        double[] trialGradient = new double[d];
        double[] alpha = new double[MEMORY];
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            boolean[] free = new boolean[d];
            double projectedNorm = 0;
            for (int i = 0; i < d; i++) {
                boolean pinned = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
                free[i] = !pinned;
                if (free[i]) {
                    projectedNorm = Math.max(projectedNorm, Math.abs(g[i]));
                }
            }
            if (projectedNorm < PROJECTED_GRADIENT_TOLERANCE) {
                break;
            }
            // two-loop recursion over the free variables
            for (int i = 0; i < d; i++) {
                direction[i] = free[i] ? -g[i] : 0;
            }
            for (int k = 0, index = newest; k < stored; k++, index = (index - 1 + MEMORY) % MEMORY) {
                alpha[index] = rho[index] * dot(s[index], direction, free);
                axpy(-alpha[index], y[index], direction, free);
            }
            if (stored > 0) {
                double scale = dot(s[newest], y[newest], free) / Math.max(dot(y[newest], y[newest], free), 1e-300);
                if (scale > 0 && Double.isFinite(scale)) {
                    for (int i = 0; i < d; i++) {
                        direction[i] *= scale;
                    }
                }
            }
            for (int k = 0, index = (newest - stored + 1 + MEMORY) % MEMORY; k < stored; k++,
                    index = (index + 1) % MEMORY) {
                double beta = rho[index] * dot(y[index], direction, free);
                axpy(alpha[index] - beta, s[index], direction, free);
            }
            double slope = dot(direction, g, free);
            if (!(slope < 0)) {
                stored = 0;
                for (int i = 0; i < d; i++) {
                    direction[i] = free[i] ? -g[i] : 0;
                }
                slope = dot(direction, g, free);
            }
            double step = stored == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            double ft = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < 30; tries++) {
                for (int i = 0; i < d; i++) {
                    trial[i] = Math.min(upper[i], Math.max(lower[i], x[i] + step * direction[i]));
                }
                ft = f.valueAndGradient(trial, trialGradient);
                evaluations++;
                double decrease = 0;
                for (int i = 0; i < d; i++) {
                    decrease += g[i] * (trial[i] - x[i]);
                }
                if (Double.isFinite(ft) && ft <= fx + 1e-4 * decrease) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                break;
            }
            double[] sNew = new double[d];
            double[] yNew = new double[d];
            for (int i = 0; i < d; i++) {
                sNew[i] = trial[i] - x[i];
                yNew[i] = trialGradient[i] - g[i];
            }
            double curvature = dot(sNew, yNew, null);
            if (curvature > 1e-12) {
                newest = (newest + 1) % MEMORY;
                s[newest] = sNew;
                y[newest] = yNew;
                rho[newest] = 1 / curvature;
                stored = Math.min(stored + 1, MEMORY);
            }
            double change = fx - ft;
            System.arraycopy(trial, 0, x, 0, d);
            System.arraycopy(trialGradient, 0, g, 0, d);
            fx = ft;
            if (change <= RELATIVE_DECREASE_TOLERANCE * Math.max(1, Math.max(Math.abs(fx), Math.abs(fx + change)))) {
                break;
            }
        }
        return new Result(x, fx, evaluations);
    }

    private static double[] project(double[] x, double[] lower, double[] upper) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
        }
        return x;
    }

    private static double dot(double[] a, double[] b, boolean[] mask) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            if (mask == null || mask[i]) {
                sum += a[i] * b[i];
            }
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y, boolean[] mask) {
        for (int i = 0; i < x.length; i++) {
            if (mask[i]) {
                y[i] += a * x[i];
            }
        }
    }
}
