package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A random forest of regression trees with a per-prediction uncertainty.
 *
 * <p>Hand-written, because the uncertainty needs what no permissively licensed Java forest exposes:
 * each tree's bootstrap counts. The variance of the forest's mean at x is the average of the
 * bias-corrected infinitesimal jackknife and jackknife-after-bootstrap estimates (Wager, Hastie &amp;
 * Efron, JMLR 15, 1625 (2014)), the estimates Citrine's Lolo uses. Both are quadratic forms in the
 * deviations d_b = t_b(x) - mean of the tree predictions, so their sum is folded at training time into
 * one B x B matrix Q: Var(x) = d' Q d. A prediction interval also needs the noise of the data: tau^2,
 * the out-of-bag squared error not explained by the jackknife variance. The reported standard deviation
 * is sqrt(max(Var(x), 0) + tau^2).
 *
 * <p>The fraction of the features tried at each split matters most among the forest's settings: 1/3
 * (Breiman's choice for regression) suits many weak features, all of them suits a few strong ones.
 * Unless it is given, the forest chooses it from {@link #FEATURE_FRACTIONS} by the mean absolute
 * error of out-of-bag predictions of {@link #SELECTION_TREES} trees each, on its own training rows only
 * (so a cross-validation fold chooses without seeing its test rows); a tie goes to the smaller
 * fraction. The chosen forest is the one a request for that fraction gives, bit for bit.
 *
 * <p>Reproducible: tree b draws its bootstrap sample and feature subsets from the b-th generator split
 * from {@code seed}, so the same seed gives the same forest bit for bit, whatever the thread count.
 */
public final class RandomForest implements Regressor, TreeBacked {

    /** The feature fractions a forest chooses among when none is given. */
    private static final double[] FEATURE_FRACTIONS = {1.0 / 3, 2.0 / 3, 1.0};

    /** Trees grown for each candidate fraction in that choice. */
    static final int SELECTION_TREES = 100;

    /**
     * @param maxFeatures fraction of the features tried at each split, in (0, 1]; {@link #CHOOSE} to
     *                    choose it by out-of-bag error
     * @param maxDepth    0 for unlimited
     */
    public record Params(int trees, int maxDepth, int minLeaf, double maxFeatures, long seed) implements ModelParams {

        /** The feature fraction that means "choose it by out-of-bag error". */
        public static final double CHOOSE = 0;

        public static Params defaults(long seed) {
            return new Params(500, 0, 1, CHOOSE, seed);
        }

        public boolean choosesFeatures() {
            return maxFeatures == CHOOSE;
        }

        public Params withMaxFeatures(double fraction) {
            return new Params(trees, maxDepth, minLeaf, fraction, seed);
        }

        public Params withTrees(int count) {
            return new Params(count, maxDepth, minLeaf, maxFeatures, seed);
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.RANDOM_FOREST;
        }

        @Override
        public RandomForest fit(double[][] x, double[] y, int threads) {
            return RandomForest.fit(x, y, this, threads);
        }

        @Override
        public Map<String, Object> recorded() {
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("n_trees", trees);
            recorded.put("max_depth", maxDepth);
            recorded.put("min_samples_leaf", minLeaf);
            recorded.put("max_features", maxFeatures);
            recorded.put("uncertainty", "COMBINED");
            return recorded;
        }
    }

    /** A prediction: the forest mean and its standard deviation (jackknife and noise). */
    public record Prediction(double mean, double std) {
    }

    /** Rows predicted together: a tree's nodes are fetched once per block. */
    static final int BLOCK = 1024;

    private final Params params;
    private final int features;
    private final FlatTrees trees;
    private final double[] q;
    /**
     * Q in single precision: its diagonal, and per row b the entries right of the diagonal at their
     * own column (qUpper[b][c] for c > b; the rest is unused), so that a row of Q and a row of the
     * result are read at the same index, which lets the JIT vectorise the multiply-add.
     */
    private final float[] qDiagonal;
    private final float[][] qUpper;
    private final double noiseVariance;

    private RandomForest(Params params, int features, FlatTrees trees, double[] q, double noiseVariance) {
        this.params = params;
        this.features = features;
        this.trees = trees;
        this.q = q;
        int count = trees.trees();
        this.qDiagonal = new float[count];
        this.qUpper = new float[count][count];
        for (int b = 0; b < count; b++) {
            qDiagonal[b] = (float) q[b * count + b];
            for (int c = b + 1; c < count; c++) {
                qUpper[b][c] = (float) q[b * count + c];
            }
        }
        this.noiseVariance = noiseVariance;
    }

    public static RandomForest fit(double[][] x, double[] y, Params params, int threads) {
        int[][] rank = ranks(x);
        Grown grown;
        Params chosen;
        if (params.choosesFeatures()) {
            // the winning candidate's trees are the first trees of the forest: only the rest are grown
            Grown candidate = chooseFeatures(x, y, rank, params, threads);
            chosen = candidate.params().withTrees(params.trees());
            grown = grow(x, y, rank, chosen, candidate, threads);
        } else {
            chosen = params;
            grown = grow(x, y, rank, chosen, null, threads);
        }
        double[] q = jackknifeMatrix(grown.counts(), x.length, threads);
        RandomForest unscaled = new RandomForest(chosen, x[0].length, grown.trees(), q, 0);
        double noise = unscaled.outOfBagNoise(x, y, grown.counts(), threads);
        return new RandomForest(chosen, x[0].length, grown.trees(), q, noise);
    }

    /** The trees grown with {@code params}, flattened too, and per tree how often its bootstrap sample drew each row. */
    private record Grown(Params params, RegressionTree[] grown, FlatTrees trees, int[][] counts) {
    }

    /**
     * Grows the forest of {@code params}; tree b depends only on the seed and b, so the trees of
     * {@code prefix} (grown with the same parameters but fewer trees, or null) are taken as they are.
     */
    private static Grown grow(double[][] x, double[] y, int[][] rank, Params params, Grown prefix, int threads) {
        int n = x.length;
        int p = x[0].length;
        int trees = params.trees();
        int tried = Math.max(1, (int) Math.round(params.maxFeatures() * p));
        SplittableRandom root = new SplittableRandom(params.seed());
        SplittableRandom[] generators = new SplittableRandom[trees];
        for (int b = 0; b < trees; b++) {
            generators[b] = root.split();
        }
        int[][] counts = new int[trees][];
        RegressionTree[] grown = new RegressionTree[trees];
        int reused = prefix == null ? 0 : prefix.grown().length;
        if (reused > 0) {
            System.arraycopy(prefix.grown(), 0, grown, 0, reused);
            System.arraycopy(prefix.counts(), 0, counts, 0, reused);
        }
        Parallel.run(threads, trees - reused, k -> {
            int b = reused + k;
            int[] weight = new int[n];
            for (int draw = 0; draw < n; draw++) {
                weight[generators[b].nextInt(n)]++;
            }
            counts[b] = weight;
            grown[b] = RegressionTree.grow(x, y, rank, weight, params.maxDepth(), params.minLeaf(), tried,
                    generators[b]);
        });
        return new Grown(params, grown, FlatTrees.of(grown), counts);
    }

    /**
     * The forest of {@link #SELECTION_TREES} trees (at most the requested number) with the fraction of
     * {@link #FEATURE_FRACTIONS} that has the smallest out-of-bag mean absolute error.
     */
    private static Grown chooseFeatures(double[][] x, double[] y, int[][] rank, Params params, int threads) {
        Grown best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (double fraction : FEATURE_FRACTIONS) {
            Params candidate = new Params(Math.min(params.trees(), SELECTION_TREES), params.maxDepth(),
                    params.minLeaf(), fraction, params.seed());
            Grown grown = grow(x, y, rank, candidate, null, threads);
            double error = outOfBagError(grown, x, y, threads);
            if (best == null || error < bestError) {
                best = grown;
                bestError = error;
            }
        }
        return best;
    }

    /** Mean absolute error of each row's mean over the trees that did not draw it (rows all drew: skipped). */
    private static double outOfBagError(Grown grown, double[][] x, double[] y, int threads) {
        int n = x.length;
        int trees = grown.trees().trees();
        double[] error = new double[n];
        boolean[] scored = new boolean[n];
        Parallel.run(threads, (n + BLOCK - 1) / BLOCK, k -> {
            int from = k * BLOCK;
            int to = Math.min(n, from + BLOCK);
            double[][] perTree = new double[trees][to - from];
            grown.trees().accumulate(x, from, to, 1, perTree);
            for (int r = 0; r < to - from; r++) {
                double sum = 0;
                int out = 0;
                for (int b = 0; b < trees; b++) {
                    if (grown.counts()[b][from + r] == 0) {
                        sum += perTree[b][r];
                        out++;
                    }
                }
                if (out > 0) {
                    error[from + r] = Math.abs(y[from + r] - sum / out);
                    scored[from + r] = true;
                }
            }
        });
        double total = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (scored[i]) {
                total += error[i];
                count++;
            }
        }
        return count == 0 ? 0 : total / count;
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
    public FlatTrees flatTrees() {
        return trees;
    }

    /** The forest as the mean of its trees. */
    @Override
    public Optional<TreeEnsemble> treeEnsemble() {
        return trees.hasCover() ? Optional.of(TreeEnsemble.of(trees, 1.0 / trees.trees(), 0, features))
                : Optional.empty();
    }

    /** The prediction of every tree into {@code perTree}; returns their mean. */
    public double trees(double[] row, double[] perTree) {
        double sum = 0;
        for (int b = 0; b < perTree.length; b++) {
            perTree[b] = trees.tree(b, row);
            sum += perTree[b];
        }
        return sum / perTree.length;
    }

    public Prediction predict(double[] row) {
        double[] perTree = new double[trees.trees()];
        double mean = trees(row, perTree);
        return new Prediction(mean, Math.sqrt(Math.max(variance(perTree, mean), 0) + noiseVariance));
    }

    /** Means and standard deviations of many rows, on {@code threads} threads, in blocks of rows. */
    @Override
    public void predict(double[][] rows, double[] means, double[] stds, int threads) {
        int trees = this.trees.trees();
        Parallel.run(threads, (rows.length + BLOCK - 1) / BLOCK, k -> {
            int from = k * BLOCK;
            int to = Math.min(rows.length, from + BLOCK);
            double[][] perTree = new double[trees][to - from];
            this.trees.accumulate(rows, from, to, 1, perTree);
            double[] mean = new double[to - from];
            for (double[] tree : perTree) {
                for (int r = 0; r < to - from; r++) {
                    mean[r] += tree[r];
                }
            }
            for (int r = 0; r < to - from; r++) {
                mean[r] /= trees;
            }
            double[] variance = quadraticForms(perTree, mean);
            for (int r = 0; r < to - from; r++) {
                means[from + r] = mean[r];
                stds[from + r] = Math.sqrt(Math.max(variance[r], 0) + noiseVariance);
            }
        });
    }

    /**
     * d' Q d for every row of a block, d being the row's deviations of the tree predictions
     * ({@code perTree[tree][row]}) from its mean. Q is symmetric, so only the entries right of its
     * diagonal are read: d'Qd = sum_b Q_bb d_b^2 + 2 sum_c d_c u_c with u_c = sum_{b<c} Q_bc d_b.
     * Four rows at a time: each row of Q is read once for the four, and their u stay in the
     * first-level cache, updated by a multiply-add that the JIT vectorises.
     */
    private double[] quadraticForms(double[][] perTree, double[] mean) {
        int rows = mean.length;
        int trees = this.trees.trees();
        double[][] deviation = new double[4][trees];
        float[][] d = new float[4][trees];
        float[][] u = new float[4][trees];
        double[] result = new double[rows];
        for (int first = 0; first < rows; first += 4) {
            int count = Math.min(4, rows - first);
            for (int k = 0; k < 4; k++) {
                java.util.Arrays.fill(u[k], 0);
                for (int b = 0; b < trees; b++) {
                    deviation[k][b] = k < count ? perTree[b][first + k] - mean[first + k] : 0;
                    d[k][b] = (float) deviation[k][b];
                }
            }
            for (int b = 0; b < trees - 1; b++) {
                multiplyAdd(u[0], u[1], u[2], u[3], d[0][b], d[1][b], d[2][b], d[3][b], qUpper[b], b + 1);
            }
            for (int k = 0; k < count; k++) {
                double sum = 0;
                for (int c = 0; c < trees; c++) {
                    sum += deviation[k][c] * (qDiagonal[c] * deviation[k][c] + 2.0 * u[k][c]);
                }
                result[first + k] = sum;
            }
        }
        return result;
    }

    /** u_k[c] += x_k q[c] for c from {@code from} to the end, for four rows k. */
    private static void multiplyAdd(float[] u0, float[] u1, float[] u2, float[] u3, float x0, float x1, float x2,
            float x3, float[] q, int from) {
        for (int c = from; c < q.length; c++) {
            float entry = q[c];
            u0[c] += x0 * entry;
            u1[c] += x1 * entry;
            u2[c] += x2 * entry;
            u3[c] += x3 * entry;
        }
    }

    /** d' Q d with d the deviations of one row's tree predictions from their mean. */
    private double variance(double[] perTree, double mean) {
        double[][] column = new double[perTree.length][];
        for (int b = 0; b < perTree.length; b++) {
            column[b] = new double[] {perTree[b]};
        }
        return quadraticForms(column, new double[] {mean})[0];
    }

    /**
     * d' Q d in double precision, for checking the single-precision form: Q is held in single
     * precision for speed (4 bytes an entry) and RandomForestTest bounds the relative error.
     */
    double exactVariance(double[] row) {
        double[] perTree = new double[trees.trees()];
        double mean = trees(row, perTree);
        double sum = 0;
        for (int b = 0; b < perTree.length; b++) {
            for (int c = 0; c < perTree.length; c++) {
                sum += (perTree[b] - mean) * q[b * perTree.length + c] * (perTree[c] - mean);
            }
        }
        return sum;
    }

    double fastVariance(double[] row) {
        double[] perTree = new double[trees.trees()];
        return variance(perTree, trees(row, perTree));
    }

    /**
     * Q = 1/2 [ (N'N - n I) / B^2 + (n-1)/n O'O - (e-1) n / B^2 I ], with N the bootstrap counts centred
     * per row over the trees (infinitesimal jackknife) and O the out-of-bag indicators normalised per
     * row (jackknife-after-bootstrap); both bias-corrected as in Wager et al. (2014).
     */
    private static double[] jackknifeMatrix(int[][] counts, int n, int threads) {
        int trees = counts.length;
        double[] q = new double[trees * trees];
        // a fixed number of partial sums, added in a fixed order: the same matrix whatever the threads
        int blocks = 8;
        double[][] partial = new double[blocks][];
        Parallel.run(threads, blocks, block -> {
            double[] m = new double[trees * trees];
            double[] centred = new double[trees];
            double[] outOfBag = new double[trees];
            for (int i = block; i < n; i += blocks) {
                double mean = 0;
                int out = 0;
                for (int b = 0; b < trees; b++) {
                    mean += counts[b][i];
                    if (counts[b][i] == 0) {
                        out++;
                    }
                }
                mean /= trees;
                for (int b = 0; b < trees; b++) {
                    centred[b] = (counts[b][i] - mean) / trees;
                    outOfBag[b] = out == 0 || counts[b][i] != 0 ? 0 : 1.0 / out;
                }
                double jab = 0.5 * (n - 1.0) / n;
                for (int b = 0; b < trees; b++) {
                    double cb = 0.5 * centred[b];
                    double ob = jab * outOfBag[b];
                    int offset = b * trees;
                    for (int c = b; c < trees; c++) {
                        m[offset + c] += cb * centred[c] + ob * outOfBag[c];
                    }
                }
            }
            partial[block] = m;
        });
        for (double[] m : partial) {
            for (int k = 0; k < q.length; k++) {
                q[k] += m[k];
            }
        }
        double diagonal = 0.5 * (n + (Math.E - 1) * n) / ((double) trees * trees);
        for (int b = 0; b < trees; b++) {
            q[b * trees + b] -= diagonal;
            for (int c = b + 1; c < trees; c++) {
                q[c * trees + b] = q[b * trees + c];
            }
        }
        return q;
    }

    /** tau^2: mean squared out-of-bag error minus the mean jackknife variance, at least 0. */
    private double outOfBagNoise(double[][] x, double[] y, int[][] counts, int threads) {
        int n = x.length;
        double[] squaredError = new double[n];
        double[] jackknife = new double[n];
        boolean[] scored = new boolean[n];
        int trees = this.trees.trees();
        Parallel.run(threads, (n + BLOCK - 1) / BLOCK, k -> {
            int from = k * BLOCK;
            int to = Math.min(n, from + BLOCK);
            double[][] perTree = new double[trees][to - from];
            this.trees.accumulate(x, from, to, 1, perTree);
            double[] mean = new double[to - from];
            double[] outOfBag = new double[to - from];
            int[] out = new int[to - from];
            for (int b = 0; b < trees; b++) {
                for (int r = 0; r < to - from; r++) {
                    mean[r] += perTree[b][r];
                    if (counts[b][from + r] == 0) {
                        outOfBag[r] += perTree[b][r];
                        out[r]++;
                    }
                }
            }
            for (int r = 0; r < to - from; r++) {
                mean[r] /= trees;
            }
            double[] variance = quadraticForms(perTree, mean);
            for (int r = 0; r < to - from; r++) {
                if (out[r] > 0) {
                    double error = y[from + r] - outOfBag[r] / out[r];
                    squaredError[from + r] = error * error;
                    jackknife[from + r] = Math.max(variance[r], 0);
                    scored[from + r] = true;
                }
            }
        });
        return OutOfBag.unexplainedVariance(squaredError, jackknife, scored);
    }

    /** Writes the forest: parameters, the trees ({@link FlatTrees#write}), then Q and tau^2. */
    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(params.trees());
        out.writeInt(params.maxDepth());
        out.writeInt(params.minLeaf());
        out.writeDouble(params.maxFeatures());
        out.writeLong(params.seed());
        out.writeInt(features);
        trees.write(out);
        for (double entry : q) {
            out.writeDouble(entry);
        }
        out.writeDouble(noiseVariance);
    }

    static RandomForest read(DataInput in) throws IOException {
        Params params = new Params(in.readInt(), in.readInt(), in.readInt(), in.readDouble(), in.readLong());
        int features = in.readInt();
        FlatTrees trees = FlatTrees.read(in, params.trees());
        double[] q = new double[params.trees() * params.trees()];
        for (int k = 0; k < q.length; k++) {
            q[k] = in.readDouble();
        }
        return new RandomForest(params, features, trees, q, in.readDouble());
    }

    /** rank[f][i]: dense rank of x[i][f] among the values of feature f. */
    private static int[][] ranks(double[][] x) {
        int n = x.length;
        int p = x[0].length;
        int[][] rank = new int[p][n];
        Integer[] order = new Integer[n];
        for (int f = 0; f < p; f++) {
            int feature = f;
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(x[a][feature], x[b][feature]));
            int current = 0;
            for (int k = 0; k < n; k++) {
                if (k > 0 && x[order[k]][f] != x[order[k - 1]][f]) {
                    current++;
                }
                rank[f][order[k]] = current;
            }
        }
        return rank;
    }
}
