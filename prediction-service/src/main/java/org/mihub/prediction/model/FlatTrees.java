package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Regression trees packed into one array for fast traversal, tree t starting at {@code roots[t]}:
 * per split its feature, its left child (the right child is the next node), and its
 * threshold or, for a leaf, its value. A row goes left when {@code row[feature] <= threshold}.
 * Random forests and boosted ensembles both predict through it.
 */
final class FlatTrees {

    private final int[] roots;
    /**
     * Two longs per node, so that one cache line holds all a visit reads: at 2k the bits of the
     * threshold (a split) or the value (a leaf); at 2k+1 the feature in the high half and the left
     * child in the low half, or for a leaf {@link #leaf}: negative, pointing at itself.
     */
    private final long[] nodes;

    /**
     * The same trees with each threshold replaced by its index among its feature's cuts ({@link #cuts}),
     * one long per node ({@link #rankedSplit}, {@link #rankedLeaf}); null when there are no such cuts.
     * A row walks them as its 16-bit keys ({@link #keys}): a quarter of its size in doubles, and half
     * the node size.
     */
    private final long[] ranked;
    /** Per feature, its cuts with a guide to them ({@link CutIndex}); null with {@link #ranked}. */
    private final CutIndex[] index;
    /**
     * Per node the training weight that reached it ({@link TreeNodes#cover}), for {@link TreeShap};
     * null for trees read from an artifact older than format 4, which did not keep it. Stored apart
     * from the trees ({@link #writeCovers}), after everything older artifacts held, and set once when
     * an artifact is read, before the model is shared.
     */
    private double[] cover;

    static final int MAX_CUTS = 0xfffe;
    static final int MAX_FEATURES = 0x7fff;

    private FlatTrees(int[] roots, long[] nodes, double[] cover) {
        this.roots = roots;
        this.nodes = nodes;
        this.cover = cover;
        double[][] cuts = cuts(nodes);
        this.ranked = cuts == null ? null : ranked(nodes, cuts);
        this.index = cuts == null ? null : java.util.Arrays.stream(cuts).map(CutIndex::new).toArray(CutIndex[]::new);
    }

    private static long meta(int feature, int left) {
        return ((long) feature << 32) | (left & 0xffffffffL);
    }

    /** A leaf's second long: the sign bit, feature 0, and itself as its left child. */
    private static long leaf(int node) {
        return Long.MIN_VALUE | (node & 0xffffffffL);
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
        double[] cover = new double[total];
        for (int t = 0; t < trees.length; t++) {
            TreeNodes tree = trees[t];
            int root = roots[t];
            // order[k]: the grown node at position k; a split's children take the next two free positions
            int[] order = new int[tree.size];
            int placed = 1;
            for (int k = 0; k < placed; k++) {
                int node = order[k];
                int at = root + k;
                cover[at] = tree.cover[node];
                if (tree.feature[node] < 0) {
                    nodes[2 * at] = Double.doubleToRawLongBits(tree.value[node]);
                    nodes[2 * at + 1] = leaf(at);
                } else {
                    nodes[2 * at] = Double.doubleToRawLongBits(tree.threshold[node]);
                    nodes[2 * at + 1] = meta(tree.feature[node], root + placed);
                    order[placed++] = tree.left[node];
                    order[placed++] = tree.left[node] + 1;
                }
            }
        }
        return new FlatTrees(roots, nodes, cover);
    }

    /** Whether the trees know each node's training cover (not so when read from an artifact before format 4). */
    boolean hasCover() {
        return cover != null;
    }

    /** Tree t as a {@link TreeView}; it needs {@link #hasCover} for its covers. */
    TreeView view(int t) {
        int root = roots[t];
        return new TreeView() {
            @Override
            public int root() {
                return root;
            }

            @Override
            public boolean leaf(int node) {
                return nodes[2 * node + 1] < 0;
            }

            @Override
            public int feature(int node) {
                return (int) (nodes[2 * node + 1] >>> 32);
            }

            @Override
            public double threshold(int node) {
                return Double.longBitsToDouble(nodes[2 * node]);
            }

            @Override
            public int left(int node) {
                return (int) nodes[2 * node + 1];
            }

            @Override
            public int right(int node) {
                return (int) nodes[2 * node + 1] + 1;
            }

            @Override
            public double value(int node) {
                return Double.longBitsToDouble(nodes[2 * node]);
            }

            @Override
            public double cover(int node) {
                return cover[node];
            }
        };
    }

    /**
     * Per feature, the distinct thresholds of all splits on it, ascending; null when some feature
     * has more than {@link #MAX_CUTS} of them, or there are more than {@link #MAX_FEATURES} features.
     */
    private static double[][] cuts(long[] nodes) {
        int features = 0;
        for (int node = 0; node < nodes.length / 2; node++) {
            long meta = nodes[2 * node + 1];
            if (meta >= 0) {
                features = Math.max(features, (int) (meta >>> 32) + 1);
            }
        }
        if (features > MAX_FEATURES) {
            return null;
        }
        int[] counts = new int[features];
        for (int node = 0; node < nodes.length / 2; node++) {
            long meta = nodes[2 * node + 1];
            if (meta >= 0) {
                counts[(int) (meta >>> 32)]++;
            }
        }
        double[][] cuts = new double[features][];
        for (int f = 0; f < features; f++) {
            cuts[f] = new double[counts[f]];
            counts[f] = 0;
        }
        for (int node = 0; node < nodes.length / 2; node++) {
            long meta = nodes[2 * node + 1];
            if (meta >= 0) {
                int f = (int) (meta >>> 32);
                cuts[f][counts[f]++] = Double.longBitsToDouble(nodes[2 * node]);
            }
        }
        for (int f = 0; f < features; f++) {
            double[] all = cuts[f];
            java.util.Arrays.sort(all);
            int distinct = 0;
            for (double cut : all) {
                // equal as the walk compares them (so 0.0 and -0.0 are one cut)
                if (distinct == 0 || cut != all[distinct - 1]) {
                    all[distinct++] = cut;
                }
            }
            if (distinct > MAX_CUTS) {
                return null;
            }
            cuts[f] = java.util.Arrays.copyOf(all, distinct);
        }
        return cuts;
    }

    private static long[] ranked(long[] nodes, double[][] cuts) {
        long[] ranked = new long[nodes.length / 2];
        for (int node = 0; node < ranked.length; node++) {
            long meta = nodes[2 * node + 1];
            if (meta >= 0) {
                int f = (int) (meta >>> 32);
                ranked[node] = rankedSplit(f, below(cuts[f], Double.longBitsToDouble(nodes[2 * node])), (int) meta);
            } else {
                ranked[node] = rankedLeaf(node);
            }
        }
        return ranked;
    }

    /** A split: the feature in bits 48-62, its threshold's index among the cuts in 32-47, the left child below. */
    private static long rankedSplit(int feature, int cut, int left) {
        return ((long) feature << 48) | ((long) cut << 32) | (left & 0xffffffffL);
    }

    /**
     * A leaf: the sign bit, feature 0, the cut index 0xffff (above every key, so the row goes "left"),
     * and itself as the left child: a row that reached it stays.
     */
    private static long rankedLeaf(int node) {
        return Long.MIN_VALUE | (0xffffL << 32) | (node & 0xffffffffL);
    }

    /**
     * The number of cuts below x. For ascending distinct cuts t_0 < t_1 < ..., x <= t_k exactly when
     * below(x) <= k, so comparing keys walks every row down the same branch as comparing doubles.
     * NaN goes right at every split, as {@code NaN <= t} is false: its key is above every cut index.
     */
    static int below(double[] cuts, double x) {
        if (Double.isNaN(x)) {
            return cuts.length;
        }
        if (cuts.length == 0) {
            return 0;
        }
        // a binary search whose steps are conditional moves, not branches: each halves the range
        // [base, base + length) known to hold the first cut not below x, or its end
        int base = 0;
        int length = cuts.length;
        while (length > 1) {
            int half = length >>> 1;
            base = cuts[base + half - 1] < x ? base + half : base;
            length -= half;
        }
        return base + (cuts[base] < x ? 1 : 0);
    }

    /**
     * {@link #below} for one feature's cuts without a binary search over all of them: the range from
     * the first to the last cut is split into equal buckets, each knowing how many cuts lie below
     * it. A value starts from its bucket's count and steps to the exact answer, which is a few steps
     * unless cuts crowd into one bucket; after eight steps it falls back to the binary search.
     */
    static final class CutIndex {

        private final double[] cuts;
        private final double low;
        /** Buckets per unit of the feature; 0 when the cuts span no finite positive range (one bucket). */
        private final double scale;
        /** start[k]: the number of cuts below the lower edge of bucket k. */
        private final int[] start;

        CutIndex(double[] cuts) {
            this.cuts = cuts;
            this.low = cuts.length == 0 ? 0 : cuts[0];
            double span = cuts.length == 0 ? 0 : cuts[cuts.length - 1] - low;
            int buckets = span > 0 && Double.isFinite(span) ? 2 * cuts.length : 1;
            this.scale = buckets > 1 ? buckets / span : 0;
            this.start = new int[buckets];
            for (int k = 1; k < buckets; k++) {
                start[k] = FlatTrees.below(cuts, low + k / scale);
            }
        }

        int below(double x) {
            if (Double.isNaN(x)) {
                return cuts.length;
            }
            if (!(x > low)) {
                return 0;
            }
            int at = scale == 0 ? 0 : start[(int) Math.min(start.length - 1, (x - low) * scale)];
            // exact from any start: the answer is the index with cuts[at - 1] < x <= cuts[at]
            for (int step = 0; step < 8; step++) {
                if (at > 0 && !(cuts[at - 1] < x)) {
                    at--;
                } else if (at < cuts.length && cuts[at] < x) {
                    at++;
                } else {
                    return at;
                }
            }
            return FlatTrees.below(cuts, x);
        }
    }

    /**
     * The keys of rows from..to-1: per row and feature the number of cuts below its value. Feature
     * by feature over runs of 128 rows, so that a feature's cuts stay in cache for the run.
     */
    private char[][] keys(double[][] rows, int from, int to) {
        char[][] keys = new char[to - from][index.length];
        for (int first = from; first < to; first += 128) {
            int last = Math.min(to, first + 128);
            for (int f = 0; f < index.length; f++) {
                CutIndex featureIndex = index[f];
                for (int r = first; r < last; r++) {
                    keys[r - from][f] = (char) featureIndex.below(rows[r][f]);
                }
            }
        }
        return keys;
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
     * {@code out[t / group][row - from]} (a tree's values side by side): with group 1 every tree has its own column, with group g
     * each run of g consecutive trees is summed (the members of a boosted ensemble). Each tree walks
     * the whole block before the next tree, so its nodes are fetched once per block, and eight rows
     * walk it side by side, so that their loads overlap. The walk has no branch per row: a leaf
     * points at itself, and a row that reached one steps in place until all eight have.
     */
    void accumulate(double[][] rows, int from, int to, int group, double[][] out) {
        if (ranked != null) {
            accumulateRanked(keys(rows, from, to), group, out);
            return;
        }
        long[] nodes = this.nodes;
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            double[] sums = out[t / group];
            int r = from;
            for (; r + 8 <= to; r += 8) {
                double[] a = rows[r];
                double[] b = rows[r + 1];
                double[] c = rows[r + 2];
                double[] d = rows[r + 3];
                double[] e = rows[r + 4];
                double[] f = rows[r + 5];
                double[] g = rows[r + 6];
                double[] h = rows[r + 7];
                int na = root;
                int nb = root;
                int nc = root;
                int nd = root;
                int ne = root;
                int nf = root;
                int ng = root;
                int nh = root;
                long ma;
                long mb;
                long mc;
                long md;
                long me;
                long mf;
                long mg;
                long mh;
                do {
                    ma = nodes[2 * na + 1];
                    mb = nodes[2 * nb + 1];
                    mc = nodes[2 * nc + 1];
                    md = nodes[2 * nd + 1];
                    me = nodes[2 * ne + 1];
                    mf = nodes[2 * nf + 1];
                    mg = nodes[2 * ng + 1];
                    mh = nodes[2 * nh + 1];
                    na = step(nodes, na, ma, a);
                    nb = step(nodes, nb, mb, b);
                    nc = step(nodes, nc, mc, c);
                    nd = step(nodes, nd, md, d);
                    ne = step(nodes, ne, me, e);
                    nf = step(nodes, nf, mf, f);
                    ng = step(nodes, ng, mg, g);
                    nh = step(nodes, nh, mh, h);
                } while ((ma & mb & mc & md & me & mf & mg & mh) >= 0);
                sums[r - from] += Double.longBitsToDouble(nodes[2 * na]);
                sums[r + 1 - from] += Double.longBitsToDouble(nodes[2 * nb]);
                sums[r + 2 - from] += Double.longBitsToDouble(nodes[2 * nc]);
                sums[r + 3 - from] += Double.longBitsToDouble(nodes[2 * nd]);
                sums[r + 4 - from] += Double.longBitsToDouble(nodes[2 * ne]);
                sums[r + 5 - from] += Double.longBitsToDouble(nodes[2 * nf]);
                sums[r + 6 - from] += Double.longBitsToDouble(nodes[2 * ng]);
                sums[r + 7 - from] += Double.longBitsToDouble(nodes[2 * nh]);
            }
            for (; r < to; r++) {
                sums[r - from] += tree(t, rows[r]);
            }
        }
    }

    /** {@link #accumulate} over the ranked nodes, for rows given by their keys. */
    private void accumulateRanked(char[][] keys, int group, double[][] out) {
        long[] ranked = this.ranked;
        long[] nodes = this.nodes;
        int rows = keys.length;
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            double[] sums = out[t / group];
            int r = 0;
            for (; r + 8 <= rows; r += 8) {
                char[] a = keys[r];
                char[] b = keys[r + 1];
                char[] c = keys[r + 2];
                char[] d = keys[r + 3];
                char[] e = keys[r + 4];
                char[] f = keys[r + 5];
                char[] g = keys[r + 6];
                char[] h = keys[r + 7];
                int na = root;
                int nb = root;
                int nc = root;
                int nd = root;
                int ne = root;
                int nf = root;
                int ng = root;
                int nh = root;
                long ma;
                long mb;
                long mc;
                long md;
                long me;
                long mf;
                long mg;
                long mh;
                do {
                    ma = ranked[na];
                    mb = ranked[nb];
                    mc = ranked[nc];
                    md = ranked[nd];
                    me = ranked[ne];
                    mf = ranked[nf];
                    mg = ranked[ng];
                    mh = ranked[nh];
                    na = step(ma, a);
                    nb = step(mb, b);
                    nc = step(mc, c);
                    nd = step(md, d);
                    ne = step(me, e);
                    nf = step(mf, f);
                    ng = step(mg, g);
                    nh = step(mh, h);
                } while ((ma & mb & mc & md & me & mf & mg & mh) >= 0);
                sums[r] += Double.longBitsToDouble(nodes[2 * na]);
                sums[r + 1] += Double.longBitsToDouble(nodes[2 * nb]);
                sums[r + 2] += Double.longBitsToDouble(nodes[2 * nc]);
                sums[r + 3] += Double.longBitsToDouble(nodes[2 * nd]);
                sums[r + 4] += Double.longBitsToDouble(nodes[2 * ne]);
                sums[r + 5] += Double.longBitsToDouble(nodes[2 * nf]);
                sums[r + 6] += Double.longBitsToDouble(nodes[2 * ng]);
                sums[r + 7] += Double.longBitsToDouble(nodes[2 * nh]);
            }
            for (; r < rows; r++) {
                int node = root;
                long meta;
                do {
                    meta = ranked[node];
                    node = step(meta, keys[r]);
                } while (meta >= 0);
                sums[r] += Double.longBitsToDouble(nodes[2 * node]);
            }
        }
    }

    /** One level down a ranked tree from the node whose long is {@code meta}, for a row's keys. */
    private static int step(long meta, char[] key) {
        return (int) meta + (key[(int) (meta >>> 48) & 0x7fff] <= ((int) (meta >>> 32) & 0xffff) ? 0 : 1);
    }

    /**
     * One level down from {@code node}, whose second long is {@code meta}. At a leaf (meta negative,
     * left child itself, feature 0) the comparison is made but its outcome masked: the row stays.
     */
    private static int step(long[] nodes, int node, long meta, double[] row) {
        int right = row[(int) (meta >>> 32) & 0x7fffffff] <= Double.longBitsToDouble(nodes[2 * node]) ? 0 : 1;
        return (int) meta + (right & ~(int) (meta >> 63));
    }

    /**
     * Writes the node count, the roots, then per node its feature (short; -1 for a leaf), its left
     * child and one double (the threshold of a split, the value of a leaf). The covers are written
     * apart ({@link #writeCovers}).
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

    /** Writes the node count and every node's cover; needs {@link #hasCover}. */
    void writeCovers(DataOutput out) throws IOException {
        out.writeInt(cover.length);
        for (double weight : cover) {
            out.writeDouble(weight);
        }
    }

    /** Reads what {@link #writeCovers} wrote, for these trees. */
    void readCovers(DataInput in) throws IOException {
        int count = in.readInt();
        if (count != nodes.length / 2) {
            throw new IllegalStateException("the artifact holds covers of " + count + " nodes for trees of "
                    + nodes.length / 2);
        }
        double[] read = new double[count];
        for (int node = 0; node < count; node++) {
            read[node] = in.readDouble();
        }
        cover = read;
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
            nodes[2 * node + 1] = feature >= 0 ? meta(feature, in.readInt()) : leaf(node);
            nodes[2 * node] = Double.doubleToRawLongBits(in.readDouble());
        }
        return new FlatTrees(roots, nodes, null);
    }
}
