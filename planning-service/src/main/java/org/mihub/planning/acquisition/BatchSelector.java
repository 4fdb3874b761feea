package org.mihub.planning.acquisition;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;

import org.mihub.common.gp.GaussianProcess;

/**
 * Chooses a batch of q candidates from a finite pool with a fitted surrogate.
 *
 * <ul>
 * <li><b>Kriging believer</b> (default): pick the best-scoring candidate, condition the surrogate on
 * a fantasised observation at its predicted mean, pick again. When the acquisition function can
 * only lose under conditioning ({@link Acquisition#monotoneUnderConditioning()}), later picks are
 * found by lazy re-evaluation: candidates are re-scored in order of their previous score until the
 * best fresh score beats every remaining previous one. The result is exactly the full greedy
 * re-scoring, at a fraction of its cost.
 * <li><b>Local penalisation</b> (González et al., AISTATS 2016): the score of a candidate is
 * multiplied by a penalty for each earlier pick, the probability that the candidate lies outside
 * the pick's ball of likely non-optimality, whose radius comes from a Lipschitz constant of the
 * mean. Penalties are at most one, so the same lazy re-evaluation applies.
 * <li><b>Thompson sampling</b>: each slot takes the best candidate of one joint posterior sample.
 * Pools larger than {@value #THOMPSON_SUBSET} are sampled on a subset: the candidates with the
 * highest UCB (β = 3) and a random remainder.
 * <li><b>Random</b>: uniformly among the available candidates.
 * </ul>
 *
 * Pending proposals (proposed earlier, no result yet) enter as earlier picks of the same batch.
 */
public final class BatchSelector {

    /** Batch strategies. */
    public enum Strategy {
        KRIGING_BELIEVER,
        LOCAL_PENALISATION
    }

    /** One chosen candidate: its pool index, the surrogate's prediction there and its score. */
    public record Pick(int index, double mean, double std, double score) {
    }

    static final int THOMPSON_SUBSET = 1500;

    private final Acquisition acquisition;
    private final Strategy strategy;
    private final ExecutorService pool;
    private final int threads;

    /** Per pool row, the logarithm of the probability the score is multiplied by (null: none). */
    private final double[] logWeights;

    public BatchSelector(Acquisition acquisition, Strategy strategy, ExecutorService pool, int threads) {
        this(acquisition, strategy, pool, threads, null);
    }

    private BatchSelector(Acquisition acquisition, Strategy strategy, ExecutorService pool, int threads,
            double[] logWeights) {
        // penalties and probabilities multiply a positive gain: UCB and pure exploration are then scored as log gain
        boolean linear = acquisition.function() == Acquisition.Function.UPPER_CONFIDENCE_BOUND
                || acquisition.function() == Acquisition.Function.PURE_EXPLORATION;
        this.acquisition = (strategy == Strategy.LOCAL_PENALISATION || logWeights != null) && linear
                && !acquisition.costAware()
                        ? new Acquisition(acquisition.function(), acquisition.beta(), acquisition.xi(), true)
                        : acquisition;
        this.strategy = strategy;
        this.pool = pool;
        this.threads = threads;
        this.logWeights = logWeights;
    }

    /**
     * The same selector with every candidate's acquisition multiplied by a probability (the
     * probability that the experiment succeeds and that its outcome meets the constraints), given
     * as its logarithm per pool row: scores are then in the log domain (log gain + log probability),
     * UCB and pure exploration as log gain over the incumbent as with local penalisation. The weight
     * of a candidate does not change when the surrogate is conditioned, so the lazy re-evaluation
     * stays exact. Thompson sampling and random selection are not weighted. Null: unweighted.
     */
    public BatchSelector weighted(double[] logWeights) {
        return logWeights == null ? this : new BatchSelector(acquisition, strategy, pool, threads, logWeights);
    }

    /**
     * Picks up to {@code q} distinct candidates.
     *
     * @param gp         the surrogate, fitted to the observations (maximised orientation)
     * @param points     the pool, row-major in the surrogate's input space
     * @param available  which pool rows may be picked
     * @param incumbent  the best observed value (maximised orientation)
     * @param pending    pool rows of pending proposals, treated as earlier picks
     * @param costs      cost per pool row (null: all equal)
     */
    public List<Pick> select(GaussianProcess gp, double[] points, boolean[] available, double incumbent,
            int[] pending, double[] costs, int q, SplittableRandom random) {
        return select(gp, points, available, incumbent, pending, costs, q, random, null);
    }

    /**
     * The objective as an affine function of the process per pool row: y = offset + scale · z, with
     * z the process's value (e.g. a prediction model's mean and standard deviation with a process on
     * the standardised residuals). Scores, picks and the incumbent are in y; the process is
     * conditioned in z. {@code outputScale} is y's spread (the unit of xi).
     */
    public record Transform(double[] offset, double[] scale, double outputScale) {
    }

    /**
     * As {@link #select(GaussianProcess, double[], boolean[], double, int[], double[], int, SplittableRandom)},
     * with the objective an affine transform of the process ({@code transform}; kriging believer and
     * the acquisition functions scored per candidate only).
     */
    public List<Pick> select(GaussianProcess gp, double[] points, boolean[] available, double incumbent,
            int[] pending, double[] costs, int q, SplittableRandom random, Transform transform) {
        if (transform != null && (strategy == Strategy.LOCAL_PENALISATION
                || acquisition.function() == Acquisition.Function.THOMPSON_SAMPLING)) {
            throw new IllegalArgumentException("a transformed objective needs kriging believer and a scored acquisition");
        }
        int d = gp.dimensions();
        int rows = points.length / d;
        boolean[] open = available.clone();
        int openCount = 0;
        for (boolean a : open) {
            openCount += a ? 1 : 0;
        }
        int size = Math.min(q, openCount);
        List<Pick> picks = new ArrayList<>(size);
        if (size == 0) {
            return picks;
        }
        switch (acquisition.function()) {
            case RANDOM -> {
                return randomPicks(gp, points, open, openCount, size, random);
            }
            case THOMPSON_SAMPLING -> {
                return thompson(gp, points, open, openCount, size, random);
            }
            default -> {
            }
        }
        double[] mean = new double[rows];
        double[] std = new double[rows];
        // the process's own moments; the same arrays as the objective's without a transform
        double[] rawMean = transform == null ? mean : new double[rows];
        double[] rawStd = transform == null ? std : new double[rows];
        List<double[]> penalisers = new ArrayList<>();
        GaussianProcess current = gp;
        double best = incumbent;
        for (int p : pending) {
            double[] point = row(points, p, d);
            double[] m = new double[1];
            double[] s = new double[1];
            current.predict(point, 0, 1, m, s);
            if (strategy == Strategy.LOCAL_PENALISATION) {
                penalisers.add(new double[] {p, m[0], s[0]});
            } else {
                current = current.condition(point, m[0]);
                best = Math.max(best, transform == null ? m[0] : transform.offset()[p] + transform.scale()[p] * m[0]);
            }
        }
        boolean lazy = strategy == Strategy.LOCAL_PENALISATION || acquisition.monotoneUnderConditioning();
        double scale = transform == null ? gp.outputScale() : transform.outputScale();
        double[] score = new double[rows];
        // an acquisition that grows with the standard deviation starts from bounds (exact means, bounded
        // deviations), so only candidates whose bound could win are computed exactly: the same picks
        boolean bounded = lazy && acquisition.monotoneUnderConditioning();
        if (bounded) {
            current.predictMeanAndStdBoundAll(points, rawMean, rawStd, pool, threads);
        } else {
            current.predictAll(points, rawMean, rawStd, pool, threads);
        }
        transform(transform, rawMean, rawStd, mean, std, 0, rows);
        double lipschitz = strategy == Strategy.LOCAL_PENALISATION ? lipschitz(gp, points, random) : 0;
        double maxMean = best;
        if (strategy == Strategy.LOCAL_PENALISATION) {
            for (int i = 0; i < rows; i++) {
                maxMean = Math.max(maxMean, mean[i]);
            }
        }
        for (int i = 0; i < rows; i++) {
            if (open[i]) {
                score[i] = scoreOf(i, mean[i], std[i], best, scale, costs, points, d, penalisers, lipschitz, maxMean);
            }
        }
        IndexHeap heap = lazy ? new IndexHeap(open, score) : null;
        int[] exactAt = new int[rows];
        // scores from bounds are exact for no slot; otherwise the first slot's are
        java.util.Arrays.fill(exactAt, bounded ? -1 : 0);
        for (int slot = 0; slot < size; slot++) {
            int chosen = -1;
            if (lazy) {
                // lazy greedy: a score is an upper bound until re-computed for this slot
                while (heap.size() > 0) {
                    int i = heap.top();
                    if (exactAt[i] == slot) {
                        chosen = heap.pop();
                        break;
                    }
                    current.predict(points, i, i + 1, rawMean, rawStd);
                    transform(transform, rawMean, rawStd, mean, std, i, i + 1);
                    score[i] = scoreOf(i, mean[i], std[i], best, scale, costs, points, d, penalisers, lipschitz,
                            maxMean);
                    exactAt[i] = slot;
                    heap.topChanged();
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    if (open[i] && (chosen < 0 || score[i] > score[chosen])) {
                        chosen = i;
                    }
                }
            }
            if (chosen < 0) {
                break;
            }
            picks.add(new Pick(chosen, mean[chosen], std[chosen], score[chosen]));
            open[chosen] = false;
            if (slot + 1 < size) {
                if (strategy == Strategy.LOCAL_PENALISATION) {
                    penalisers.add(new double[] {chosen, mean[chosen], std[chosen]});
                } else {
                    current = current.condition(row(points, chosen, d), rawMean[chosen]);
                    best = Math.max(best, mean[chosen]);
                }
                if (!lazy) {
                    current.predictAll(points, rawMean, rawStd, pool, threads);
                    transform(transform, rawMean, rawStd, mean, std, 0, rows);
                    for (int i = 0; i < rows; i++) {
                        if (open[i]) {
                            score[i] = scoreOf(i, mean[i], std[i], best, scale, costs, points, d, penalisers,
                                    lipschitz, maxMean);
                        }
                    }
                }
            }
        }
        return picks;
    }

    private static void transform(Transform transform, double[] rawMean, double[] rawStd, double[] mean,
            double[] std, int from, int to) {
        if (transform == null) {
            return;
        }
        for (int i = from; i < to; i++) {
            mean[i] = transform.offset()[i] + transform.scale()[i] * rawMean[i];
            std[i] = transform.scale()[i] * rawStd[i];
        }
    }

    /**
     * A binary max-heap of pool rows keyed by their scores (ties: the lower row first), built in
     * linear time; the top's key may be lowered in place.
     */
    private static final class IndexHeap {

        private final int[] rows;
        private final double[] key;
        private int size;

        IndexHeap(boolean[] open, double[] key) {
            this.key = key;
            int count = 0;
            for (boolean o : open) {
                count += o ? 1 : 0;
            }
            rows = new int[count];
            for (int i = 0, k = 0; i < open.length; i++) {
                if (open[i]) {
                    rows[k++] = i;
                }
            }
            size = count;
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        int size() {
            return size;
        }

        int top() {
            return rows[0];
        }

        int pop() {
            int top = rows[0];
            rows[0] = rows[--size];
            siftDown(0);
            return top;
        }

        void topChanged() {
            siftDown(0);
        }

        private boolean before(int a, int b) {
            return key[a] > key[b] || (key[a] == key[b] && a < b);
        }

        private void siftDown(int position) {
            int row = rows[position];
            while (true) {
                int child = 2 * position + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && before(rows[child + 1], rows[child])) {
                    child++;
                }
                if (!before(rows[child], row)) {
                    break;
                }
                rows[position] = rows[child];
                position = child;
            }
            rows[position] = row;
        }
    }

    private double scoreOf(int i, double mean, double std, double best, double scale, double[] costs,
            double[] points, int d, List<double[]> penalisers, double lipschitz, double maxMean) {
        double cost = costs == null ? 1 : costs[i];
        double value = acquisition.score(mean, std, best, scale, cost);
        if (logWeights != null) {
            value += logWeights[i];
        }
        if (strategy != Strategy.LOCAL_PENALISATION || penalisers.isEmpty()) {
            return value;
        }
        for (double[] p : penalisers) {
            int j = (int) p[0];
            double distance = 0;
            for (int k = 0; k < d; k++) {
                double diff = points[i * d + k] - points[j * d + k];
                distance += diff * diff;
            }
            distance = Math.sqrt(distance);
            double z = (lipschitz * distance - maxMean + p[1]) / Math.max(p[2], 1e-12 * scale);
            // every score is in the log domain here (see the constructor)
            value += NormalMath.logCdf(z);
        }
        return value;
    }

    /** The largest norm of the mean's gradient seen over (a sample of) the pool, at least a small floor. */
    private static double lipschitz(GaussianProcess gp, double[] points, SplittableRandom random) {
        int d = gp.dimensions();
        int rows = points.length / d;
        int samples = Math.min(rows, 2000);
        double h = 1e-4;
        double largest = 0;
        double[] probe = new double[2 * d];
        double[] m = new double[2];
        double[] s = new double[2];
        for (int t = 0; t < samples; t++) {
            int i = samples == rows ? t : random.nextInt(rows);
            double norm = 0;
            for (int k = 0; k < d; k++) {
                System.arraycopy(points, i * d, probe, 0, d);
                System.arraycopy(points, i * d, probe, d, d);
                probe[k] -= h;
                probe[d + k] += h;
                gp.predictMeanAndStdBound(probe, 0, 2, m, s);
                double slope = (m[1] - m[0]) / (2 * h);
                norm += slope * slope;
            }
            largest = Math.max(largest, Math.sqrt(norm));
        }
        return Math.max(largest, 1e-7 * gp.outputScale());
    }

    private List<Pick> randomPicks(GaussianProcess gp, double[] points, boolean[] open, int openCount, int size,
            SplittableRandom random) {
        int d = gp.dimensions();
        int[] candidates = openRows(open, openCount);
        List<Pick> picks = new ArrayList<>(size);
        for (int slot = 0; slot < size; slot++) {
            int j = slot + random.nextInt(candidates.length - slot);
            int chosen = candidates[j];
            candidates[j] = candidates[slot];
            candidates[slot] = chosen;
            double[] m = new double[1];
            double[] s = new double[1];
            gp.predict(row(points, chosen, d), 0, 1, m, s);
            picks.add(new Pick(chosen, m[0], s[0], 0));
        }
        return picks;
    }

    private List<Pick> thompson(GaussianProcess gp, double[] points, boolean[] open, int openCount, int size,
            SplittableRandom random) {
        int d = gp.dimensions();
        int[] subset = openRows(open, openCount);
        if (subset.length > THOMPSON_SUBSET) {
            subset = thompsonSubset(gp, points, subset, random);
        }
        double[] subsetPoints = new double[subset.length * d];
        for (int i = 0; i < subset.length; i++) {
            System.arraycopy(points, subset[i] * d, subsetPoints, i * d, d);
        }
        double[][] draws = gp.sampleJoint(subsetPoints, size, random);
        double[] mean = new double[subset.length];
        double[] std = new double[subset.length];
        gp.predict(subsetPoints, 0, subset.length, mean, std);
        boolean[] taken = new boolean[subset.length];
        List<Pick> picks = new ArrayList<>(size);
        for (double[] draw : draws) {
            int chosen = -1;
            for (int i = 0; i < subset.length; i++) {
                if (!taken[i] && (chosen < 0 || draw[i] > draw[chosen])) {
                    chosen = i;
                }
            }
            taken[chosen] = true;
            picks.add(new Pick(subset[chosen], mean[chosen], std[chosen], draw[chosen]));
        }
        return picks;
    }

    private int[] thompsonSubset(GaussianProcess gp, double[] points, int[] open, SplittableRandom random) {
        int d = gp.dimensions();
        int rows = points.length / d;
        double[] mean = new double[rows];
        double[] std = new double[rows];
        gp.predictAll(points, mean, std, pool, threads);
        Integer[] order = new Integer[open.length];
        for (int i = 0; i < open.length; i++) {
            order[i] = open[i];
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(mean[b] + 3 * std[b], mean[a] + 3 * std[a]));
        int top = THOMPSON_SUBSET * 2 / 3;
        int[] subset = new int[THOMPSON_SUBSET];
        for (int i = 0; i < top; i++) {
            subset[i] = order[i];
        }
        // the rest: a uniform sample of the remaining candidates (partial Fisher-Yates)
        int remaining = order.length - top;
        for (int i = 0; i < THOMPSON_SUBSET - top; i++) {
            int j = top + i + random.nextInt(remaining - i);
            Integer swap = order[top + i];
            order[top + i] = order[j];
            order[j] = swap;
            subset[top + i] = order[top + i];
        }
        return subset;
    }

    private static int[] openRows(boolean[] open, int openCount) {
        int[] rows = new int[openCount];
        for (int i = 0, k = 0; i < open.length; i++) {
            if (open[i]) {
                rows[k++] = i;
            }
        }
        return rows;
    }

    private static double[] row(double[] points, int index, int d) {
        double[] row = new double[d];
        System.arraycopy(points, index * d, row, 0, d);
        return row;
    }
}
