package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ApplicabilityDomainTest {

    private static double[][] rows(Random random, int count, int features) {
        double[][] rows = new double[count][features];
        for (double[] row : rows) {
            for (int f = 0; f < features; f++) {
                row[f] = random.nextGaussian() * (f + 1) + f;
            }
        }
        return rows;
    }

    /** The mean distance to the k nearest training rows, standardised as the domain does, all in double. */
    private static double bruteForce(double[][] training, double[] input, int k) {
        int p = input.length;
        double[] mean = new double[p];
        double[] scale = new double[p];
        for (double[] row : training) {
            for (int f = 0; f < p; f++) {
                mean[f] += row[f] / training.length;
            }
        }
        for (double[] row : training) {
            for (int f = 0; f < p; f++) {
                scale[f] += (row[f] - mean[f]) * (row[f] - mean[f]) / training.length;
            }
        }
        double[] distances = new double[training.length];
        for (int i = 0; i < training.length; i++) {
            double squared = 0;
            for (int f = 0; f < p; f++) {
                double difference = (input[f] - training[i][f]) / Math.sqrt(scale[f]);
                squared += difference * difference;
            }
            distances[i] = Math.sqrt(squared);
        }
        Arrays.sort(distances);
        return Arrays.stream(distances, 0, k).average().orElseThrow();
    }

    @Test
    void aBlockOfInputsGetsTheDistancesOfEachInputAloneAndOfTheDefinition() {
        Random random = new Random(21);
        // more training rows than a tile, and a block cut short at the end
        double[][] training = rows(random, 1300, 7);
        ApplicabilityDomain domain = ApplicabilityDomain.fit(training, 5, 0.95, 3);
        double[][] inputs = rows(random, ApplicabilityDomain.BLOCK + 5, 7);
        double[] block = new double[inputs.length];
        domain.distances(inputs, 0, ApplicabilityDomain.BLOCK, block);
        domain.distances(inputs, ApplicabilityDomain.BLOCK, inputs.length, block);
        for (int j = 0; j < inputs.length; j++) {
            assertEquals(domain.distance(inputs[j]), block[j], "input " + j + " alone and in its block");
            double exact = bruteForce(training, inputs[j], 5);
            assertEquals(exact, block[j], 1e-5 * exact, "input " + j + " against the definition in double precision");
        }
    }

    @Test
    void aboutFivePercentOfNewDataLikeTheTrainingDataFallsOutside() {
        Random random = new Random(22);
        ApplicabilityDomain domain = ApplicabilityDomain.fit(rows(random, 1500, 4), 5, 0.95, 3);
        double[][] inputs = rows(random, 2000, 4);
        double[] distances = new double[inputs.length];
        for (int from = 0; from < inputs.length; from += ApplicabilityDomain.BLOCK) {
            domain.distances(inputs, from, Math.min(inputs.length, from + ApplicabilityDomain.BLOCK), distances);
        }
        long outside = Arrays.stream(distances).filter(distance -> distance > domain.threshold()).count();
        double share = outside / (double) inputs.length;
        assertEquals(0.05, share, 0.03, "share outside the domain");
    }
}
