package org.mihub.prediction.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A map from a classifier's probabilities to calibrated ones, fitted on out-of-fold predictions so that
 * of the rows given 0.8, about 8 in 10 are of the class. Two classes: one map of the second class's
 * probability (the first's is the rest). More: one map per class, one-vs-rest, the results
 * normalised to sum to 1 (as scikit-learn's {@code CalibratedClassifierCV} does).
 *
 * <ul>
 * <li>{@link Method#ISOTONIC}: isotonic regression of the indicator on the probability (pool adjacent
 * violators), read between its blocks' ends by linear interpolation and held flat outside them.
 * <li>{@link Method#PLATT}: sigmoid(a · logit(p) + b), a and b by maximum likelihood with Platt's
 * smoothed targets (N+ + 1)/(N+ + 2) and 1/(N- + 2), by Newton's method.
 * </ul>
 *
 * {@link #choose} picks the one with the smaller log-loss on a nested split: each fold's rows are
 * mapped by a calibration fitted on the other folds' rows.
 */
public final class Calibration {

    public enum Method {
        ISOTONIC(1), PLATT(2);

        final int tag;

        Method(int tag) {
            this.tag = tag;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Method ofTag(int tag) {
            for (Method method : values()) {
                if (method.tag == tag) {
                    return method;
                }
            }
            throw new IllegalStateException("unknown calibration tag " + tag);
        }
    }

    /** One class's map: isotonic knots (x ascending, y non-decreasing) or Platt's a and b. */
    private record Map1(double[] x, double[] y, double a, double b) {

        double apply(Method method, double p) {
            if (method == Method.PLATT) {
                return sigmoid(a * logit(p) + b);
            }
            if (x.length == 0) {
                return p;
            }
            if (p <= x[0]) {
                return y[0];
            }
            if (p >= x[x.length - 1]) {
                return y[y.length - 1];
            }
            int at = Arrays.binarySearch(x, p);
            if (at >= 0) {
                // several knots may share x (a block's two ends): take the last one's value
                while (at + 1 < x.length && x[at + 1] == p) {
                    at++;
                }
                return y[at];
            }
            int above = -at - 1;
            int below = above - 1;
            double t = (p - x[below]) / (x[above] - x[below]);
            return y[below] + t * (y[above] - y[below]);
        }
    }

    private final Method method;
    private final int classes;
    private final Map1[] maps;

    private Calibration(Method method, int classes, Map1[] maps) {
        this.method = method;
        this.classes = classes;
        this.maps = maps;
    }

    public Method method() {
        return method;
    }

    /** What {@link #choose} found: the method, the calibration fitted on every row, and the losses. */
    public record Choice(Calibration calibration, double[][] crossFitted, double isotonicLogLoss,
            double plattLogLoss, double uncalibratedLogLoss) {
    }

    /**
     * Fits {@code method} on rows {@code rows} of {@code probabilities} (raw, per class) with their
     * {@code observed} classes.
     */
    public static Calibration fit(Method method, double[][] probabilities, int[] observed, int[] rows, int classes) {
        int maps = classes == 2 ? 1 : classes;
        Map1[] fitted = new Map1[maps];
        for (int m = 0; m < maps; m++) {
            int c = classes == 2 ? 1 : m;
            double[] p = new double[rows.length];
            boolean[] hit = new boolean[rows.length];
            for (int j = 0; j < rows.length; j++) {
                p[j] = probabilities[rows[j]][c];
                hit[j] = observed[rows[j]] == c;
            }
            fitted[m] = method == Method.ISOTONIC ? isotonic(p, hit) : platt(p, hit);
        }
        return new Calibration(method, classes, fitted);
    }

    /**
     * Chooses between isotonic and Platt by nested out-of-fold log-loss: for each fold, each method is
     * fitted on the other folds' rows and maps this fold's; the smaller total log-loss wins (a tie goes
     * to Platt, the simpler map). The winner is then fitted on every row. {@code crossFitted} are the
     * winner's nested out-of-fold probabilities, each from a map that never saw its row.
     */
    public static Choice choose(double[][] probabilities, int[] observed, int[] fold, int folds, int classes) {
        int n = observed.length;
        double[][] isotonic = crossFit(Method.ISOTONIC, probabilities, observed, fold, folds, classes);
        double[][] platt = crossFit(Method.PLATT, probabilities, observed, fold, folds, classes);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double isotonicLoss = ClassificationMetrics.of(observed, isotonic, all, classes).logLoss();
        double plattLoss = ClassificationMetrics.of(observed, platt, all, classes).logLoss();
        double rawLoss = ClassificationMetrics.of(observed, probabilities, all, classes).logLoss();
        Method method = isotonicLoss < plattLoss ? Method.ISOTONIC : Method.PLATT;
        return new Choice(fit(method, probabilities, observed, all, classes),
                method == Method.ISOTONIC ? isotonic : platt, isotonicLoss, plattLoss, rawLoss);
    }

    private static double[][] crossFit(Method method, double[][] probabilities, int[] observed, int[] fold,
            int folds, int classes) {
        double[][] out = new double[observed.length][];
        for (int f = 0; f < folds; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < observed.length; i++) {
                (fold[i] == f ? test : train).add(i);
            }
            if (test.isEmpty()) {
                continue;
            }
            Calibration calibration = fit(method, probabilities, observed,
                    train.stream().mapToInt(Integer::intValue).toArray(), classes);
            for (int i : test) {
                out[i] = calibration.apply(probabilities[i]);
            }
        }
        return out;
    }

    /** The calibrated probabilities of one row's raw ones; they sum to 1. */
    public double[] apply(double[] raw) {
        double[] out = new double[classes];
        if (classes == 2) {
            out[1] = clip(maps[0].apply(method, raw[1]));
            out[0] = 1 - out[1];
            return out;
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            out[c] = clip(maps[c].apply(method, raw[c]));
            sum += out[c];
        }
        if (!(sum > 0)) {
            return raw.clone();
        }
        for (int c = 0; c < classes; c++) {
            out[c] /= sum;
        }
        return out;
    }

    private static double clip(double p) {
        return Math.min(1, Math.max(0, p));
    }

    private static Map1 isotonic(double[] p, boolean[] hit) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        // pool adjacent violators over groups of equal probability
        double[] value = new double[n];
        double[] weight = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        int blocks = 0;
        for (int k = 0; k < n;) {
            int end = k;
            double sum = 0;
            while (end < n && p[order[end]] == p[order[k]]) {
                sum += hit[order[end]] ? 1 : 0;
                end++;
            }
            value[blocks] = sum / (end - k);
            weight[blocks] = end - k;
            low[blocks] = p[order[k]];
            high[blocks] = p[order[k]];
            blocks++;
            while (blocks > 1 && value[blocks - 2] >= value[blocks - 1]) {
                double w = weight[blocks - 2] + weight[blocks - 1];
                value[blocks - 2] = (value[blocks - 2] * weight[blocks - 2] + value[blocks - 1] * weight[blocks - 1]) / w;
                weight[blocks - 2] = w;
                high[blocks - 2] = high[blocks - 1];
                blocks--;
            }
            k = end;
        }
        double[] x = new double[2 * blocks];
        double[] y = new double[2 * blocks];
        for (int b = 0; b < blocks; b++) {
            x[2 * b] = low[b];
            x[2 * b + 1] = high[b];
            y[2 * b] = value[b];
            y[2 * b + 1] = value[b];
        }
        return new Map1(x, y, 0, 0);
    }

    private static double logit(double p) {
        double q = Math.min(1 - 1e-12, Math.max(1e-12, p));
        return Math.log(q / (1 - q));
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** Platt's fit of sigmoid(a·f + b), f = logit(p), by Newton's method with step halving (Lin, Lin and Weng 2007). */
    private static Map1 platt(double[] p, boolean[] hit) {
        int n = p.length;
        double positives = 0;
        for (boolean h : hit) {
            positives += h ? 1 : 0;
        }
        double negatives = n - positives;
        double high = (positives + 1) / (positives + 2);
        double low = 1 / (negatives + 2);
        double[] f = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = logit(p[i]);
            t[i] = hit[i] ? high : low;
        }
        double a = 1;
        double b = 0;
        double loss = plattLoss(f, t, a, b);
        for (int iteration = 0; iteration < 100; iteration++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < n; i++) {
                double q = sigmoid(a * f[i] + b);
                double d = q - t[i];
                double w = q * (1 - q);
                ga += d * f[i];
                gb += d;
                haa += w * f[i] * f[i];
                hab += w * f[i];
                hbb += w;
            }
            if (Math.abs(ga) < 1e-10 && Math.abs(gb) < 1e-10) {
                break;
            }
            double det = haa * hbb - hab * hab;
            double da = -(hbb * ga - hab * gb) / det;
            double db = -(haa * gb - hab * ga) / det;
            double step = 1;
            boolean moved = false;
            while (step > 1e-10) {
                double na = a + step * da;
                double nb = b + step * db;
                double next = plattLoss(f, t, na, nb);
                if (next < loss + 1e-4 * step * (ga * da + gb * db)) {
                    a = na;
                    b = nb;
                    loss = next;
                    moved = true;
                    break;
                }
                step /= 2;
            }
            if (!moved) {
                break;
            }
        }
        return new Map1(new double[0], new double[0], a, b);
    }

    private static double plattLoss(double[] f, double[] t, double a, double b) {
        double loss = 0;
        for (int i = 0; i < f.length; i++) {
            double z = a * f[i] + b;
            // -t log q - (1 - t) log(1 - q), written stably
            loss += z >= 0 ? t[i] * Math.log1p(Math.exp(-z)) + (1 - t[i]) * (z + Math.log1p(Math.exp(-z)))
                    : t[i] * (-z + Math.log1p(Math.exp(z))) + (1 - t[i]) * Math.log1p(Math.exp(z));
        }
        return loss;
    }

    void write(DataOutput out) throws IOException {
        out.writeByte(method.tag);
        out.writeInt(classes);
        out.writeInt(maps.length);
        for (Map1 map : maps) {
            out.writeInt(map.x().length);
            for (int k = 0; k < map.x().length; k++) {
                out.writeDouble(map.x()[k]);
                out.writeDouble(map.y()[k]);
            }
            out.writeDouble(map.a());
            out.writeDouble(map.b());
        }
    }

    static Calibration read(DataInput in) throws IOException {
        Method method = Method.ofTag(in.readByte());
        int classes = in.readInt();
        Map1[] maps = new Map1[in.readInt()];
        for (int m = 0; m < maps.length; m++) {
            int knots = in.readInt();
            double[] x = new double[knots];
            double[] y = new double[knots];
            for (int k = 0; k < knots; k++) {
                x[k] = in.readDouble();
                y[k] = in.readDouble();
            }
            maps[m] = new Map1(x, y, in.readDouble(), in.readDouble());
        }
        return new Calibration(method, classes, maps);
    }
}
