package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The random forest and boosted classifiers: they learn, are reproducible and survive their artifact. */
class ClassifierTest {

    /**
     * Classes by region of (x0, x1) in [-1, 1]^2 with 10 % of the labels flipped at random: two classes
     * split by x0 + x1 > 0; three by x0 < -0.3, x0 > 0.3 and the band between. x2..x5 are noise.
     */
    static double[][] data(int n, int classes, long seed, int[] y) {
        Random random = new Random(seed);
        double[][] x = new double[n][6];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < 6; f++) {
                x[i][f] = random.nextDouble() * 2 - 1;
            }
            int label = classes == 2 ? (x[i][0] + x[i][1] > 0 ? 1 : 0) : x[i][0] < -0.3 ? 0 : x[i][0] > 0.3 ? 2 : 1;
            if (random.nextDouble() < 0.1) {
                label = random.nextInt(classes);
            }
            y[i] = label;
        }
        return x;
    }

    private static double accuracy(Classifier model, double[][] x, int[] y) {
        double[][] p = new double[x.length][];
        model.probabilities(x, p, 2);
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(1.0, java.util.Arrays.stream(p[i]).sum(), 1e-9, "probabilities sum to 1");
            right += ClassificationMetrics.predicted(p[i]) == y[i] ? 1 : 0;
        }
        return right / (double) x.length;
    }

    private static List<ClassifierParams> algorithms(long seed) {
        return List.of(new RandomForestClassifier.Params(100, 0, 1, RandomForestClassifier.Params.SQRT, seed),
                new GradientBoostingClassifier.Params(150, 0.1, 4, 0.8, 5, seed));
    }

    @Test
    void bothAlgorithmsLearnTwoAndThreeClasses() {
        for (int classes : new int[] {2, 3}) {
            int[] y = new int[1500];
            double[][] x = data(1500, classes, 1, y);
            int[] testY = new int[1000];
            double[][] testX = data(1000, classes, 2, testY);
            for (ClassifierParams params : algorithms(3)) {
                Classifier model = params.fit(x, y, classes, 2);
                assertEquals(classes, model.classes());
                double accuracy = accuracy(model, testX, testY);
                // with 10 % of labels flipped to a random class the best possible is 0.95 (two) or 0.93 (three)
                assertTrue(accuracy > 0.85, params.algorithm() + ", " + classes + " classes: accuracy " + accuracy);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameModelWhateverTheThreadsAndTheArtifactKeepsItExactly() {
        int[] y = new int[400];
        double[][] x = data(400, 3, 4, y);
        for (ClassifierParams params : algorithms(11)) {
            Classifier one = params.fit(x, y, 3, 1);
            Classifier two = params.fit(x, y, 3, 2);
            double[][] first = new double[x.length][];
            double[][] second = new double[x.length][];
            one.probabilities(x, first, 2);
            two.probabilities(x, second, 1);
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(first[i], second[i], 0.0, params.algorithm() + " row " + i);
            }
            Calibration calibration = Calibration.fit(Calibration.Method.PLATT, first, y, rows(x.length), 3);
            TrainedClassifier trained = new TrainedClassifier("magpie", "3", 6, List.of("fcc", "bcc", "hcp"), two,
                    calibration, ApplicabilityDomain.fit(x, 5, 0.95, 1));
            byte[] artifact = trained.toBytes();
            assertTrue(TrainedClassifier.isClassifier(artifact));
            TrainedClassifier read = TrainedClassifier.fromBytes(artifact);
            assertEquals(List.of("fcc", "bcc", "hcp"), read.classes());
            assertEquals(two.params().recorded(), read.classifier().params().recorded());
            double[][] before = new double[x.length][];
            double[][] after = new double[x.length][];
            trained.probabilities(x, before, 2);
            read.probabilities(x, after, 2);
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(before[i], after[i], 0.0, params.algorithm() + " row " + i + " after the artifact");
            }
            Classifier other = (params instanceof RandomForestClassifier.Params
                    ? new RandomForestClassifier.Params(100, 0, 1, RandomForestClassifier.Params.SQRT, 12)
                    : new GradientBoostingClassifier.Params(150, 0.1, 4, 0.8, 5, 12)).fit(x, y, 3, 2);
            double[][] third = new double[x.length][];
            other.probabilities(x, third, 2);
            boolean differs = false;
            for (int i = 0; i < x.length && !differs; i++) {
                differs = !java.util.Arrays.equals(first[i], third[i]);
            }
            assertTrue(differs, "another seed, another model");
        }
        // a regression artifact is not a classifier
        double[] target = java.util.Arrays.stream(x).mapToDouble(row -> row[0]).toArray();
        RandomForest forest = RandomForest.fit(x, target, new RandomForest.Params(5, 0, 1, 1.0, 1), 1);
        byte[] regression = new TrainedModel("magpie", "3", 6, forest, ApplicabilityDomain.fit(x, 5, 0.95, 1)).toBytes();
        assertTrue(!TrainedClassifier.isClassifier(regression));
        assertThrows(IllegalStateException.class, () -> TrainedClassifier.fromBytes(regression));
    }

    @Test
    void aClassAbsentFromTheTrainingRowsGetsNoForestProbabilityAndLittleBoostedProbability() {
        int[] y = new int[300];
        double[][] x = data(300, 2, 5, y);
        for (ClassifierParams params : algorithms(1)) {
            Classifier model = params.fit(x, y, 3, 2);
            double[][] p = new double[x.length][];
            model.probabilities(x, p, 2);
            for (double[] row : p) {
                assertTrue(row[2] < 0.01, params.algorithm() + ": " + row[2]);
            }
        }
    }

    @Test
    void stratifiedFoldsHoldEveryClassAndCrossValidationScoresEveryRow() {
        int[] y = new int[600];
        double[][] x = data(600, 3, 6, y);
        int[] fold = ClassifierValidation.folds(y, null, 5, 9);
        int[][] counts = new int[5][3];
        int[] perClass = new int[3];
        for (int i = 0; i < y.length; i++) {
            counts[fold[i]][y[i]]++;
            perClass[y[i]]++;
        }
        for (int f = 0; f < 5; f++) {
            for (int c = 0; c < 3; c++) {
                assertTrue(Math.abs(counts[f][c] - perClass[c] / 5.0) <= 1, "fold " + f + " class " + c);
            }
        }
        List<Integer> finished = new java.util.ArrayList<>();
        ClassifierValidation.Result result = ClassifierValidation.run(x, y, 3, null, 5,
                new RandomForestClassifier.Params(60, 0, 1, RandomForestClassifier.Params.SQRT, 9), 2, finished::add);
        assertEquals(List.of(0, 1, 2, 3, 4), finished);
        assertEquals(600, result.overall().count());
        assertEquals(600, result.folds().stream().mapToLong(ClassificationMetrics::count).sum());
        assertTrue(result.overall().accuracy() > 0.8, "accuracy " + result.overall().accuracy());
        assertTrue(result.overall().rocAuc() > 0.85, "roc auc " + result.overall().rocAuc());
        for (int i = 0; i < 600; i++) {
            assertEquals(1.0, java.util.Arrays.stream(result.calibrated()[i]).sum(), 1e-9);
        }
        // grouped rows share a fold
        int[] group = new int[600];
        for (int i = 0; i < 600; i++) {
            group[i] = i / 3;
        }
        int[] grouped = ClassifierValidation.folds(y, group, 5, 9);
        for (int i = 0; i < 600; i++) {
            assertEquals(grouped[group[i] * 3], grouped[i]);
        }
    }

    private static int[] rows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
