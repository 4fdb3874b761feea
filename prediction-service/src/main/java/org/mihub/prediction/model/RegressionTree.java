package org.mihub.prediction.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Grows one CART regression tree on a bootstrap sample (squared-error splits, thresholds midway
 * between neighbouring distinct values, a random subset of features tried at each node) into
 * {@link TreeNodes}. Samples go left when {@code x[feature] <= threshold}.
 *
 * <p>Nodes are sorted per feature by precomputed integer ranks of the training values, so a node
 * sorts primitive keys instead of comparing doubles through a comparator.
 */
final class RegressionTree extends TreeNodes {

    private final double[][] x;
    private final double[] y;
    private final int[][] rank;
    private final int[] weight;
    private final int maxDepth;
    private final int minLeaf;
    private final int tried;
    private final SplittableRandom random;
    private final int[] features;

    private RegressionTree(double[][] x, double[] y, int[][] rank, int[] weight, int maxDepth, int minLeaf, int tried,
            SplittableRandom random) {
        this.x = x;
        this.y = y;
        this.rank = rank;
        this.weight = weight;
        this.maxDepth = maxDepth <= 0 ? Integer.MAX_VALUE : maxDepth;
        this.minLeaf = minLeaf;
        this.tried = tried;
        this.random = random;
        this.features = new int[x[0].length];
        for (int f = 0; f < features.length; f++) {
            features[f] = f;
        }
    }

    /**
     * @param rank   rank[f][i]: the rank of x[i][f] among the training values of feature f (ties equal)
     * @param weight how many times each training row is in this tree's bootstrap sample
     */
    static RegressionTree grow(double[][] x, double[] y, int[][] rank, int[] weight, int maxDepth, int minLeaf,
            int tried, SplittableRandom random) {
        RegressionTree tree = new RegressionTree(x, y, rank, weight, maxDepth, minLeaf, tried, random);
        int count = 0;
        for (int w : weight) {
            if (w > 0) {
                count++;
            }
        }
        int[] rows = new int[count];
        for (int i = 0, k = 0; i < weight.length; i++) {
            if (weight[i] > 0) {
                rows[k++] = i;
            }
        }
        tree.node(tree.add(), rows, 0);
        tree.trim();
        return tree;
    }

    private void node(int node, int[] rows, int depth) {
        double sum = 0;
        double total = 0;
        double first = y[rows[0]];
        boolean constant = true;
        for (int row : rows) {
            sum += weight[row] * y[row];
            total += weight[row];
            constant &= y[row] == first;
        }
        value[node] = sum / total;
        cover[node] = total;
        if (depth >= maxDepth || rows.length < 2 * minLeaf || constant) {
            return;
        }
        double parentScore = sum * sum / total;
        double bestScore = parentScore + 1e-12 * Math.abs(parentScore);
        int bestFeature = -1;
        double bestThreshold = 0;
        long[] keys = new long[rows.length];
        // a partial Fisher-Yates shuffle picks the features tried here
        for (int t = 0; t < tried; t++) {
            int pick = t + random.nextInt(features.length - t);
            int f = features[pick];
            features[pick] = features[t];
            features[t] = f;
            int[] ranks = rank[f];
            for (int k = 0; k < rows.length; k++) {
                keys[k] = ((long) ranks[rows[k]] << 32) | rows[k];
            }
            Arrays.sort(keys);
            double leftSum = 0;
            double leftTotal = 0;
            for (int k = 0; k < rows.length - 1; k++) {
                int row = (int) keys[k];
                leftSum += weight[row] * y[row];
                leftTotal += weight[row];
                if (k + 1 < minLeaf || rows.length - k - 1 < minLeaf || (keys[k] >>> 32) == (keys[k + 1] >>> 32)) {
                    continue;
                }
                double rightSum = sum - leftSum;
                double score = leftSum * leftSum / leftTotal + rightSum * rightSum / (total - leftTotal);
                if (score > bestScore) {
                    bestScore = score;
                    bestFeature = f;
                    double below = x[row][f];
                    double above = x[(int) keys[k + 1]][f];
                    double middle = below + (above - below) / 2;
                    bestThreshold = middle < above ? middle : below;
                }
            }
        }
        if (bestFeature < 0) {
            return;
        }
        int leftCount = 0;
        for (int row : rows) {
            if (x[row][bestFeature] <= bestThreshold) {
                leftCount++;
            }
        }
        int[] leftRows = new int[leftCount];
        int[] rightRows = new int[rows.length - leftCount];
        int l = 0;
        int r = 0;
        for (int row : rows) {
            if (x[row][bestFeature] <= bestThreshold) {
                leftRows[l++] = row;
            } else {
                rightRows[r++] = row;
            }
        }
        int leftChild = split(node, bestFeature, bestThreshold);
        node(leftChild, leftRows, depth + 1);
        node(leftChild + 1, rightRows, depth + 1);
    }
}
