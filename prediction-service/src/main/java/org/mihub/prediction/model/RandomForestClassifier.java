package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A random forest of {@link ClassificationTree}s (Breiman 2001): each tree on a bootstrap sample,
 * a random share of the features tried per split (by default 1/sqrt(features), Breiman's choice for
 * classification), and the class probabilities of a row the mean of its leaves' class shares over
 * the trees (as scikit-learn's forest averages them). Tree b draws from the b-th generator split from
 * the seed, so the same seed gives the same forest bit for bit whatever the threads.
 */
public final class RandomForestClassifier implements Classifier {

    /**
     * @param maxFeatures share of the features tried per split in (0, 1], or {@link #SQRT} for
     *                    1/sqrt(features) (recorded as the share it came to)
     * @param maxDepth    0 for unlimited
     */
    public record Params(int trees, int maxDepth, int minLeaf, double maxFeatures, long seed) implements ClassifierParams {

        public static final double SQRT = Double.NaN;

        public static Params defaults(long seed) {
            return new Params(500, 0, 1, SQRT, seed);
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.RANDOM_FOREST;
        }

        @Override
        public Classifier fit(double[][] x, int[] y, int classes, int threads) {
            return RandomForestClassifier.fit(x, y, classes, this, threads);
        }

        /** The share tried with {@code features} features. */
        double share(int features) {
            return Double.isNaN(maxFeatures) ? tried(features) / (double) features : maxFeatures;
        }

        int tried(int features) {
            if (Double.isNaN(maxFeatures)) {
                return Math.max(1, (int) Math.round(Math.sqrt(features)));
            }
            return Math.max(1, (int) Math.ceil(maxFeatures * features - 1e-9));
        }

        @Override
        public Map<String, Object> recorded() {
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("n_trees", trees);
            recorded.put("max_depth", maxDepth);
            recorded.put("min_samples_leaf", minLeaf);
            recorded.put("max_features", maxFeatures);
            return recorded;
        }
    }

    private final Params params;
    private final int features;
    private final int classes;
    private final FlatTrees trees;
    /** Leaf l's share of class c at {@code l * classes + c}; a tree's leaf value is l. */
    private final double[] shares;

    private RandomForestClassifier(Params params, int features, int classes, FlatTrees trees, double[] shares) {
        this.params = params;
        this.features = features;
        this.classes = classes;
        this.trees = trees;
        this.shares = shares;
    }

    public static RandomForestClassifier fit(double[][] x, int[] y, int classes, Params params, int threads) {
        int n = x.length;
        int p = x[0].length;
        GradientBoosting.Bins bins = GradientBoosting.Bins.of(x);
        SplittableRandom root = new SplittableRandom(params.seed());
        SplittableRandom[] generators = new SplittableRandom[params.trees()];
        for (int b = 0; b < generators.length; b++) {
            generators[b] = root.split();
        }
        int tried = params.tried(p);
        TreeNodes[] grown = new TreeNodes[params.trees()];
        ClassificationTree.Leaves[] leaves = new ClassificationTree.Leaves[params.trees()];
        Parallel.run(threads, params.trees(), b -> {
            SplittableRandom random = generators[b];
            int[] weight = new int[n];
            for (int i = 0; i < n; i++) {
                weight[random.nextInt(n)]++;
            }
            leaves[b] = new ClassificationTree.Leaves(classes);
            grown[b] = ClassificationTree.grow(bins, y, classes, weight, params.maxDepth(), params.minLeaf(), tried,
                    random, leaves[b]);
        });
        // the leaf values become indexes into one table of shares, tree after tree
        int total = 0;
        for (ClassificationTree.Leaves tree : leaves) {
            total += tree.count;
        }
        double[] shares = new double[total * classes];
        int offset = 0;
        for (int b = 0; b < grown.length; b++) {
            TreeNodes tree = grown[b];
            for (int node = 0; node < tree.size; node++) {
                if (tree.feature[node] < 0) {
                    tree.value[node] += offset;
                }
            }
            System.arraycopy(leaves[b].shares, 0, shares, offset * classes, leaves[b].count * classes);
            offset += leaves[b].count;
        }
        Params used = new Params(params.trees(), params.maxDepth(), params.minLeaf(), params.share(p), params.seed());
        return new RandomForestClassifier(used, p, classes, FlatTrees.of(grown), shares);
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public void probabilities(double[][] rows, double[][] out, int threads) {
        int block = RandomForest.BLOCK;
        int count = trees.trees();
        Parallel.blocks(threads, rows.length, block, (from, to) -> {
            for (int i = from; i < to; i++) {
                double[] row = rows[i];
                double[] sum = new double[classes];
                for (int t = 0; t < count; t++) {
                    int leaf = (int) trees.tree(t, row);
                    for (int c = 0; c < classes; c++) {
                        sum[c] += shares[leaf * classes + c];
                    }
                }
                for (int c = 0; c < classes; c++) {
                    sum[c] /= count;
                }
                out[i] = sum;
            }
        });
    }

    /** Writes the parameters, the classes, the trees ({@link FlatTrees#write}) and the leaves' shares. */
    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(params.trees());
        out.writeInt(params.maxDepth());
        out.writeInt(params.minLeaf());
        out.writeDouble(params.maxFeatures());
        out.writeLong(params.seed());
        out.writeInt(features);
        out.writeInt(classes);
        trees.write(out);
        out.writeInt(shares.length);
        for (double share : shares) {
            out.writeDouble(share);
        }
    }

    static RandomForestClassifier read(DataInput in) throws IOException {
        Params params = new Params(in.readInt(), in.readInt(), in.readInt(), in.readDouble(), in.readLong());
        int features = in.readInt();
        int classes = in.readInt();
        FlatTrees trees = FlatTrees.read(in, params.trees());
        double[] shares = new double[in.readInt()];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = in.readDouble();
        }
        return new RandomForestClassifier(params, features, classes, trees, shares);
    }
}
