package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Gradient-boosted regression trees with a per-prediction uncertainty, on squared, absolute or
 * Huber loss.
 *
 * <p>Each tree is grown on histograms of binned features, as LightGBM and XGBoost's {@code hist}
 * method do: every feature is cut into at most 256 bins at quantiles of its training values, a
 * node's split is found from per-bin sums of gradients and weights, and a child's histogram is
 * its parent's minus its sibling's. Leaf values are shrunk by the learning rate and by an L2 term
 * (lambda = 1, XGBoost's default). Each round fits a random share ({@code subsample}) of the rows.
 *
 * <p>With absolute or Huber loss the trees are grown on the loss's pseudo-residuals (the sign of
 * the residual; the residual clipped at its 0.9 quantile) and each leaf then takes the value that
 * minimises the loss over its rows (the median residual; the median plus the mean clipped
 * deviation from it), as in Friedman (2001) and scikit-learn. The model starts from the median.
 * Absolute loss suits a score in mean absolute error and targets with many equal values, such as
 * band gaps of metals.
 *
 * <p>The uncertainty comes from an ensemble: {@code ensemble} boosted models, each on its own
 * bootstrap resample of the rows. The prediction is their mean; the standard deviation is
 * sqrt(spread of the members + tau^2), with tau^2 the out-of-bag squared error the spread does
 * not explain (each row scored by the members that did not see it), as for the random forest.
 *
 * <p>Reproducible: member m draws its resample and subsamples from the m-th generator split from
 * {@code seed}, so the same seed gives the same model bit for bit, whatever the thread count.
 */
public final class GradientBoosting implements Regressor, TreeBacked {

    /**
     * @param rounds       boosting rounds per member
     * @param learningRate shrinkage of every leaf value
     * @param subsample    share of the rows each round fits, in (0, 1]
     * @param minLeaf      least (weighted) number of rows in a leaf
     * @param ensemble     members of the uncertainty ensemble, at least 2
     */
    public record Params(int rounds, double learningRate, int maxDepth, double subsample, int minLeaf, int ensemble,
            Loss loss, long seed) implements ModelParams {

        public static Params defaults(long seed) {
            return new Params(500, 0.05, 6, 0.8, 5, 10, Loss.SQUARED_ERROR, seed);
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.GRADIENT_BOOSTING;
        }

        @Override
        public GradientBoosting fit(double[][] x, double[] y, int threads) {
            return GradientBoosting.fit(x, y, this, threads);
        }

        @Override
        public Map<String, Object> recorded() {
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("n_estimators", rounds);
            recorded.put("learning_rate", learningRate);
            recorded.put("max_depth", maxDepth);
            recorded.put("subsample", subsample);
            recorded.put("min_samples_leaf", minLeaf);
            recorded.put("ensemble_size", ensemble);
            recorded.put("loss", loss.apiName);
            return recorded;
        }
    }

    /** The loss each member minimises, with its API name and artifact tag. */
    public enum Loss {
        SQUARED_ERROR("squared_error", 0), ABSOLUTE_ERROR("absolute_error", 1), HUBER("huber", 2);

        public final String apiName;
        final int tag;

        Loss(String apiName, int tag) {
            this.apiName = apiName;
            this.tag = tag;
        }

        static Loss ofTag(int tag) {
            for (Loss loss : values()) {
                if (loss.tag == tag) {
                    return loss;
                }
            }
            throw new IllegalStateException("unknown loss tag " + tag);
        }
    }

    /** Huber loss: residuals beyond this quantile of their absolute values count linearly. */
    static final double HUBER_QUANTILE = 0.9;

    /** L2 penalty on leaf values (XGBoost's lambda). */
    static final double LAMBDA = 1;
    static final int MAX_BINS = 256;

    private final Params params;
    private final int features;
    private final double[] base;
    private final FlatTrees trees;
    private final double noiseVariance;

    private GradientBoosting(Params params, int features, double[] base, FlatTrees trees, double noiseVariance) {
        this.params = params;
        this.features = features;
        this.base = base;
        this.trees = trees;
        this.noiseVariance = noiseVariance;
    }

    public static GradientBoosting fit(double[][] x, double[] y, Params params, int threads) {
        int n = x.length;
        int members = params.ensemble();
        Bins bins = Bins.of(x);
        SplittableRandom root = new SplittableRandom(params.seed());
        SplittableRandom[] generators = new SplittableRandom[members];
        for (int m = 0; m < members; m++) {
            generators[m] = root.split();
        }
        int[][] counts = new int[members][];
        double[] base = new double[members];
        TreeNodes[] grown = new TreeNodes[members * params.rounds()];
        Parallel.run(threads, members, m -> {
            int[] count = new int[n];
            for (int draw = 0; draw < n; draw++) {
                count[generators[m].nextInt(n)]++;
            }
            counts[m] = count;
            Booster booster = new Booster(x, y, bins, count, params, generators[m]);
            base[m] = booster.base;
            booster.boost(grown, m * params.rounds());
        });
        FlatTrees flat = FlatTrees.of(grown);
        GradientBoosting unscaled = new GradientBoosting(params, x[0].length, base, flat, 0);
        return new GradientBoosting(params, x[0].length, base, flat, unscaled.outOfBagNoise(x, y, counts, threads));
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public int features() {
        return features;
    }

    public double noiseVariance() {
        return noiseVariance;
    }

    @Override
    public void predict(double[][] rows, double[] means, double[] stds, int threads) {
        int block = 64;
        int blocks = (rows.length + block - 1) / block;
        Parallel.run(threads, blocks, k -> {
            int from = k * block;
            int to = Math.min(rows.length, from + block);
            double[][] members = members(rows, from, to);
            for (int r = from; r < to; r++) {
                double[] member = members[r - from];
                double mean = mean(member);
                means[r] = mean;
                stds[r] = Math.sqrt(spread(member, mean) + noiseVariance);
            }
        });
    }

    @Override
    public FlatTrees flatTrees() {
        return trees;
    }

    /**
     * The ensemble as one sum of trees: the members' mean start value plus every tree (its leaves
     * already shrunk by the learning rate) over the number of members.
     */
    @Override
    public Optional<TreeEnsemble> treeEnsemble() {
        return trees.hasCover() ? Optional.of(TreeEnsemble.of(trees, 1.0 / base.length, mean(base), features))
                : Optional.empty();
    }

    /** Each member's prediction for rows from..to-1: out[row - from][member]. */
    private double[][] members(double[][] rows, int from, int to) {
        double[][] sums = new double[base.length][to - from];
        trees.accumulate(rows, from, to, params.rounds(), sums);
        double[][] out = new double[to - from][base.length];
        for (int r = 0; r < to - from; r++) {
            for (int m = 0; m < base.length; m++) {
                out[r][m] = base[m] + sums[m][r];
            }
        }
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** Sample variance of the members' predictions. */
    private static double spread(double[] values, double mean) {
        double sum = 0;
        for (double value : values) {
            sum += (value - mean) * (value - mean);
        }
        return sum / (values.length - 1);
    }

    /** tau^2: mean squared out-of-bag error minus the mean spread of the members, at least 0. */
    private double outOfBagNoise(double[][] x, double[] y, int[][] counts, int threads) {
        int n = x.length;
        double[] squaredError = new double[n];
        double[] spread = new double[n];
        boolean[] scored = new boolean[n];
        int block = 64;
        Parallel.run(threads, (n + block - 1) / block, k -> {
            int from = k * block;
            int to = Math.min(n, from + block);
            double[][] members = members(x, from, to);
            for (int i = from; i < to; i++) {
                double[] member = members[i - from];
                double sum = 0;
                int out = 0;
                for (int m = 0; m < base.length; m++) {
                    if (counts[m][i] == 0) {
                        sum += member[m];
                        out++;
                    }
                }
                if (out > 0) {
                    double residual = y[i] - sum / out;
                    squaredError[i] = residual * residual;
                    spread[i] = spread(member, mean(member));
                    scored[i] = true;
                }
            }
        });
        return OutOfBag.unexplainedVariance(squaredError, spread, scored);
    }

    /** Writes the parameters, the members' base values, the trees ({@link FlatTrees#write}) and tau^2. */
    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(params.rounds());
        out.writeDouble(params.learningRate());
        out.writeInt(params.maxDepth());
        out.writeDouble(params.subsample());
        out.writeInt(params.minLeaf());
        out.writeInt(params.ensemble());
        out.writeByte(params.loss().tag);
        out.writeLong(params.seed());
        out.writeInt(features);
        for (double value : base) {
            out.writeDouble(value);
        }
        trees.write(out);
        out.writeDouble(noiseVariance);
    }

    /** Reads what {@link #write} wrote; format-2 artifacts had no loss byte and were all squared error. */
    static GradientBoosting read(DataInput in, int format) throws IOException {
        int rounds = in.readInt();
        double rate = in.readDouble();
        int depth = in.readInt();
        double subsample = in.readDouble();
        int leaf = in.readInt();
        int ensemble = in.readInt();
        Loss loss = format >= 3 ? Loss.ofTag(in.readByte()) : Loss.SQUARED_ERROR;
        Params params = new Params(rounds, rate, depth, subsample, leaf, ensemble, loss, in.readLong());
        int features = in.readInt();
        double[] base = new double[params.ensemble()];
        for (int m = 0; m < base.length; m++) {
            base[m] = in.readDouble();
        }
        FlatTrees trees = FlatTrees.read(in, params.ensemble() * params.rounds());
        return new GradientBoosting(params, features, base, trees, in.readDouble());
    }

    /**
     * Features cut into bins: {@code edges[f]} are the cut points of feature f (a value v is in bin
     * k when edges[k-1] &lt; v &lt;= edges[k]), {@code codes[i * p + f]} the bin of x[i][f], and a
     * feature's bins start at {@code offset[f]} in a histogram.
     */
    static final class Bins {

        final double[][] edges;
        final int[] offset;
        final int total;
        final byte[] codes;
        final int features;

        private Bins(double[][] edges, byte[] codes) {
            this.edges = edges;
            this.codes = codes;
            this.features = edges.length;
            this.offset = new int[features + 1];
            for (int f = 0; f < features; f++) {
                offset[f + 1] = offset[f] + edges[f].length + 1;
            }
            this.total = offset[features];
        }

        static Bins of(double[][] x) {
            int n = x.length;
            int p = x[0].length;
            double[][] edges = new double[p][];
            byte[] codes = new byte[n * p];
            double[] sorted = new double[n];
            for (int f = 0; f < p; f++) {
                for (int i = 0; i < n; i++) {
                    sorted[i] = x[i][f];
                }
                Arrays.sort(sorted);
                edges[f] = cuts(sorted);
                for (int i = 0; i < n; i++) {
                    codes[i * p + f] = (byte) bin(edges[f], x[i][f]);
                }
            }
            return new Bins(edges, codes);
        }

        /** Cut points midway between neighbouring distinct values: all of them, or at most 255 at quantiles. */
        private static double[] cuts(double[] sorted) {
            int n = sorted.length;
            double[] distinct = new double[n];
            int d = 0;
            for (int i = 0; i < n; i++) {
                if (d == 0 || sorted[i] != distinct[d - 1]) {
                    distinct[d++] = sorted[i];
                }
            }
            double[] cuts = new double[Math.min(d, MAX_BINS) - 1];
            int count = 0;
            for (int q = 1; q <= cuts.length; q++) {
                int below = d <= MAX_BINS ? q - 1
                        : Arrays.binarySearch(distinct, 0, d, sorted[(int) ((long) q * n / MAX_BINS)]);
                if (below + 1 >= d) {
                    continue;
                }
                double cut = midway(distinct[below], distinct[below + 1]);
                if (count == 0 || cut > cuts[count - 1]) {
                    cuts[count++] = cut;
                }
            }
            return Arrays.copyOf(cuts, count);
        }

        private static double midway(double below, double above) {
            double middle = below + (above - below) / 2;
            return middle < above ? middle : below;
        }

        /** The bin of a value: the first cut at or above it. */
        static int bin(double[] cuts, double value) {
            int low = 0;
            int high = cuts.length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (cuts[middle] < value) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }
    }

    /** Boosts one member of the ensemble on its bootstrap counts. */
    private static final class Booster {

        private final double[][] x;
        private final double[] y;
        private final Bins bins;
        private final int[] count;
        private final Params params;
        private final SplittableRandom random;
        private final double[] fitted;
        private final double[] gradient;
        private final double[] residual;
        private final double[][] histograms;
        private double huberDelta;
        private final int[] bag;
        final double base;

        Booster(double[][] x, double[] y, Bins bins, int[] count, Params params, SplittableRandom random) {
            this.x = x;
            this.y = y;
            this.bins = bins;
            this.count = count;
            this.params = params;
            this.random = random;
            int n = y.length;
            double sum = 0;
            double total = 0;
            int inBag = 0;
            for (int i = 0; i < n; i++) {
                sum += count[i] * y[i];
                total += count[i];
                inBag += count[i] > 0 ? 1 : 0;
            }
            this.bag = new int[inBag];
            for (int i = 0, k = 0; i < n; i++) {
                if (count[i] > 0) {
                    bag[k++] = i;
                }
            }
            this.base = params.loss() == Loss.SQUARED_ERROR ? sum / total : weightedQuantile(bag, y, count, 0.5);
            this.residual = new double[n];
            this.fitted = new double[n];
            Arrays.fill(fitted, base);
            this.gradient = new double[n];
            this.histograms = new double[params.maxDepth() + 1][];
        }

        /** Grows the member's trees into {@code out[at ...]}. */
        void boost(TreeNodes[] out, int at) {
            int[] rows = new int[bag.length];
            for (int round = 0; round < params.rounds(); round++) {
                int size = 0;
                for (int i : bag) {
                    if (params.subsample() >= 1 || random.nextDouble() < params.subsample()) {
                        rows[size++] = i;
                    }
                }
                int[] chosen = Arrays.copyOf(rows, size);
                pseudoResiduals(chosen);
                TreeNodes tree = new TreeNodes();
                int root = tree.add();
                double[] histogram = histogram(0);
                fill(chosen, histogram);
                grow(tree, root, chosen, histogram, 0);
                tree.trim();
                out[at + round] = tree;
                for (int i : bag) {
                    int node = 0;
                    while (tree.feature[node] >= 0) {
                        node = x[i][tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.left[node] + 1;
                    }
                    fitted[i] += tree.value[node];
                }
            }
        }

        /** The negative gradient of the loss at every chosen row, into {@code gradient}. */
        private void pseudoResiduals(int[] chosen) {
            for (int i : chosen) {
                residual[i] = y[i] - fitted[i];
            }
            switch (params.loss()) {
                case SQUARED_ERROR:
                    for (int i : chosen) {
                        gradient[i] = residual[i];
                    }
                    break;
                case ABSOLUTE_ERROR:
                    for (int i : chosen) {
                        gradient[i] = Math.signum(residual[i]);
                    }
                    break;
                default:
                    if (chosen.length == 0) {
                        // a round whose subsample is empty grows a single leaf of value 0
                        huberDelta = 0;
                        break;
                    }
                    double[] absolute = new double[y.length];
                    for (int i : chosen) {
                        absolute[i] = Math.abs(residual[i]);
                    }
                    huberDelta = weightedQuantile(chosen, absolute, count, HUBER_QUANTILE);
                    for (int i : chosen) {
                        gradient[i] = Math.max(-huberDelta, Math.min(huberDelta, residual[i]));
                    }
            }
        }

        /**
         * A leaf's value before shrinkage, for absolute and Huber loss: the loss's minimiser over the
         * leaf's residuals (Friedman's one-step approximation for Huber).
         */
        private double leafValue(int[] rows) {
            double median = weightedQuantile(rows, residual, count, 0.5);
            if (params.loss() == Loss.ABSOLUTE_ERROR) {
                return median;
            }
            double sum = 0;
            double weight = 0;
            for (int i : rows) {
                double deviation = residual[i] - median;
                sum += count[i] * Math.max(-huberDelta, Math.min(huberDelta, deviation));
                weight += count[i];
            }
            return median + sum / weight;
        }

        private double[] histogram(int depth) {
            if (histograms[depth] == null) {
                histograms[depth] = new double[2 * bins.total];
            }
            return histograms[depth];
        }

        /** Per bin of every feature: the weighted gradient sum and the weight of the rows. */
        private void fill(int[] rows, double[] histogram) {
            Arrays.fill(histogram, 0);
            int p = bins.features;
            int[] offset = bins.offset;
            byte[] codes = bins.codes;
            for (int i : rows) {
                double weight = count[i];
                double g = weight * gradient[i];
                int start = i * p;
                for (int f = 0; f < p; f++) {
                    int slot = 2 * (offset[f] + (codes[start + f] & 0xff));
                    histogram[slot] += g;
                    histogram[slot + 1] += weight;
                }
            }
        }

        private void grow(TreeNodes tree, int node, int[] rows, double[] histogram, int depth) {
            double sum = 0;
            double weight = 0;
            for (int i : rows) {
                sum += count[i] * gradient[i];
                weight += count[i];
            }
            tree.value[node] = weight == 0 ? 0 : params.learningRate() * sum / (weight + LAMBDA);
            tree.cover[node] = weight;
            if (depth >= params.maxDepth() || weight < 2 * params.minLeaf()) {
                leaf(tree, node, rows);
                return;
            }
            double parent = sum * sum / (weight + LAMBDA);
            double best = parent + 1e-12 * Math.abs(parent);
            int bestFeature = -1;
            int bestBin = -1;
            double bestLeftWeight = 0;
            for (int f = 0; f < bins.features; f++) {
                int start = bins.offset[f];
                int last = bins.offset[f + 1] - 1;
                double leftSum = 0;
                double leftWeight = 0;
                for (int b = start; b < last; b++) {
                    leftSum += histogram[2 * b];
                    leftWeight += histogram[2 * b + 1];
                    double rightWeight = weight - leftWeight;
                    if (leftWeight < params.minLeaf()) {
                        continue;
                    }
                    if (rightWeight < params.minLeaf()) {
                        break;
                    }
                    double rightSum = sum - leftSum;
                    double gain = leftSum * leftSum / (leftWeight + LAMBDA) + rightSum * rightSum / (rightWeight + LAMBDA);
                    if (gain > best) {
                        best = gain;
                        bestFeature = f;
                        bestBin = b - start;
                        bestLeftWeight = leftWeight;
                    }
                }
            }
            if (bestFeature < 0) {
                leaf(tree, node, rows);
                return;
            }
            int p = bins.features;
            int leftCount = 0;
            for (int i : rows) {
                leftCount += (bins.codes[i * p + bestFeature] & 0xff) <= bestBin ? 1 : 0;
            }
            int[] leftRows = new int[leftCount];
            int[] rightRows = new int[rows.length - leftCount];
            int l = 0;
            int r = 0;
            for (int i : rows) {
                if ((bins.codes[i * p + bestFeature] & 0xff) <= bestBin) {
                    leftRows[l++] = i;
                } else {
                    rightRows[r++] = i;
                }
            }
            int leftChild = tree.split(node, bestFeature, bins.edges[bestFeature][bestBin]);
            int child = depth + 1;
            double rightWeight = weight - bestLeftWeight;
            boolean leftGrows = child < params.maxDepth() && bestLeftWeight >= 2 * params.minLeaf();
            boolean rightGrows = child < params.maxDepth() && rightWeight >= 2 * params.minLeaf();
            double[] leftHistogram = null;
            double[] rightHistogram = null;
            if (leftGrows || rightGrows) {
                // the smaller child is filled from its rows; the larger is the parent minus it, in the parent's buffer
                boolean leftSmaller = leftRows.length <= rightRows.length;
                double[] small = histogram(child);
                fill(leftSmaller ? leftRows : rightRows, small);
                for (int k = 0; k < histogram.length; k++) {
                    histogram[k] -= small[k];
                }
                leftHistogram = leftSmaller ? small : histogram;
                rightHistogram = leftSmaller ? histogram : small;
            }
            grow(tree, leftChild, leftRows, leftHistogram, child);
            grow(tree, leftChild + 1, rightRows, rightHistogram, child);
        }

        /** Makes a node a leaf: with absolute or Huber loss its value is the loss's minimiser, shrunk. */
        private void leaf(TreeNodes tree, int node, int[] rows) {
            if (params.loss() != Loss.SQUARED_ERROR && rows.length > 0) {
                tree.value[node] = params.learningRate() * leafValue(rows);
            }
        }
    }

    /**
     * The weighted quantile of {@code values[i]} over the given rows, row i counted {@code weight[i]}
     * times (its bootstrap count): the least value whose cumulative count reaches the share
     * {@code q} of the total; 0 when the rows count nothing.
     */
    static double weightedQuantile(int[] rows, double[] values, int[] weight, double q) {
        int total = 0;
        for (int i : rows) {
            total += weight[i];
        }
        double[] repeated = new double[total];
        int k = 0;
        for (int i : rows) {
            for (int copy = 0; copy < weight[i]; copy++) {
                repeated[k++] = values[i];
            }
        }
        if (total == 0) {
            return 0;
        }
        Arrays.sort(repeated);
        int rank = (int) Math.ceil(q * total);
        return repeated[Math.max(0, Math.min(total, rank) - 1)];
    }
}
