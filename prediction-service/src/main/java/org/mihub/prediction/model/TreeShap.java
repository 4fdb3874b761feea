package org.mihub.prediction.model;

import java.util.ArrayDeque;

/**
 * Exact Shapley values of one tree's output for one row, by the path-dependent TreeSHAP algorithm
 * of Lundberg, Erion and Lee ("Consistent individualized feature attribution for tree ensembles",
 * 2018; Lundberg et al., Nature Machine Intelligence 2, 56 (2020), Algorithm 2), written here from
 * the paper: no Java library offers it.
 *
 * <p>The value of a set S of features is the path-dependent conditional expectation E[f(x) | x_S]:
 * from the root, a split on a feature of S follows the row; a split on any other feature takes both
 * children, each weighted by its share of the node's training cover ({@link #share}). The Shapley
 * value of feature i averages f_{S+i} - f_S over all orderings. Enumerating the subsets is
 * exponential; TreeSHAP instead walks the tree once and keeps, along the path to each node, the
 * features split on so far (each once: a feature met again is "unwound" first), with for each the
 * share of its splits' cover the path kept when the feature is unknown ({@code zero}) and whether
 * the row itself follows the path ({@code one}, 1 or 0), and the weights of all subset sizes of the
 * path's features ({@code weight}, kept up to date as the path is extended). At a leaf, feature i
 * of the path receives (one_i - zero_i) * value * (the sum of the weights with i taken out). The
 * cost is O(leaves * depth^2) per tree; the contributions add up to the tree's output minus its
 * {@link #expectedValue} exactly, up to rounding.
 *
 * <p>One instance reuses its path storage across trees; it is not for concurrent use.
 */
final class TreeShap {

    /** The path storage: per recursion level a slice of the path, elements side by side. */
    private int[] feature = new int[0];
    private double[] zero = new double[0];
    private double[] one = new double[0];
    private double[] weight = new double[0];

    private TreeView tree;
    private double[] row;
    private double scale;
    private double[] phi;

    /**
     * The share of {@code node}'s cover that went to {@code child}: the child's cover over the sum of
     * both children's (1/2 each if neither holds any). The conditional expectation the contributions
     * are computed for, and {@link #expectedValue}, both use it.
     */
    static double share(TreeView tree, int node, int child) {
        double left = tree.cover(tree.left(node));
        double right = tree.cover(tree.right(node));
        double total = left + right;
        return total > 0 ? tree.cover(child) / total : 0.5;
    }

    /** The tree's expected output: its leaves weighted by the products of the shares down to them. */
    static double expectedValue(TreeView tree) {
        double sum = 0;
        ArrayDeque<double[]> stack = new ArrayDeque<>();
        stack.push(new double[] {tree.root(), 1});
        while (!stack.isEmpty()) {
            double[] item = stack.pop();
            int node = (int) item[0];
            if (tree.leaf(node)) {
                sum += item[1] * tree.value(node);
            } else {
                stack.push(new double[] {tree.left(node), item[1] * share(tree, node, tree.left(node))});
                stack.push(new double[] {tree.right(node), item[1] * share(tree, node, tree.right(node))});
            }
        }
        return sum;
    }

    /** The depth of the deepest leaf (the root alone: 0). */
    static int depth(TreeView tree) {
        int deepest = 0;
        ArrayDeque<int[]> stack = new ArrayDeque<>();
        stack.push(new int[] {tree.root(), 0});
        while (!stack.isEmpty()) {
            int[] item = stack.pop();
            if (tree.leaf(item[0])) {
                deepest = Math.max(deepest, item[1]);
            } else {
                stack.push(new int[] {tree.left(item[0]), item[1] + 1});
                stack.push(new int[] {tree.right(item[0]), item[1] + 1});
            }
        }
        return deepest;
    }

    /** Adds {@code scale} times the tree's Shapley values for the row to {@code out[feature]}. */
    void add(TreeView tree, double[] row, double scale, double[] out) {
        if (tree.leaf(tree.root())) {
            return;
        }
        int depth = depth(tree);
        // level d's slice starts after 1 + 1 + 2 + ... + d elements and holds at most d + 1
        int size = (depth + 2) * (depth + 3) / 2 + 1;
        if (feature.length < size) {
            feature = new int[size];
            zero = new double[size];
            one = new double[size];
            weight = new double[size];
        }
        this.tree = tree;
        this.row = row;
        this.scale = scale;
        this.phi = out;
        recurse(tree.root(), 0, 0, 1, 1, -1);
        this.tree = null;
        this.row = null;
        this.phi = null;
    }

    /**
     * Visits {@code node}. The parent's path is the {@code length} elements from {@code parent};
     * this node's path is that one extended by the split that led here: feature {@code via} (-1 at
     * the root), with the shares {@code zeroShare} and {@code oneShare}.
     */
    private void recurse(int node, int parent, int length, double zeroShare, double oneShare, int via) {
        int start = parent + length + 1;
        System.arraycopy(feature, parent, feature, start, length);
        System.arraycopy(zero, parent, zero, start, length);
        System.arraycopy(one, parent, one, start, length);
        System.arraycopy(weight, parent, weight, start, length);
        extend(start, length, zeroShare, oneShare, via);
        int last = length; // the path now has last + 1 elements, the first of them the root's placeholder
        if (tree.leaf(node)) {
            double value = tree.value(node);
            for (int i = 1; i <= last; i++) {
                double difference = one[start + i] - zero[start + i];
                if (difference != 0) {
                    phi[feature[start + i]] += scale * unwoundSum(start, last, i) * difference * value;
                }
            }
            return;
        }
        int split = tree.feature(node);
        int hot = row[split] <= tree.threshold(node) ? tree.left(node) : tree.right(node);
        int cold = hot == tree.left(node) ? tree.right(node) : tree.left(node);
        double incomingZero = 1;
        double incomingOne = 1;
        int k = 1;
        while (k <= last && feature[start + k] != split) {
            k++;
        }
        if (k <= last) {
            // the feature was split on above: take it out of the path, and carry its shares on
            incomingZero = zero[start + k];
            incomingOne = one[start + k];
            unwind(start, last, k);
            last--;
        }
        recurse(hot, start, last + 1, share(tree, node, hot) * incomingZero, incomingOne, split);
        recurse(cold, start, last + 1, share(tree, node, cold) * incomingZero, 0, split);
    }

    /**
     * Appends an element to the path of {@code length} elements at {@code start} and updates the
     * subset-size weights: each weight w_i (i features of the path known) splits into the subsets
     * without the new feature (times zeroShare and (length - i) / (length + 1)) and with it (times
     * oneShare and (i + 1) / (length + 1)).
     */
    private void extend(int start, int length, double zeroShare, double oneShare, int via) {
        int at = start + length;
        feature[at] = via;
        zero[at] = zeroShare;
        one[at] = oneShare;
        weight[at] = length == 0 ? 1 : 0;
        for (int i = length - 1; i >= 0; i--) {
            weight[start + i + 1] += oneShare * weight[start + i] * (i + 1) / (length + 1);
            weight[start + i] = zeroShare * weight[start + i] * (length - i) / (length + 1);
        }
    }

    /** Undoes {@link #extend} for element k of the path of {@code last + 1} elements at {@code start}, and removes it. */
    private void unwind(int start, int last, int k) {
        double oneShare = one[start + k];
        double zeroShare = zero[start + k];
        double next = weight[start + last];
        for (int i = last - 1; i >= 0; i--) {
            if (oneShare != 0) {
                double kept = weight[start + i];
                weight[start + i] = next * (last + 1) / ((i + 1) * oneShare);
                next = kept - weight[start + i] * zeroShare * (last - i) / (last + 1);
            } else {
                weight[start + i] = weight[start + i] * (last + 1) / (zeroShare * (last - i));
            }
        }
        for (int i = k; i < last; i++) {
            feature[start + i] = feature[start + i + 1];
            zero[start + i] = zero[start + i + 1];
            one[start + i] = one[start + i + 1];
        }
    }

    /** The sum of the weights the path would have with element k unwound, the path left as it is. */
    private double unwoundSum(int start, int last, int k) {
        double oneShare = one[start + k];
        double zeroShare = zero[start + k];
        double next = weight[start + last];
        double total = 0;
        for (int i = last - 1; i >= 0; i--) {
            if (oneShare != 0) {
                double w = next * (last + 1) / ((i + 1) * oneShare);
                total += w;
                next = weight[start + i] - w * zeroShare * (last - i) / (last + 1);
            } else {
                total += weight[start + i] * (last + 1) / (zeroShare * (last - i));
            }
        }
        return total;
    }

    /** For tests: the contributions of one tree alone, unscaled. */
    static double[] contributions(TreeView tree, double[] row, int features) {
        double[] out = new double[features];
        new TreeShap().add(tree, row, 1, out);
        return out;
    }
}
