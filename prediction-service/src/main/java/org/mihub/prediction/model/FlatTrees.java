package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Regression trees packed into one array for fast traversal, tree t starting at {@code roots[t]}:
 * per node its feature (-1 for a leaf), its left child (the right child is the next node), and its
 * threshold or, for a leaf, its value. A row goes left when {@code row[feature] <= threshold}.
 * Random forests and boosted ensembles both predict through it.
 */
final class FlatTrees {

    private final int[] roots;
    /**
     * Two longs per node, so that one cache line holds all a visit reads: at 2k the bits of the
     * threshold (a split) or the value (a leaf); at 2k+1 the feature in the high half (-1 for a
     * leaf, which makes the long negative) and the left child in the low half.
     */
    private final long[] nodes;

    private FlatTrees(int[] roots, long[] nodes) {
        this.roots = roots;
        this.nodes = nodes;
    }

    private static long meta(int feature, int left) {
        return ((long) feature << 32) | (left & 0xffffffffL);
    }

    /**
     * Copies grown trees into one array, in the given order. Each tree's nodes are laid out level
     * by level (siblings side by side), so the top levels, which every row visits, share a few
     * cache lines.
     */
    static FlatTrees of(TreeNodes[] trees) {
        int total = 0;
        int[] roots = new int[trees.length];
        for (int t = 0; t < trees.length; t++) {
            roots[t] = total;
            total += trees[t].size;
        }
        long[] nodes = new long[2 * total];
        for (int t = 0; t < trees.length; t++) {
            TreeNodes tree = trees[t];
            int root = roots[t];
            // order[k]: the grown node at position k; a split's children take the next two free positions
            int[] order = new int[tree.size];
            int placed = 1;
            for (int k = 0; k < placed; k++) {
                int node = order[k];
                int at = root + k;
                if (tree.feature[node] < 0) {
                    nodes[2 * at] = Double.doubleToRawLongBits(tree.value[node]);
                    nodes[2 * at + 1] = meta(-1, -1);
                } else {
                    nodes[2 * at] = Double.doubleToRawLongBits(tree.threshold[node]);
                    nodes[2 * at + 1] = meta(tree.feature[node], root + placed);
                    order[placed++] = tree.left[node];
                    order[placed++] = tree.left[node] + 1;
                }
            }
        }
        return new FlatTrees(roots, nodes);
    }

    int trees() {
        return roots.length;
    }

    /** The leaf value of tree t for a row. */
    double tree(int t, double[] row) {
        long[] nodes = this.nodes;
        int node = roots[t];
        long meta;
        while ((meta = nodes[2 * node + 1]) >= 0) {
            node = (int) meta + (row[(int) (meta >>> 32)] <= Double.longBitsToDouble(nodes[2 * node]) ? 0 : 1);
        }
        return Double.longBitsToDouble(nodes[2 * node]);
    }

    /**
     * Adds the leaf value of tree t, for rows {@code from} to {@code to} (exclusive), to
     * {@code out[row - from][t / group]}: with group 1 every tree has its own column, with group g
     * each run of g consecutive trees is summed (the members of a boosted ensemble). Each tree walks
     * the whole block before the next tree, so a tree's nodes stay in cache for the block, and four
     * rows walk it side by side: their node loads do not wait on each other.
     */
    void accumulate(double[][] rows, int from, int to, int group, double[][] out) {
        long[] nodes = this.nodes;
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            int column = t / group;
            int r = from;
            for (; r + 4 <= to; r += 4) {
                double[] a = rows[r];
                double[] b = rows[r + 1];
                double[] c = rows[r + 2];
                double[] d = rows[r + 3];
                int na = root;
                int nb = root;
                int nc = root;
                int nd = root;
                long ma = nodes[2 * root + 1];
                long mb = ma;
                long mc = ma;
                long md = ma;
                // a leaf's long is negative: the walk ends when all four are
                while ((ma & mb & mc & md) >= 0) {
                    if (ma >= 0) {
                        na = (int) ma + (a[(int) (ma >>> 32)] <= Double.longBitsToDouble(nodes[2 * na]) ? 0 : 1);
                        ma = nodes[2 * na + 1];
                    }
                    if (mb >= 0) {
                        nb = (int) mb + (b[(int) (mb >>> 32)] <= Double.longBitsToDouble(nodes[2 * nb]) ? 0 : 1);
                        mb = nodes[2 * nb + 1];
                    }
                    if (mc >= 0) {
                        nc = (int) mc + (c[(int) (mc >>> 32)] <= Double.longBitsToDouble(nodes[2 * nc]) ? 0 : 1);
                        mc = nodes[2 * nc + 1];
                    }
                    if (md >= 0) {
                        nd = (int) md + (d[(int) (md >>> 32)] <= Double.longBitsToDouble(nodes[2 * nd]) ? 0 : 1);
                        md = nodes[2 * nd + 1];
                    }
                }
                out[r - from][column] += Double.longBitsToDouble(nodes[2 * na]);
                out[r + 1 - from][column] += Double.longBitsToDouble(nodes[2 * nb]);
                out[r + 2 - from][column] += Double.longBitsToDouble(nodes[2 * nc]);
                out[r + 3 - from][column] += Double.longBitsToDouble(nodes[2 * nd]);
            }
            for (; r < to; r++) {
                out[r - from][column] += tree(t, rows[r]);
            }
        }
    }

    /**
     * Writes the node count, the roots, then per node its feature (short; -1 for a leaf), its left
     * child and one double (the threshold of a split, the value of a leaf).
     */
    void write(DataOutput out) throws IOException {
        out.writeInt(nodes.length / 2);
        for (int root : roots) {
            out.writeInt(root);
        }
        for (int node = 0; node < nodes.length / 2; node++) {
            long meta = nodes[2 * node + 1];
            if (meta >= 0) {
                out.writeShort((int) (meta >>> 32));
                out.writeInt((int) meta);
            } else {
                out.writeShort(-1);
            }
            out.writeDouble(Double.longBitsToDouble(nodes[2 * node]));
        }
    }

    static FlatTrees read(DataInput in, int trees) throws IOException {
        int count = in.readInt();
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) {
            roots[t] = in.readInt();
        }
        long[] nodes = new long[2 * count];
        for (int node = 0; node < count; node++) {
            int feature = in.readShort();
            nodes[2 * node + 1] = feature >= 0 ? meta(feature, in.readInt()) : meta(-1, -1);
            nodes[2 * node] = Double.doubleToRawLongBits(in.readDouble());
        }
        return new FlatTrees(roots, nodes);
    }
}
