package org.mihub.prediction.model;

import java.util.SplittableRandom;

/**
 * One CART classification tree grown on binned features ({@link GradientBoosting.Bins}): at each
 * node, a random subset of the features is tried and the split that most lowers the weighted Gini
 * impurity is taken, from per-bin class counts. A row goes left when its value is at most the cut
 * of the split's bin, the same test {@link FlatTrees} applies to raw values. A leaf holds the class
 * shares of its (bootstrap-weighted) training rows; its value in the {@link TreeNodes} is the index of
 * those shares in the table the tree's grower appends to.
 */
final class ClassificationTree {

    /** A growable table of leaf class shares: leaf l's share of class c at {@code l * classes + c}. */
    static final class Leaves {
        final int classes;
        double[] shares = new double[256];
        int count;

        Leaves(int classes) {
            this.classes = classes;
        }

        int add(double[] counts, double total) {
            if ((count + 1) * classes > shares.length) {
                shares = java.util.Arrays.copyOf(shares, Math.max(shares.length * 2, (count + 1) * classes));
            }
            for (int c = 0; c < classes; c++) {
                shares[count * classes + c] = counts[c] / total;
            }
            return count++;
        }
    }

    private final GradientBoosting.Bins bins;
    private final int[] y;
    private final int classes;
    private final int[] weight;
    private final int maxDepth;
    private final int minLeaf;
    private final int tried;
    private final SplittableRandom random;
    private final int[] rows;
    private final TreeNodes tree = new TreeNodes();
    private final Leaves leaves;
    private final double[] histogram;
    private final int[] candidates;

    private ClassificationTree(GradientBoosting.Bins bins, int[] y, int classes, int[] weight, int maxDepth,
            int minLeaf, int tried, SplittableRandom random, Leaves leaves) {
        this.bins = bins;
        this.y = y;
        this.classes = classes;
        this.weight = weight;
        this.maxDepth = maxDepth;
        this.minLeaf = minLeaf;
        this.tried = tried;
        this.random = random;
        this.leaves = leaves;
        int n = 0;
        for (int w : weight) {
            n += w > 0 ? 1 : 0;
        }
        this.rows = new int[n];
        int k = 0;
        for (int i = 0; i < weight.length; i++) {
            if (weight[i] > 0) {
                rows[k++] = i;
            }
        }
        int widest = 0;
        for (int f = 0; f < bins.features; f++) {
            widest = Math.max(widest, bins.offset[f + 1] - bins.offset[f]);
        }
        this.histogram = new double[widest * classes];
        this.candidates = new int[bins.features];
        for (int f = 0; f < candidates.length; f++) {
            candidates[f] = f;
        }
    }

    /**
     * Grows a tree on the rows with a positive {@code weight} (bootstrap counts), trying {@code tried}
     * features per split; {@code maxDepth} 0 is unlimited. Leaf shares go to {@code leaves}.
     */
    static TreeNodes grow(GradientBoosting.Bins bins, int[] y, int classes, int[] weight, int maxDepth, int minLeaf,
            int tried, SplittableRandom random, Leaves leaves) {
        ClassificationTree grower = new ClassificationTree(bins, y, classes, weight, maxDepth, minLeaf,
                Math.max(1, Math.min(tried, bins.features)), random, leaves);
        int root = grower.tree.add();
        grower.grow(root, 0, grower.rows.length, 1);
        grower.tree.trim();
        return grower.tree;
    }

    private void grow(int node, int from, int to, int depth) {
        double[] counts = new double[classes];
        double total = 0;
        for (int r = from; r < to; r++) {
            counts[y[rows[r]]] += weight[rows[r]];
            total += weight[rows[r]];
        }
        int distinct = 0;
        for (double count : counts) {
            distinct += count > 0 ? 1 : 0;
        }
        if (distinct < 2 || (maxDepth > 0 && depth > maxDepth) || total < 2 * minLeaf) {
            tree.value[node] = leaves.add(counts, total);
            return;
        }
        double parentScore = 0;
        for (double count : counts) {
            parentScore += count * count;
        }
        parentScore /= total;
        int bestFeature = -1;
        int bestBin = -1;
        double bestScore = parentScore + 1e-12 * total;
        double[] left = new double[classes];
        // a partial Fisher-Yates shuffle picks the features tried
        for (int t = 0; t < tried; t++) {
            int pick = t + random.nextInt(candidates.length - t);
            int swap = candidates[t];
            candidates[t] = candidates[pick];
            candidates[pick] = swap;
            int f = candidates[t];
            int width = bins.offset[f + 1] - bins.offset[f];
            java.util.Arrays.fill(histogram, 0, width * classes, 0);
            int p = bins.features;
            for (int r = from; r < to; r++) {
                int i = rows[r];
                histogram[(bins.codes[i * p + f] & 0xff) * classes + y[i]] += weight[i];
            }
            java.util.Arrays.fill(left, 0);
            double leftTotal = 0;
            for (int b = 0; b < width - 1; b++) {
                for (int c = 0; c < classes; c++) {
                    double h = histogram[b * classes + c];
                    left[c] += h;
                    leftTotal += h;
                }
                double rightTotal = total - leftTotal;
                if (leftTotal < minLeaf || rightTotal < minLeaf) {
                    continue;
                }
                double leftSquares = 0;
                double rightSquares = 0;
                for (int c = 0; c < classes; c++) {
                    double right = counts[c] - left[c];
                    leftSquares += left[c] * left[c];
                    rightSquares += right * right;
                }
                // lower weighted Gini impurity <=> higher sum of squared counts over size
                double score = leftSquares / leftTotal + rightSquares / rightTotal;
                if (score > bestScore) {
                    bestScore = score;
                    bestFeature = f;
                    bestBin = b;
                }
            }
        }
        if (bestFeature < 0) {
            tree.value[node] = leaves.add(counts, total);
            return;
        }
        int p = bins.features;
        int middle = from;
        for (int r = from; r < to; r++) {
            int i = rows[r];
            if ((bins.codes[i * p + bestFeature] & 0xff) <= bestBin) {
                rows[r] = rows[middle];
                rows[middle++] = i;
            }
        }
        int leftChild = tree.split(node, bestFeature, bins.edges[bestFeature][bestBin]);
        grow(leftChild, from, middle, depth + 1);
        grow(leftChild + 1, middle, to, depth + 1);
    }
}
