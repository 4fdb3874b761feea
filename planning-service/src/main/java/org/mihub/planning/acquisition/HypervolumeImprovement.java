package org.mihub.planning.acquisition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Expected hypervolume improvement for two objectives, both oriented so that larger is better.
 *
 * <p>Exact, in closed form: with the Pareto front sorted by the first objective, the region a new
 * point y could add is a union of vertical strips; on strip i (first objective between x_i and
 * x_{i+1}) the front stands at height h_i, and the added area is (y2 - h_i)+ times the part of the
 * strip left of y1. With independent Gaussian predictions the two factors are independent, so
 *
 * <pre>EHVI = sum_i psi2(h_i) * (psi1(x_i) - psi1(x_{i+1})),   psi(a) = E[(Y - a)+] = s * H((mu - a) / s)</pre>
 *
 * with H(z) = phi(z) + z Phi(z), the same function expected improvement uses (Emmerich, Deutz and
 * Klinkenberg 2011 give the general form; for two objectives it reduces to this sum over k + 1
 * strips, O(k) per candidate).
 *
 * <p>Hand-written: no Java library computes hypervolume improvements.
 */
public final class HypervolumeImprovement {

    private HypervolumeImprovement() {
    }

    /** A candidate chosen with its expected improvement (in the oriented objectives' units squared). */
    public record Choice(int index, double expected) {
    }

    /**
     * The reference point: per objective, the worst value still of interest when given, else the
     * worst observed value less a tenth of the observed range (as BoTorch infers it), so that the
     * observed extremes still add volume.
     */
    public static double[] reference(List<double[]> observed, Double[] given) {
        double[] reference = new double[2];
        for (int o = 0; o < 2; o++) {
            if (given[o] != null) {
                reference[o] = given[o];
                continue;
            }
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (double[] point : observed) {
                low = Math.min(low, point[o]);
                high = Math.max(high, point[o]);
            }
            double range = high > low ? high - low : Math.max(Math.abs(low), 1);
            reference[o] = low - 0.1 * range;
        }
        return reference;
    }

    /** The points that dominate the reference and that no other point dominates, by first objective ascending. */
    static double[][] front(List<double[]> points, double[] reference) {
        List<double[]> candidates = new ArrayList<>();
        for (double[] point : points) {
            if (point[0] > reference[0] && point[1] > reference[1]) {
                candidates.add(point);
            }
        }
        // by the first objective descending (ties: the second descending); keep a point when its
        // second objective beats every point with a larger first objective
        candidates.sort(Comparator.<double[]>comparingDouble(p -> -p[0]).thenComparingDouble(p -> -p[1]));
        List<double[]> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (double[] point : candidates) {
            if (point[1] > best) {
                front.add(point);
                best = point[1];
            }
        }
        double[][] ascending = new double[front.size()][];
        for (int k = 0; k < ascending.length; k++) {
            ascending[k] = front.get(front.size() - 1 - k);
        }
        return ascending;
    }

    /** The area dominated by the points and dominating the reference. */
    public static double hypervolume(List<double[]> points, double[] reference) {
        double[][] front = front(points, reference);
        double volume = 0;
        double left = reference[0];
        // ascending in the first objective, so descending in the second: strip k reaches front[k]'s height
        for (int k = 0; k < front.length; k++) {
            double height = front[k][1];
            double right = front[k][0];
            // the part of the strip from `left` to `right` lies under every point from k on; the highest is k
            volume += (right - left) * (height - reference[1]);
            left = right;
        }
        return volume;
    }

    /**
     * A front that grows one point at a time with its hypervolume kept up to date: a new point adds
     * exactly its improvement over the current front (the expected improvement with no
     * uncertainty), O(k) per point instead of recomputing the whole volume.
     */
    public static final class Front {

        private final double[] reference;
        /** Non-dominated points that dominate the reference, by first objective ascending. */
        private final List<double[]> points = new ArrayList<>();
        private double volume;

        public Front(double[] reference) {
            this.reference = reference.clone();
        }

        /** Adds an observed point; returns the volume dominated by everything added so far. */
        public double add(double[] point) {
            if (!(point[0] > reference[0] && point[1] > reference[1])) {
                return volume;
            }
            double gain = expected(points.toArray(double[][]::new), reference, point[0], 0, point[1], 0);
            if (gain <= 0) {
                return volume;
            }
            volume += gain;
            points.removeIf(p -> p[0] <= point[0] && p[1] <= point[1]);
            int at = 0;
            while (at < points.size() && points.get(at)[0] < point[0]) {
                at++;
            }
            points.add(at, point);
            return volume;
        }

        public double volume() {
            return volume;
        }
    }

    /** E[(Y - a)+] for Y ~ N(mean, std^2); (mean - a)+ when std is 0. */
    static double excess(double mean, double std, double a) {
        if (a == Double.POSITIVE_INFINITY) {
            return 0;
        }
        if (!(std > 0)) {
            return Math.max(mean - a, 0);
        }
        return std * Math.exp(NormalMath.logH((mean - a) / std));
    }

    /**
     * The expected hypervolume improvement of a candidate with independent predictions
     * N(mean1, std1^2) and N(mean2, std2^2) over a front from {@link #front}.
     */
    static double expected(double[][] front, double[] reference, double mean1, double std1, double mean2,
            double std2) {
        int k = front.length;
        double sum = 0;
        double previous = excess(mean1, std1, reference[0]);
        for (int i = 0; i <= k; i++) {
            // strip i runs from x_i (the reference, then front[i-1]) to x_{i+1} (front[i], then infinity);
            // the front's height over it is front[i]'s second objective, or the reference past the last point
            double next = i < k ? excess(mean1, std1, front[i][0]) : 0;
            double height = i < k ? front[i][1] : reference[1];
            double width = previous - next;
            if (width > 0) {
                sum += excess(mean2, std2, height) * width;
            }
            previous = next;
        }
        return sum;
    }

    /**
     * A batch by expected hypervolume improvement: the best candidate, then the best again after
     * the pick's predicted means join the front as if observed (the kriging believer applied to
     * the front; pending proposals join it the same way before the first pick), so later picks
     * look for improvement elsewhere on the front.
     *
     * @param means     oriented predicted means, [objective][candidate]
     * @param stds      predicted standard deviations, [objective][candidate]
     * @param believed  observed points and pending proposals' predicted means, oriented
     * @param costs     per-candidate cost to divide the improvement by, or null
     */
    public static List<Choice> select(double[][] means, double[][] stds, boolean[] available, List<double[]> believed,
            double[] reference, double[] costs, int size) {
        List<double[]> front = new ArrayList<>(believed);
        boolean[] open = available.clone();
        List<Choice> choices = new ArrayList<>();
        for (int slot = 0; slot < size; slot++) {
            double[][] current = front(front, reference);
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            double bestExpected = 0;
            for (int i = 0; i < open.length; i++) {
                if (!open[i]) {
                    continue;
                }
                double expected = expected(current, reference, means[0][i], stds[0][i], means[1][i], stds[1][i]);
                double score = costs == null ? expected : expected / costs[i];
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                    bestExpected = expected;
                }
            }
            if (best < 0) {
                break;
            }
            open[best] = false;
            choices.add(new Choice(best, bestExpected));
            front.add(new double[] {means[0][best], means[1][best]});
        }
        return choices;
    }
}
