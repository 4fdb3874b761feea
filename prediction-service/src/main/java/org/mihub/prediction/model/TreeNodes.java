package org.mihub.prediction.model;

import java.util.Arrays;

/**
 * The nodes of one regression tree while it grows: {@code feature[node]} (-1 for a leaf),
 * {@code threshold[node]}, {@code left[node]} (the right child is {@code left + 1}) and
 * {@code value[node]}, and {@code cover[node]}: the training weight that reached the node (for a
 * forest's tree the bootstrap count of its rows, for a boosted tree that of the round's rows), which
 * {@link TreeShap} needs. {@link FlatTrees} packs finished trees for prediction.
 */
class TreeNodes {

    int[] feature = new int[64];
    double[] threshold = new double[64];
    int[] left = new int[64];
    double[] value = new double[64];
    double[] cover = new double[64];
    int size;

    /** A new leaf; returns its index. */
    final int add() {
        if (size == feature.length) {
            int capacity = size * 2;
            feature = Arrays.copyOf(feature, capacity);
            threshold = Arrays.copyOf(threshold, capacity);
            left = Arrays.copyOf(left, capacity);
            value = Arrays.copyOf(value, capacity);
            cover = Arrays.copyOf(cover, capacity);
        }
        feature[size] = -1;
        return size++;
    }

    /** Turns a leaf into a split with two new leaves; returns the left child. */
    final int split(int node, int onFeature, double at) {
        feature[node] = onFeature;
        threshold[node] = at;
        int leftChild = add();
        add();
        left[node] = leftChild;
        return leftChild;
    }

    final void trim() {
        feature = Arrays.copyOf(feature, size);
        threshold = Arrays.copyOf(threshold, size);
        left = Arrays.copyOf(left, size);
        value = Arrays.copyOf(value, size);
        cover = Arrays.copyOf(cover, size);
    }
}
