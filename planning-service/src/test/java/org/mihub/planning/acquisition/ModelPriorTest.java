package org.mihub.planning.acquisition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ModelPriorTest {

    /** The prior of -|V - t| has the folded normal's mean and spread, checked by sampling V. */
    @Test
    void aTargetObjectiveTakesTheFoldedNormalsMoments() {
        double[][] cases = {{3.0, 0.5}, {2.1, 0.5}, {2.0, 0.3}, {-4.0, 1.0}, {2.5, 2.0}};
        double target = 2.0;
        Random random = new Random(17);
        for (double[] c : cases) {
            ModelPrior prior = ModelPrior.towards(new double[] {c[0]}, new double[] {c[1]}, target);
            int samples = 400_000;
            double sum = 0;
            double squares = 0;
            for (int k = 0; k < samples; k++) {
                double y = -Math.abs(c[0] + c[1] * random.nextGaussian() - target);
                sum += y;
                squares += y * y;
            }
            double mean = sum / samples;
            double std = Math.sqrt(squares / samples - mean * mean);
            assertEquals(mean, prior.offset()[0], 0.005, "mean for N(" + c[0] + ", " + c[1] + "^2)");
            assertEquals(std, prior.scale()[0], 0.005, "spread for N(" + c[0] + ", " + c[1] + "^2)");
        }
    }

    @Test
    void maximisedAndMinimisedObjectivesKeepTheModelsMomentsOriented() {
        ModelPrior up = ModelPrior.of(new double[] {1, 2}, new double[] {0.1, 0.2}, false);
        ModelPrior down = ModelPrior.of(new double[] {1, 2}, new double[] {0.1, 0.2}, true);
        assertArrayEquals(new double[] {1, 2}, up.offset());
        assertArrayEquals(new double[] {-1, -2}, down.offset());
        assertArrayEquals(new double[] {0.1, 0.2}, down.scale());
    }

    /** With nothing observed the model alone decides: for a target, the candidate it expects nearest. */
    @Test
    void withNothingObservedTheModelsNearestCandidateToTheTargetComesFirst() {
        double[] mean = {0.5, 1.9, 3.0, 2.6, 1.2};
        double[] std = {0.1, 0.1, 0.1, 0.1, 0.1};
        ModelPrior prior = ModelPrior.towards(mean, std, 2.0);
        boolean[] available = {true, true, true, true, true};
        double[] encoded = {0, 0.25, 0.5, 0.75, 1};
        ModelPrior.Choice choice = prior.choose(new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, 0,
                false), new int[0], new double[0], new double[0][], encoded, 5, available, new int[0], null, 2,
                z -> {
                    throw new AssertionError("nothing observed: no residual process to fit");
                }, new SplittableRandom(1), null, 1);
        assertNull(choice.residual(), "no process without observations");
        assertEquals(1, choice.picks().get(0).index(), "1.9 is nearest 2.0");
        assertEquals(3, choice.picks().get(1).index(), "then 2.6");
    }
}
