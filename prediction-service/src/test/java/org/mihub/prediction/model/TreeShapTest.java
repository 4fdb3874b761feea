package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;

class TreeShapTest {

    /**
     * The path-dependent value of the feature set {@code known} (bit f set: feature f known): from
     * the root, a split on a known feature follows the row, any other takes both children weighted
     * by their covers over the node's.
     */
    private static double conditional(TreeView tree, int node, double[] row, int known) {
        if (tree.leaf(node)) {
            return tree.value(node);
        }
        int f = tree.feature(node);
        if ((known & (1 << f)) != 0) {
            return conditional(tree, row[f] <= tree.threshold(node) ? tree.left(node) : tree.right(node), row, known);
        }
        double cover = tree.cover(node);
        return tree.cover(tree.left(node)) / cover * conditional(tree, tree.left(node), row, known)
                + tree.cover(tree.right(node)) / cover * conditional(tree, tree.right(node), row, known);
    }

    /** Shapley values by enumerating every subset of the features: phi_i = sum_S |S|!(M-|S|-1)!/M! (v(S+i) - v(S)). */
    private static double[] bruteForce(TreeView tree, double[] row) {
        int m = row.length;
        double[] factorial = new double[m + 1];
        factorial[0] = 1;
        for (int k = 1; k <= m; k++) {
            factorial[k] = factorial[k - 1] * k;
        }
        double[] phi = new double[m];
        for (int i = 0; i < m; i++) {
            for (int subset = 0; subset < 1 << m; subset++) {
                if ((subset & (1 << i)) != 0) {
                    continue;
                }
                int size = Integer.bitCount(subset);
                double weight = factorial[size] * factorial[m - size - 1] / factorial[m];
                phi[i] += weight * (conditional(tree, tree.root(), row, subset | (1 << i))
                        - conditional(tree, tree.root(), row, subset));
            }
        }
        return phi;
    }

    /**
     * A random tree on {@code features} features, {@code depth} levels at most, whose covers add up
     * (a split's children share its cover in a random proportion): features repeat along paths.
     */
    private static TreeNodes randomTree(Random random, int features, int depth) {
        TreeNodes tree = new TreeNodes();
        int root = tree.add();
        tree.cover[root] = 1000;
        grow(tree, root, random, features, depth);
        tree.trim();
        return tree;
    }

    private static void grow(TreeNodes tree, int node, Random random, int features, int depth) {
        if (depth == 0 || random.nextDouble() < 0.15) {
            tree.value[node] = random.nextGaussian() * 3;
            return;
        }
        double cover = tree.cover[node];
        int left = tree.split(node, random.nextInt(features), random.nextDouble() * 2 - 1);
        tree.cover[left] = cover * (0.1 + 0.8 * random.nextDouble());
        tree.cover[left + 1] = cover - tree.cover[left];
        grow(tree, left, random, features, depth - 1);
        grow(tree, left + 1, random, features, depth - 1);
    }

    private static double[] randomRow(Random random, int features) {
        double[] row = new double[features];
        for (int f = 0; f < features; f++) {
            row[f] = random.nextDouble() * 2 - 1;
        }
        return row;
    }

    @Test
    void agreesWithBruteForceShapleyValuesOnSmallRandomTrees() {
        Random random = new Random(11);
        int trees = 0;
        for (int features = 1; features <= 6; features++) {
            for (int k = 0; k < 15; k++) {
                FlatTrees flat = FlatTrees.of(new TreeNodes[] {randomTree(random, features, 1 + random.nextInt(7))});
                TreeView tree = flat.view(0);
                for (int r = 0; r < 5; r++) {
                    double[] row = randomRow(random, features);
                    double[] expected = bruteForce(tree, row);
                    double[] actual = TreeShap.contributions(tree, row, features);
                    for (int f = 0; f < features; f++) {
                        assertEquals(expected[f], actual[f], 1e-9, "feature " + f + " of a tree on " + features);
                    }
                }
                trees++;
            }
        }
        assertEquals(90, trees);
    }

    @Test
    void agreesWithBruteForceOnGrownForestAndBoostedTrees() {
        double[] y = new double[300];
        double[][] x = ModelTesting.data(300, 6, 3, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(5, 6, 3, 1, 9), 1);
        GradientBoosting boosted = GradientBoosting.fit(x, y,
                new GradientBoosting.Params(5, 0.3, 4, 0.8, 5, 2, GradientBoosting.Loss.SQUARED_ERROR, 9), 1);
        for (TreeBacked model : new TreeBacked[] {forest, boosted}) {
            FlatTrees flat = model.flatTrees();
            for (int t = 0; t < flat.trees(); t++) {
                TreeView tree = flat.view(t);
                for (int r = 0; r < 3; r++) {
                    double[] row = x[r * 17 + t];
                    double[] expected = bruteForce(tree, row);
                    double[] actual = TreeShap.contributions(tree, row, 6);
                    for (int f = 0; f < 6; f++) {
                        assertEquals(expected[f], actual[f], 1e-9, model.getClass().getSimpleName() + " tree " + t);
                    }
                }
            }
        }
    }

    @Test
    void theExpectedValuePlusTheContributionsIsTheForestsPrediction() {
        double[] y = new double[400];
        double[][] x = ModelTesting.data(400, 8, 5, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(60, 0, 1, 1.0 / 3, 4), 2);
        TreeEnsemble ensemble = forest.treeEnsemble().orElseThrow();
        double[][] rows = java.util.Arrays.copyOf(x, 40);
        double[] means = new double[rows.length];
        forest.predict(rows, means, new double[rows.length], 2);
        for (int r = 0; r < rows.length; r++) {
            assertIdentity(ensemble.explain(rows[r], 2), means[r]);
        }
        // the expected value is the mean of the trees' cover-weighted leaves, near the mean target
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        assertEquals(mean, ensemble.expectedValue(), 0.1);
        // a forest read back from its artifact keeps its covers and explains the same
        Regressor read = ModelTesting.roundTrip(forest, x);
        TreeEnsemble reread = read.treeEnsemble().orElseThrow();
        assertEquals(ensemble.expectedValue(), reread.expectedValue());
        assertEquals(java.util.Arrays.toString(ensemble.explain(x[0], 1).contributions()),
                java.util.Arrays.toString(reread.explain(x[0], 2).contributions()), "whatever the threads");
    }

    @Test
    void theExpectedValuePlusTheContributionsIsTheBoostedPrediction() {
        double[] y = new double[400];
        double[][] x = ModelTesting.data(400, 8, 6, y);
        for (GradientBoosting.Loss loss : GradientBoosting.Loss.values()) {
            GradientBoosting boosted = GradientBoosting.fit(x, y,
                    new GradientBoosting.Params(80, 0.1, 5, 0.8, 5, 4, loss, 8), 2);
            TreeEnsemble ensemble = ModelTesting.roundTrip(boosted, x).treeEnsemble().orElseThrow();
            double[] means = new double[40];
            boosted.predict(java.util.Arrays.copyOf(x, 40), means, new double[40], 2);
            for (int r = 0; r < 40; r++) {
                assertIdentity(ensemble.explain(x[r], 2), means[r]);
            }
            double[] fast = new double[40];
            ensemble.means(java.util.Arrays.copyOf(x, 40), fast, 2);
            for (int r = 0; r < 40; r++) {
                assertEquals(means[r], fast[r], 1e-9, "the ensemble's mean-only path");
            }
        }
    }

    @Test
    void theInformativeFeaturesGetTheLargestContributions() {
        // y depends on x0 and x1 only (ModelTesting.data)
        double[] y = new double[500];
        double[][] x = ModelTesting.data(500, 6, 7, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(50, 0, 1, 1, 4), 2);
        TreeEnsemble ensemble = forest.treeEnsemble().orElseThrow();
        double[] total = new double[6];
        for (int r = 0; r < 100; r++) {
            double[] phi = ensemble.explain(x[r], 1).contributions();
            for (int f = 0; f < 6; f++) {
                total[f] += Math.abs(phi[f]);
            }
        }
        for (int f = 2; f < 6; f++) {
            assertTrue(total[0] > 5 * total[f] && total[1] > 5 * total[f], java.util.Arrays.toString(total));
        }
    }

    /** A forest stored before the covers were (format 3) predicts as before and is not explainable. */
    @Test
    void aFormatThreeArtifactPredictsButCannotBeExplained() throws Exception {
        double[] y = new double[200];
        double[][] x = ModelTesting.data(200, 5, 8, y);
        RandomForest forest = RandomForest.fit(x, y, new RandomForest.Params(20, 0, 1, 0.6, 5), 2);
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, 5, 0.95, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(0x4d485246);
            out.writeInt(3);
            out.writeUTF("magpie");
            out.writeUTF("3");
            out.writeInt(5);
            out.writeByte(1);
            forest.write(out);
            domain.write(out);
        }
        TrainedModel read = TrainedModel.fromBytes(bytes.toByteArray());
        assertFalse(read.regressor().treeEnsemble().isPresent());
        ModelTesting.assertSamePredictions(forest, read.regressor(), x);
        assertTrue(forest.treeEnsemble().isPresent());
    }

    @Test
    void aRootLeafContributesNothing() {
        TreeNodes leaf = new TreeNodes();
        leaf.value[leaf.add()] = 2.5;
        leaf.cover[0] = 10;
        leaf.trim();
        TreeView tree = FlatTrees.of(new TreeNodes[] {leaf}).view(0);
        assertEquals(2.5, TreeShap.expectedValue(tree));
        double[] phi = TreeShap.contributions(tree, new double[] {1, 2}, 2);
        assertEquals(0, phi[0]);
        assertEquals(0, phi[1]);
    }

    private static void assertIdentity(TreeEnsemble.Explanation explanation, double prediction) {
        double sum = explanation.expectedValue();
        for (double contribution : explanation.contributions()) {
            sum += contribution;
        }
        assertEquals(prediction, sum, 1e-9, "expected value + contributions");
        assertEquals(prediction, explanation.prediction(), 1e-9, "the trees walked by the explanation");
    }
}
