package org.mihub.prediction.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A model whose output is {@code offset + sum_t weight_t * tree_t(x)}: a random forest (offset 0,
 * every weight 1/B) or a boosted ensemble (offset the members' mean start value, every weight 1/M,
 * the leaves already shrunk by the learning rate). Explained exactly by {@link TreeShap}: the
 * expected value plus the contributions of a row equal the model's output for it.
 */
public final class TreeEnsemble {

    /** The explanation of one row: the expected value, each feature's contribution, and the output they add up to. */
    public record Explanation(double expectedValue, double[] contributions, double prediction) {
    }

    /** Parts the trees of an explanation are dealt into (more than the threads of a service). */
    private static final int PARTS = 16;

    private final List<TreeView> trees;
    private final double[] weights;
    private final double offset;
    private final int features;
    private final FlatTrees flat;
    private final double expected;

    /**
     * @param flat the same trees packed for fast prediction, or null; when given, {@link #means}
     *             walks them (all weights must then be equal)
     */
    TreeEnsemble(List<TreeView> trees, double[] weights, double offset, int features, FlatTrees flat) {
        if (trees.size() != weights.length) {
            throw new IllegalArgumentException(trees.size() + " trees and " + weights.length + " weights");
        }
        this.trees = List.copyOf(trees);
        this.weights = weights.clone();
        this.offset = offset;
        this.features = features;
        this.flat = flat;
        double sum = offset;
        for (int t = 0; t < weights.length; t++) {
            sum += weights[t] * TreeShap.expectedValue(trees.get(t));
        }
        this.expected = sum;
    }

    /** A forest or boosted ensemble over packed trees, every tree weighted alike. */
    static TreeEnsemble of(FlatTrees flat, double weight, double offset, int features) {
        List<TreeView> views = new ArrayList<>(flat.trees());
        double[] weights = new double[flat.trees()];
        for (int t = 0; t < flat.trees(); t++) {
            views.add(flat.view(t));
            weights[t] = weight;
        }
        return new TreeEnsemble(views, weights, offset, features, flat);
    }

    public int features() {
        return features;
    }

    public int trees() {
        return trees.size();
    }

    /** The expected output over the training data as the trees' covers weigh it (the "base value"). */
    public double expectedValue() {
        return expected;
    }

    /** The model's output for a row, walking the trees. */
    public double predict(double[] row) {
        double sum = offset;
        for (int t = 0; t < weights.length; t++) {
            sum += weights[t] * trees.get(t).predict(row);
        }
        return sum;
    }

    /** The model's outputs for many rows, on {@code threads} threads. */
    public void means(double[][] rows, double[] out, int threads) {
        int block = RandomForest.BLOCK;
        Parallel.blocks(threads, rows.length, block, (from, to) -> {
            if (flat != null) {
                double[][] sums = new double[1][to - from];
                flat.accumulate(rows, from, to, flat.trees(), sums);
                for (int r = from; r < to; r++) {
                    out[r] = offset + weights[0] * sums[0][r - from];
                }
            } else {
                for (int r = from; r < to; r++) {
                    out[r] = predict(rows[r]);
                }
            }
        });
    }

    /** Whether some split of some tree tests feature f (a feature no split tests never changes the output). */
    public boolean[] usedFeatures() {
        boolean[] used = new boolean[features];
        for (TreeView tree : trees) {
            List<Integer> stack = new ArrayList<>(List.of(tree.root()));
            while (!stack.isEmpty()) {
                int node = stack.remove(stack.size() - 1);
                if (!tree.leaf(node)) {
                    used[tree.feature(node)] = true;
                    stack.add(tree.left(node));
                    stack.add(tree.right(node));
                }
            }
        }
        return used;
    }

    /**
     * Exact TreeSHAP contributions of every feature for one row, on {@code threads} threads: the
     * trees are dealt into a fixed number of parts, each part summed on its own and the parts added
     * in order, so the result is the same bit for bit whatever the threads.
     */
    public Explanation explain(double[] row, int threads) {
        if (row.length != features) {
            throw new IllegalArgumentException("a row of " + row.length + " features for a model of " + features);
        }
        int parts = Math.max(1, Math.min(PARTS, trees.size()));
        double[][] partial = new double[parts][features];
        double[] outputs = new double[parts];
        Parallel.run(threads, parts, part -> {
            TreeShap shap = new TreeShap();
            for (int t = part; t < trees.size(); t += parts) {
                TreeView tree = trees.get(t);
                shap.add(tree, row, weights[t], partial[part]);
                outputs[part] += weights[t] * tree.predict(row);
            }
        });
        double[] phi = new double[features];
        double prediction = offset;
        for (int part = 0; part < parts; part++) {
            for (int f = 0; f < features; f++) {
                phi[f] += partial[part][f];
            }
            prediction += outputs[part];
        }
        return new Explanation(expected, phi, prediction);
    }
}
