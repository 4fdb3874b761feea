package org.mihub.planning.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class HypervolumeImprovementTest {

    private static final double[] ORIGIN = {0, 0};

    @Test
    void theHypervolumeCountsEachDominatedCellOnce() {
        List<double[]> points = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1},
                new double[] {1, 1}, new double[] {-1, 5});
        // three unit-wide strips of heights 3, 2 and 1; (1, 1) is dominated and (-1, 5) lies left of the reference
        assertEquals(6, HypervolumeImprovement.hypervolume(points, ORIGIN), 1e-12);
        assertEquals(3, HypervolumeImprovement.front(points, ORIGIN).length);
        assertEquals(0, HypervolumeImprovement.hypervolume(List.of(), ORIGIN));
    }

    @Test
    void theClosedFormAgreesWithMonteCarlo() {
        List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2.2}, new double[] {3, 1});
        double[][] sorted = HypervolumeImprovement.front(front, ORIGIN);
        double before = HypervolumeImprovement.hypervolume(front, ORIGIN);
        double[][] cases = {{2, 0.5, 2.5, 0.7}, {3.5, 0.3, 0.5, 1}, {0.5, 2, 0.5, 2}, {2.5, 1e-3, 2.5, 1e-3}};
        SplittableRandom random = new SplittableRandom(11);
        for (double[] c : cases) {
            double exact = HypervolumeImprovement.expected(sorted, ORIGIN, c[0], c[1], c[2], c[3]);
            int samples = 400_000;
            double sum = 0;
            List<double[]> with = new ArrayList<>(front);
            with.add(null);
            for (int s = 0; s < samples; s++) {
                with.set(front.size(), new double[] {c[0] + c[1] * gaussian(random), c[2] + c[3] * gaussian(random)});
                sum += HypervolumeImprovement.hypervolume(with, ORIGIN) - before;
            }
            double estimate = sum / samples;
            assertEquals(estimate, exact, 0.01 * Math.max(estimate, 0.05), "mean " + c[0] + "," + c[2]);
        }
        // a certain point improves by exactly the area it adds: (2.5, 2.5) adds 1 x 0.3 above (2, 2.2) and
        // 0.5 x 1.5 above (3, 1)
        assertEquals(1.05, HypervolumeImprovement.expected(sorted, ORIGIN, 2.5, 0, 2.5, 0), 1e-12);
    }

    @Test
    void aBatchLooksForImprovementElsewhereOnTheFront() {
        List<double[]> observed = List.of(new double[] {1, 3}, new double[] {3, 1});
        // candidates 0 and 1 predict the same, 2 improves another part of the front a little less
        double[][] means = {{2.4, 2.4, 3.6}, {2.4, 2.4, 0.5}};
        double[][] stds = {{0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}};
        var choices = HypervolumeImprovement.select(means, stds, new boolean[] {true, true, true}, observed, ORIGIN,
                null, 2);
        assertEquals(0, choices.get(0).index());
        assertEquals(2, choices.get(1).index(), "the twin of the first pick adds nothing once it is believed");
        assertNotEquals(0, choices.get(1).expected());
        // dividing by cost prefers the cheaper of two equal gains
        var cheap = HypervolumeImprovement.select(means, stds, new boolean[] {true, true, false}, observed, ORIGIN,
                new double[] {2, 1, 1}, 1);
        assertEquals(1, cheap.get(0).index());
    }

    @Test
    void theReferenceIsGivenOrSitsATenthOfTheRangeBelowTheWorst() {
        double[] reference = HypervolumeImprovement.reference(List.of(new double[] {1, 10}, new double[] {3, 20}),
                new Double[] {null, 5.0});
        assertEquals(0.8, reference[0], 1e-12);
        assertEquals(5, reference[1]);
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    @Test
    void aGrowingFrontKeepsTheVolumeOfEverythingAddedSoFar() {
        SplittableRandom random = new SplittableRandom(5);
        HypervolumeImprovement.Front front = new HypervolumeImprovement.Front(ORIGIN);
        List<double[]> added = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] point = {random.nextDouble() * 4 - 0.5, random.nextDouble() * 4 - 0.5};
            added.add(point);
            assertEquals(HypervolumeImprovement.hypervolume(added, ORIGIN), front.add(point), 1e-9, "after " + added.size());
        }
    }
}
