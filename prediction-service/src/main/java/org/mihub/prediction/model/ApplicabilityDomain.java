package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Whether an input is like the training data: the mean Euclidean distance, in standardised
 * feature space (each feature centred and divided by its training standard deviation), from the
 * input to its k nearest training rows. The threshold is a quantile (default 0.95) of the same
 * distance for training rows left out one at a time (at most 2,000 of them, chosen with the
 * model's seed), so about 5 % of data like the training data falls outside.
 */
public final class ApplicabilityDomain {

    private static final int MAX_THRESHOLD_ROWS = 2000;

    private final int neighbours;
    private final double quantile;
    private final double threshold;
    private final double[] mean;
    private final double[] scale;
    /**
     * The standardised training rows feature by feature: columns[f][i] is feature f of row i, so that
     * the distances of an input to all rows add up one feature at a time, a loop the JIT vectorises.
     */
    private final float[][] columns;
    private final int count;

    private ApplicabilityDomain(int neighbours, double quantile, double threshold, double[] mean, double[] scale,
            float[][] columns, int count) {
        this.neighbours = neighbours;
        this.quantile = quantile;
        this.threshold = threshold;
        this.mean = mean;
        this.scale = scale;
        this.columns = columns;
        this.count = count;
    }

    public static ApplicabilityDomain fit(double[][] x, int neighbours, double quantile, long seed) {
        int n = x.length;
        int p = x[0].length;
        double[] mean = new double[p];
        double[] scale = new double[p];
        for (double[] row : x) {
            for (int f = 0; f < p; f++) {
                mean[f] += row[f] / n;
            }
        }
        for (double[] row : x) {
            for (int f = 0; f < p; f++) {
                scale[f] += (row[f] - mean[f]) * (row[f] - mean[f]) / n;
            }
        }
        for (int f = 0; f < p; f++) {
            scale[f] = scale[f] > 1e-24 ? Math.sqrt(scale[f]) : 1;
        }
        float[][] columns = new float[p][n];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < p; f++) {
                columns[f][i] = (float) ((x[i][f] - mean[f]) / scale[f]);
            }
        }
        int k = Math.max(1, Math.min(neighbours, n - 1));
        ApplicabilityDomain unfitted = new ApplicabilityDomain(k, quantile, 0, mean, scale, columns, n);
        int[] sample = sample(n, Math.min(n, MAX_THRESHOLD_ROWS), seed);
        double[] distances = new double[sample.length];
        for (int s = 0; s < sample.length; s++) {
            distances[s] = unfitted.distanceOfRow(sample[s]);
        }
        Arrays.sort(distances);
        double threshold = n < 2 ? Double.POSITIVE_INFINITY
                : distances[Math.min(distances.length - 1, (int) Math.ceil(quantile * distances.length) - 1)];
        return new ApplicabilityDomain(k, quantile, threshold, mean, scale, columns, n);
    }

    private static int[] sample(int n, int size, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            int pick = i + random.nextInt(n - i);
            int swap = all[pick];
            all[pick] = all[i];
            all[i] = swap;
        }
        return Arrays.copyOf(all, size);
    }

    public double threshold() {
        return threshold;
    }

    public int neighbours() {
        return neighbours;
    }

    public double quantile() {
        return quantile;
    }

    /** The mean distance from {@code input} to its nearest training rows. */
    public double distance(double[] input) {
        double[] out = new double[1];
        distances(new double[][] {input}, 0, 1, out);
        return out[0];
    }

    /** Rows of the training data per tile: a tile of all features and a block's sums stay in cache. */
    private static final int TILE = 512;
    /** Inputs per block: they share each pass over the training data. */
    public static final int BLOCK = 16;

    /**
     * {@link #distance} of inputs from..to-1 (at most {@link #BLOCK}) into {@code out[from..to-1]}:
     * the same values, with the training data read once for the block rather than once per input.
     */
    public void distances(double[][] inputs, int from, int to, double[] out) {
        int p = mean.length;
        int size = to - from;
        float[][] points = new float[size][p];
        for (int q = 0; q < size; q++) {
            for (int f = 0; f < p; f++) {
                points[q][f] = (float) ((inputs[from + q][f] - mean[f]) / scale[f]);
            }
        }
        float[][] squared = new float[size][count];
        for (int first = 0; first < count; first += TILE) {
            int last = Math.min(count, first + TILE);
            for (int f = 0; f < p; f++) {
                for (int q = 0; q < size; q++) {
                    addSquaredDifferences(squared[q], points[q][f], columns[f], first, last);
                }
            }
        }
        for (int q = 0; q < size; q++) {
            out[from + q] = meanOfNearest(squared[q], -1);
        }
    }

    private double distanceOfRow(int row) {
        float[] point = new float[columns.length];
        for (int f = 0; f < point.length; f++) {
            point[f] = columns[f][row];
        }
        return nearest(point, row);
    }

    /**
     * Mean distance to the k nearest rows, leaving out {@code skip}: the squared distances to every
     * row, summed feature by feature in single precision (a relative error near 1e-6, far below
     * what moves an input across the threshold), then a max-heap keeps the k best.
     */
    private double nearest(float[] point, int skip) {
        float[] squared = new float[count];
        for (int f = 0; f < point.length; f++) {
            addSquaredDifferences(squared, point[f], columns[f], 0, count);
        }
        return meanOfNearest(squared, skip);
    }

    /** The mean of the square roots of the k smallest squared distances, leaving out {@code skip}. */
    private double meanOfNearest(float[] squared, int skip) {
        double[] best = new double[neighbours];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int i = 0; i < count; i++) {
            if (i != skip && squared[i] < best[0]) {
                best[0] = squared[i];
                siftDown(best);
            }
        }
        double sum = 0;
        for (double kept : best) {
            sum += Math.sqrt(kept);
        }
        return sum / neighbours;
    }

    /**
     * squared[i] += (value - column[i])^2 for i from {@code from} to {@code to} (exclusive): both
     * arrays at the same index, which lets the JIT vectorise the loop.
     */
    private static void addSquaredDifferences(float[] squared, float value, float[] column, int from, int to) {
        for (int i = from; i < to; i++) {
            float difference = value - column[i];
            squared[i] += difference * difference;
        }
    }

    private static void siftDown(double[] heap) {
        int node = 0;
        while (true) {
            int largest = node;
            int left = 2 * node + 1;
            int right = left + 1;
            if (left < heap.length && heap[left] > heap[largest]) {
                largest = left;
            }
            if (right < heap.length && heap[right] > heap[largest]) {
                largest = right;
            }
            if (largest == node) {
                return;
            }
            double swap = heap[node];
            heap[node] = heap[largest];
            heap[largest] = swap;
            node = largest;
        }
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(neighbours);
        out.writeDouble(quantile);
        out.writeDouble(threshold);
        out.writeInt(count);
        out.writeInt(mean.length);
        for (int f = 0; f < mean.length; f++) {
            out.writeDouble(mean[f]);
            out.writeDouble(scale[f]);
        }
        for (int i = 0; i < count; i++) {
            for (float[] column : columns) {
                out.writeFloat(column[i]);
            }
        }
    }

    static ApplicabilityDomain read(DataInput in) throws IOException {
        int neighbours = in.readInt();
        double quantile = in.readDouble();
        double threshold = in.readDouble();
        int count = in.readInt();
        int p = in.readInt();
        double[] mean = new double[p];
        double[] scale = new double[p];
        for (int f = 0; f < p; f++) {
            mean[f] = in.readDouble();
            scale[f] = in.readDouble();
        }
        float[][] columns = new float[p][count];
        for (int i = 0; i < count; i++) {
            for (int f = 0; f < p; f++) {
                columns[f][i] = in.readFloat();
            }
        }
        return new ApplicabilityDomain(neighbours, quantile, threshold, mean, scale, columns, count);
    }
}
