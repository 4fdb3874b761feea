package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gradient boosting of log-loss on histograms of binned features ({@link GradientBoosting.Bins}), as
 * XGBoost's {@code hist} method does for classification: two classes boost one score (the log-odds
 * of the second class, a logistic model); more boost one score per class, turned into probabilities
 * by the softmax. Each round takes a random share of the rows, and each score's tree is grown depth
 * first from the gradients and Hessians of the log-loss, a split's gain being
 * G_L^2/(H_L+λ) + G_R^2/(H_R+λ) - G^2/(H+λ) and a leaf's value -G/(H+λ) shrunk by the learning rate
 * (λ = 1). The scores start at the classes' log-odds (two) or log shares (more) in the training
 * rows. Seeded: the same seed gives the same model bit for bit.
 */
public final class GradientBoostingClassifier implements Classifier {

    private static final double LAMBDA = 1;

    public record Params(int rounds, double learningRate, int maxDepth, double subsample, int minLeaf, long seed)
            implements ClassifierParams {

        public static Params defaults(long seed) {
            GradientBoosting.Params regression = GradientBoosting.Params.defaults(seed);
            return new Params(regression.rounds(), regression.learningRate(), regression.maxDepth(),
                    regression.subsample(), regression.minLeaf(), seed);
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.GRADIENT_BOOSTING;
        }

        @Override
        public Classifier fit(double[][] x, int[] y, int classes, int threads) {
            return GradientBoostingClassifier.fit(x, y, classes, this, threads);
        }

        @Override
        public Map<String, Object> recorded() {
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("n_estimators", rounds);
            recorded.put("learning_rate", learningRate);
            recorded.put("max_depth", maxDepth);
            recorded.put("subsample", subsample);
            recorded.put("min_samples_leaf", minLeaf);
            return recorded;
        }
    }

    private final Params params;
    private final int features;
    private final int classes;
    /** The start of each score. */
    private final double[] base;
    /** Score s's trees are trees s * rounds ... (s + 1) * rounds - 1. */
    private final FlatTrees trees;

    private GradientBoostingClassifier(Params params, int features, int classes, double[] base, FlatTrees trees) {
        this.params = params;
        this.features = features;
        this.classes = classes;
        this.base = base;
        this.trees = trees;
    }

    private static int scores(int classes) {
        return classes == 2 ? 1 : classes;
    }

    public static GradientBoostingClassifier fit(double[][] x, int[] y, int classes, Params params, int threads) {
        int n = x.length;
        int p = x[0].length;
        int scores = scores(classes);
        GradientBoosting.Bins bins = GradientBoosting.Bins.of(x);
        double[] share = new double[classes];
        for (int label : y) {
            share[label] += 1.0 / n;
        }
        double[] base = new double[scores];
        for (int s = 0; s < scores; s++) {
            // a class absent from the rows starts very unlikely, not at minus infinity
            double q = Math.min(1 - 1e-6, Math.max(1e-6, classes == 2 ? share[1] : share[s]));
            base[s] = classes == 2 ? Math.log(q / (1 - q)) : Math.log(q);
        }
        double[][] score = new double[scores][n];
        for (int s = 0; s < scores; s++) {
            java.util.Arrays.fill(score[s], base[s]);
        }
        TreeNodes[] grown = new TreeNodes[scores * params.rounds()];
        SplittableRandom random = new SplittableRandom(params.seed());
        int sampled = Math.max(1, (int) Math.round(params.subsample() * n));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[][] probability = new double[scores][n];
        for (int round = 0; round < params.rounds(); round++) {
            // the round's rows: a partial shuffle, then sorted so that the histograms read the codes in order
            for (int i = 0; i < sampled; i++) {
                int j = i + random.nextInt(n - i);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            int[] rows = java.util.Arrays.copyOf(order, sampled);
            java.util.Arrays.sort(rows);
            link(score, probability, classes);
            int r = round;
            Parallel.run(threads, scores, s -> {
                double[] gradient = new double[n];
                double[] hessian = new double[n];
                for (int i = 0; i < n; i++) {
                    double q = probability[s][i];
                    double target = (classes == 2 ? y[i] == 1 : y[i] == s) ? 1 : 0;
                    gradient[i] = q - target;
                    hessian[i] = Math.max(q * (1 - q), 1e-12);
                }
                TreeNodes tree = new Grower(bins, gradient, hessian, params).grow(rows.clone());
                grown[s * params.rounds() + r] = tree;
                for (int i = 0; i < n; i++) {
                    score[s][i] += leaf(tree, x[i]);
                }
            });
        }
        return new GradientBoostingClassifier(params, p, classes, base, FlatTrees.of(grown));
    }

    private static double leaf(TreeNodes tree, double[] row) {
        int node = 0;
        while (tree.feature[node] >= 0) {
            node = tree.left[node] + (row[tree.feature[node]] <= tree.threshold[node] ? 0 : 1);
        }
        return tree.value[node];
    }

    /** The probabilities of the scores: logistic for one score, softmax for several. */
    private static void link(double[][] score, double[][] out, int classes) {
        int n = score[0].length;
        if (classes == 2) {
            for (int i = 0; i < n; i++) {
                out[0][i] = 1 / (1 + Math.exp(-score[0][i]));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            double top = Double.NEGATIVE_INFINITY;
            for (double[] s : score) {
                top = Math.max(top, s[i]);
            }
            double sum = 0;
            for (int s = 0; s < score.length; s++) {
                out[s][i] = Math.exp(score[s][i] - top);
                sum += out[s][i];
            }
            for (int s = 0; s < score.length; s++) {
                out[s][i] /= sum;
            }
        }
    }

    /** Grows one tree of a score from its gradients and Hessians, depth first. */
    private static final class Grower {
        private final GradientBoosting.Bins bins;
        private final double[] gradient;
        private final double[] hessian;
        private final Params params;
        private final TreeNodes tree = new TreeNodes();
        private final double[] histogram;

        Grower(GradientBoosting.Bins bins, double[] gradient, double[] hessian, Params params) {
            this.bins = bins;
            this.gradient = gradient;
            this.hessian = hessian;
            this.params = params;
            this.histogram = new double[3 * bins.total];
        }

        TreeNodes grow(int[] rows) {
            int root = tree.add();
            grow(rows, root, 0, rows.length, 0);
            tree.trim();
            return tree;
        }

        private void grow(int[] rows, int node, int from, int to, int depth) {
            double g = 0;
            double h = 0;
            for (int r = from; r < to; r++) {
                g += gradient[rows[r]];
                h += hessian[rows[r]];
            }
            int count = to - from;
            if (depth >= params.maxDepth() || count < 2 * params.minLeaf()) {
                tree.value[node] = -g / (h + LAMBDA) * params.learningRate();
                return;
            }
            int p = bins.features;
            java.util.Arrays.fill(histogram, 0);
            byte[] codes = bins.codes;
            int[] offset = bins.offset;
            for (int r = from; r < to; r++) {
                int i = rows[r];
                double gi = gradient[i];
                double hi = hessian[i];
                int base = i * p;
                for (int f = 0; f < p; f++) {
                    int at = 3 * (offset[f] + (codes[base + f] & 0xff));
                    histogram[at] += gi;
                    histogram[at + 1] += hi;
                    histogram[at + 2] += 1;
                }
            }
            double parent = g * g / (h + LAMBDA);
            double bestGain = 1e-12;
            int bestFeature = -1;
            int bestBin = -1;
            for (int f = 0; f < p; f++) {
                double leftG = 0;
                double leftH = 0;
                double leftCount = 0;
                for (int b = 0; b < offset[f + 1] - offset[f] - 1; b++) {
                    int at = 3 * (offset[f] + b);
                    leftG += histogram[at];
                    leftH += histogram[at + 1];
                    leftCount += histogram[at + 2];
                    if (leftCount < params.minLeaf() || count - leftCount < params.minLeaf()) {
                        continue;
                    }
                    double rightG = g - leftG;
                    double rightH = h - leftH;
                    double gain = leftG * leftG / (leftH + LAMBDA) + rightG * rightG / (rightH + LAMBDA) - parent;
                    if (gain > bestGain) {
                        bestGain = gain;
                        bestFeature = f;
                        bestBin = b;
                    }
                }
            }
            if (bestFeature < 0) {
                tree.value[node] = -g / (h + LAMBDA) * params.learningRate();
                return;
            }
            int middle = from;
            for (int r = from; r < to; r++) {
                int i = rows[r];
                if ((codes[i * p + bestFeature] & 0xff) <= bestBin) {
                    rows[r] = rows[middle];
                    rows[middle++] = i;
                }
            }
            int leftChild = tree.split(node, bestFeature, bins.edges[bestFeature][bestBin]);
            grow(rows, leftChild, from, middle, depth + 1);
            grow(rows, leftChild + 1, middle, to, depth + 1);
        }
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public void probabilities(double[][] rows, double[][] out, int threads) {
        int block = RandomForest.BLOCK;
        int scores = scores(classes);
        Parallel.blocks(threads, rows.length, block, (from, to) -> {
            double[][] sums = new double[scores][to - from];
            trees.accumulate(rows, from, to, params.rounds(), sums);
            double[][] score = new double[scores][to - from];
            for (int s = 0; s < scores; s++) {
                for (int i = 0; i < to - from; i++) {
                    score[s][i] = base[s] + sums[s][i];
                }
            }
            double[][] probability = new double[scores][to - from];
            link(score, probability, classes);
            for (int i = from; i < to; i++) {
                double[] row = new double[classes];
                if (classes == 2) {
                    row[1] = probability[0][i - from];
                    row[0] = 1 - row[1];
                } else {
                    for (int c = 0; c < classes; c++) {
                        row[c] = probability[c][i - from];
                    }
                }
                out[i] = row;
            }
        });
    }

    /** Writes the parameters, the classes, the scores' starts and the trees ({@link FlatTrees#write}). */
    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(params.rounds());
        out.writeDouble(params.learningRate());
        out.writeInt(params.maxDepth());
        out.writeDouble(params.subsample());
        out.writeInt(params.minLeaf());
        out.writeLong(params.seed());
        out.writeInt(features);
        out.writeInt(classes);
        for (double value : base) {
            out.writeDouble(value);
        }
        trees.write(out);
    }

    static GradientBoostingClassifier read(DataInput in) throws IOException {
        Params params = new Params(in.readInt(), in.readDouble(), in.readInt(), in.readDouble(), in.readInt(),
                in.readLong());
        int features = in.readInt();
        int classes = in.readInt();
        double[] base = new double[scores(classes)];
        for (int s = 0; s < base.length; s++) {
            base[s] = in.readDouble();
        }
        return new GradientBoostingClassifier(params, features, classes, base, FlatTrees.read(in,
                base.length * params.rounds()));
    }
}
