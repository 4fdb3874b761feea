package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Regression trees laid out in flat arrays, for fast traversal: {@code feature[node]} (-1 for a
 * leaf), {@code threshold[node]}, {@code left[node]} (the right child is {@code left + 1}; -1 for a
 * leaf) and {@code value[node]}, with tree t starting at {@code roots[t]}. A row goes left when
 * {@code row[feature] <= threshold}. Random forests and boosted ensembles both predict through it.
 */
final class FlatTrees {

    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final double[] value;

    private FlatTrees(int[] roots, int[] feature, double[] threshold, int[] left, double[] value) {
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.value = value;
    }

    /** Copies grown trees into one set of arrays, in the given order. */
    static FlatTrees of(TreeNodes[] trees) {
        int total = 0;
        int[] roots = new int[trees.length];
        for (int t = 0; t < trees.length; t++) {
            roots[t] = total;
            total += trees[t].size;
        }
        int[] feature = new int[total];
        double[] threshold = new double[total];
        int[] left = new int[total];
        double[] value = new double[total];
        for (int t = 0; t < trees.length; t++) {
            TreeNodes tree = trees[t];
            int root = roots[t];
            for (int node = 0; node < tree.size; node++) {
                feature[root + node] = tree.feature[node];
                threshold[root + node] = tree.threshold[node];
                left[root + node] = tree.feature[node] < 0 ? -1 : root + tree.left[node];
                value[root + node] = tree.value[node];
            }
        }
        return new FlatTrees(roots, feature, threshold, left, value);
    }

    int trees() {
        return roots.length;
    }

    /** The leaf value of tree t for a row. */
    double tree(int t, double[] row) {
        int node = roots[t];
        while (left[node] >= 0) {
            node = row[feature[node]] <= threshold[node] ? left[node] : left[node] + 1;
        }
        return value[node];
    }

    /**
     * Adds the leaf value of tree t, for rows {@code from} to {@code to} (exclusive), to
     * {@code out[row - from][t / group]}: with group 1 every tree has its own column, with group g
     * each run of g consecutive trees is summed (the members of a boosted ensemble). Each tree walks
     * the whole block before the next tree, so a tree's nodes stay in cache for the block instead of
     * the whole ensemble streaming through the cache for every row.
     */
    void accumulate(double[][] rows, int from, int to, int group, double[][] out) {
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            int column = t / group;
            for (int r = from; r < to; r++) {
                double[] row = rows[r];
                int node = root;
                while (left[node] >= 0) {
                    node = row[feature[node]] <= threshold[node] ? left[node] : left[node] + 1;
                }
                out[r - from][column] += value[node];
            }
        }
    }

    /**
     * Writes the node count, the roots, then per node its feature (short; -1 for a leaf), its left
     * child and one double (the threshold of a split, the value of a leaf).
     */
    void write(DataOutput out) throws IOException {
        out.writeInt(feature.length);
        for (int root : roots) {
            out.writeInt(root);
        }
        for (int node = 0; node < feature.length; node++) {
            out.writeShort(feature[node]);
            if (feature[node] >= 0) {
                out.writeInt(left[node]);
                out.writeDouble(threshold[node]);
            } else {
                out.writeDouble(value[node]);
            }
        }
    }

    static FlatTrees read(DataInput in, int trees) throws IOException {
        int nodes = in.readInt();
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) {
            roots[t] = in.readInt();
        }
        int[] feature = new int[nodes];
        double[] threshold = new double[nodes];
        int[] left = new int[nodes];
        double[] value = new double[nodes];
        for (int node = 0; node < nodes; node++) {
            feature[node] = in.readShort();
            if (feature[node] >= 0) {
                left[node] = in.readInt();
                threshold[node] = in.readDouble();
            } else {
                left[node] = -1;
                value[node] = in.readDouble();
            }
        }
        return new FlatTrees(roots, feature, threshold, left, value);
    }
}
