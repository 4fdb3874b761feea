package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class FlatTreesTest {

    /**
     * A random tree over three features whose thresholds come from a few values, 0.0 and -0.0 among
     * them, so that rows hit thresholds exactly.
     */
    private static TreeNodes randomTree(Random random, double[] values, int splits) {
        TreeNodes tree = new TreeNodes();
        tree.add();
        for (int s = 0; s < splits; s++) {
            int leaf;
            do {
                leaf = random.nextInt(tree.size);
            } while (tree.feature[leaf] >= 0);
            int left = tree.split(leaf, random.nextInt(3), values[random.nextInt(values.length)]);
            tree.value[left] = random.nextGaussian();
            tree.value[left + 1] = random.nextGaussian();
        }
        tree.trim();
        return tree;
    }

    private static double[][] rows(Random random, double[] values, int count) {
        double[] special = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0, 1e-300};
        double[][] rows = new double[count][3];
        for (double[] row : rows) {
            for (int f = 0; f < 3; f++) {
                int pick = random.nextInt(10);
                row[f] = pick < 5 ? values[random.nextInt(values.length)]
                        : pick < 7 ? special[random.nextInt(special.length)] : random.nextGaussian();
            }
        }
        return rows;
    }

    /** Every row of a block, walked eight at a time, lands where a single walk with doubles lands. */
    private static void assertBlockWalkMatchesSingleWalk(FlatTrees flat, double[][] rows, int group) {
        double[][] sums = new double[flat.trees() / group][rows.length - 3];
        flat.accumulate(rows, 3, rows.length, group, sums);
        for (int r = 3; r < rows.length; r++) {
            for (int column = 0; column < flat.trees() / group; column++) {
                double expected = 0;
                for (int t = column * group; t < (column + 1) * group; t++) {
                    expected += flat.tree(t, rows[r]);
                }
                assertEquals(expected, sums[column][r - 3], "row " + r + ", column " + column);
            }
        }
    }

    @Test
    void theRankedWalkTakesTheBranchesOfTheDoubleComparison() {
        Random random = new Random(11);
        double[] values = {-0.0, 0.0, 0.5, -0.5, 1.0, 2.5, -3.0, 1e-300};
        TreeNodes[] trees = new TreeNodes[12];
        for (int t = 0; t < trees.length; t++) {
            trees[t] = randomTree(random, values, 40);
        }
        FlatTrees flat = FlatTrees.of(trees);
        double[][] rows = rows(random, values, 203);
        assertBlockWalkMatchesSingleWalk(flat, rows, 1);
        assertBlockWalkMatchesSingleWalk(flat, rows, 4);
    }

    @Test
    void theCutIndexCountsTheCutsBelowAsTheBinarySearchDoes() {
        Random random = new Random(13);
        double[][] cutSets = {
            {},
            {0.0},
            {-1.0, 0.0, 1e-300, 2.0},
            // crowded: most cuts in one bucket, so the index falls back to the search
            {0.0, 1e-9, 2e-9, 3e-9, 4e-9, 5e-9, 6e-9, 7e-9, 8e-9, 9e-9, 1e-8, 1.1e-8, 1000.0},
            {Double.NEGATIVE_INFINITY, -5.0, 3.0},
            {-2.0, 7.5, Double.POSITIVE_INFINITY},
            random.doubles(500).map(v -> v * v * 100).sorted().distinct().toArray(),
        };
        double[] special = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0, 1e-300, 4e-9};
        for (double[] cuts : cutSets) {
            FlatTrees.CutIndex index = new FlatTrees.CutIndex(cuts);
            for (int k = 0; k < 3000; k++) {
                double x = k < special.length ? special[k]
                        : k % 3 == 0 && cuts.length > 0 ? cuts[random.nextInt(cuts.length)]
                        : random.nextGaussian() * 50;
                assertEquals(FlatTrees.below(cuts, x), index.below(x), "x = " + x + " among " + cuts.length + " cuts");
            }
        }
    }

    @Test
    void aFeatureWithMoreCutsThanSixteenBitKeysWalksWithDoubles() {
        Random random = new Random(12);
        int splits = FlatTrees.MAX_CUTS + 10;
        double[] values = new double[splits];
        for (int k = 0; k < splits; k++) {
            values[k] = k * 0.001;
        }
        // a chain: every split on feature 0, each at its own threshold
        TreeNodes chain = new TreeNodes();
        chain.add();
        int node = 0;
        for (int k = splits - 1; k >= 0; k--) {
            int left = chain.split(node, 0, values[k]);
            chain.value[left + 1] = k;
            node = left;
        }
        chain.trim();
        FlatTrees flat = FlatTrees.of(new TreeNodes[] {chain, randomTree(random, values, 30)});
        double[][] rows = rows(random, values, 50);
        assertBlockWalkMatchesSingleWalk(flat, rows, 1);
        assertEquals(42, flat.tree(0, new double[] {0.0425, 0, 0}), "the chain's leaf right of 0.042");
    }
}
