package org.mihub.prediction.model;

/**
 * A read-only view of one binary decision tree, as {@link TreeShap} walks it: nodes are numbered by
 * the tree's own scheme, starting from {@link #root}. A row goes to the left child when
 * {@code row[feature] <= threshold} and to the right one otherwise (so NaN goes right). A leaf has
 * a {@link #value}; every node has a {@link #cover}, the training weight that reached it. Regression
 * trees and, later, a classifier's per-class probability trees can both be seen through it.
 */
public interface TreeView {

    int root();

    boolean leaf(int node);

    /** The feature a split tests; meaningless for a leaf. */
    int feature(int node);

    double threshold(int node);

    int left(int node);

    int right(int node);

    /** A leaf's output. */
    double value(int node);

    /** The training weight (row count, bootstrap-weighted) that reached the node. */
    double cover(int node);

    /** The leaf a row reaches. */
    default int leafOf(double[] row) {
        int node = root();
        while (!leaf(node)) {
            node = row[feature(node)] <= threshold(node) ? left(node) : right(node);
        }
        return node;
    }

    /** The tree's output for a row. */
    default double predict(double[] row) {
        return value(leafOf(row));
    }
}
