package org.mihub.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import org.mihub.common.chemistry.FormulaParser;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.features.Featurisers;
import org.mihub.prediction.features.MagpieFeaturiser;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.GaussianProcessModel;
import org.mihub.prediction.model.GradientBoosting;
import org.mihub.prediction.model.ModelParams;
import org.mihub.prediction.model.Parallel;
import org.mihub.prediction.model.RandomForest;
import org.mihub.prediction.model.Regressor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Matbench v0.1 composition tasks on the official folds (../shared/data/matbench), mihub's random
 * forest, gradient-boosted trees and (where a training fold is small enough) Gaussian process on
 * magpie-v2 features, with the service's default hyper-parameters, side by side with the Python
 * peer (bench/peer/matbench_peer.py:
 * pymatgen + scikit-learn, 500 trees) in one run: MAE per fold and mean, coverage of the 68 % and
 * 95 % intervals, training time; then parse + featurise + predict with uncertainty for 100,000
 * seeded random compositions, rows per second for both.
 *
 * <p>Run: {@code mvn -B -q package -DskipTests && java -Xmx4g -cp "$(cat bench/target/classpath.txt):bench/target/classes"
 * -Dmihub.home=. org.mihub.bench.MatbenchBench}
 */
public final class MatbenchBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 18012019L;
    private static final int TREES = 500;
    private static final int THREADS = 2;
    private static final int THROUGHPUT_ROWS = 100_000;

    private record Task(String name, String file, String unit, double published, double best, double target) {
    }

    /** One fold's figures; {@code maxFeatures} is the fraction a forest chose (NaN for other models). */
    private record Fold(double mae, double cover68, double cover95, double fitSeconds, double maxFeatures) {
    }

    private MatbenchBench() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        Path data = home.resolve("../shared/data/matbench").normalize();
        if (!Files.isDirectory(data)) {
            System.out.println("../shared/data/matbench is absent: nothing to benchmark");
            return;
        }
        List<Task> tasks = List.of(
                new Task("expt_gap", "matbench_expt_gap.csv", "eV", 0.4461, 0.2865, 0.40),
                new Task("steels", "matbench_steels.csv", "MPa", 103.51, 79.95, 95));
        Path queries = home.resolve("bench/target/throughput-formulas.txt");
        Files.writeString(queries, String.join("\n", randomFormulas(THROUGHPUT_ROWS, SEED)) + "\n");
        List<String> report = new ArrayList<>(List.of("# Matbench benchmark: mihub's models and the Python peer", "",
                "Command: `mvn -B -q package -DskipTests && java -Xmx4g -cp \"$(cat bench/target/classpath.txt):"
                        + "bench/target/classes\" -Dmihub.home=. org.mihub.bench.MatbenchBench`",
                "Run at " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, " + THREADS
                        + " threads each. Data: Matbench v0.1 (MIT; Dunn et al., npj Comput Mater 6, 138 (2020)), "
                        + "official 5 folds (KFold, shuffle, random_state 18012019). Each task runs twice, once on each featuriser, mihub and the peer alike: magpie v3 (248: Magpie-style statistics, element fractions and ionic-compound attributes) and element_fraction v1 (the 103 atomic fractions alone); the peer computes the same from the same tables. "
                        + "mihub RF: the service's defaults, " + TREES + " trees, min leaf 1, the fraction of the features tried"
                        + " per split chosen among 1/3, 2/3 and 1 by out-of-bag error on each training fold. mihub GBT: the "
                        + "service's defaults (10 boosted models on bootstrap resamples, 500 rounds each, learning rate "
                        + "0.05, depth 6, subsample 0.8, min leaf 5); mihub GBT Huber: the same with loss huber. mihub GP: the service's defaults (ARD Matern 5/2, "
                        + "5 restarts). Seed " + SEED + " for all; no hyper-parameter was tuned on these folds. Peer: pymatgen + scikit-learn RandomForestRegressor, " + TREES
                        + " trees, defaults otherwise; its intervals from the spread of its trees.", ""));
        for (Task task : tasks) {
            for (Featuriser featuriser : List.of(Featurisers.get("magpie", "3"),
                    Featurisers.get("element_fraction", "1"))) {
                Path file = data.resolve(task.file());
                Table table = load(file, featuriser);
                List<Column> columns = new ArrayList<>(List.of(
                        new Column("mihub RF", mihub(table, task, RandomForest.Params.defaults(SEED))),
                        new Column("mihub GBT", mihub(table, task, GradientBoosting.Params.defaults(SEED))),
                        new Column("mihub GBT Huber", mihub(table, task, huber(GradientBoosting.Params.defaults(SEED))))));
                if (table.y().length * 4 / 5 <= GaussianProcessModel.MAX_ROWS) {
                    columns.add(new Column("mihub GP", mihub(table, task, GaussianProcessModel.Params.defaults(SEED))));
                }
                List<JsonNode> peer = peer(home, file, null, featuriser.name());
                List<Fold> peerFolds = new ArrayList<>();
                for (JsonNode fold : peer.subList(0, 5)) {
                    peerFolds.add(new Fold(fold.get("mae").asDouble(), fold.get("cover68").asDouble(),
                            fold.get("cover95").asDouble(), fold.get("fit_seconds").asDouble(), Double.NaN));
                }
                columns.add(new Column("peer RF", peerFolds));
                int start = report.size();
                report.add("## " + task.name() + ", " + featuriser.name() + " v" + featuriser.version()
                        + String.format(" (published RF on Magpie %.4g %s, best %.4g; target <= %.4g)",
                                task.published(), task.unit(), task.best(), task.target()));
                report.add("");
                report.addAll(foldTable(columns, "MAE (" + task.unit() + ")", Fold::mae, "%.4f"));
                report.add("");
                report.addAll(foldTable(columns, "68 % coverage", Fold::cover68, "%.3f"));
                report.add("");
                report.addAll(foldTable(columns, "95 % coverage", Fold::cover95, "%.3f"));
                report.add("");
                report.addAll(foldTable(columns, "fit seconds", Fold::fitSeconds, "%.1f"));
                report.add("");
                report.add("mihub RF's feature fraction, chosen by out-of-bag error in each training fold: "
                        + columns.get(0).folds().stream().map(fold -> String.format("%.2f", fold.maxFeatures()))
                                .collect(java.util.stream.Collectors.joining(", ")) + ".");
                report.add("");
                if (table.y().length * 4 / 5 > GaussianProcessModel.MAX_ROWS) {
                    report.add("No Gaussian process: a training fold has more than " + GaussianProcessModel.MAX_ROWS
                            + " rows, the service's limit for it.");
                    report.add("");
                }
                System.out.println(String.join("\n", report.subList(start, report.size())));
            }
        }
        Table throughputTraining = load(data.resolve("matbench_expt_gap.csv"), Featurisers.get("magpie", "3"));
        double[][] mihubTimes = mihubThroughput(throughputTraining, queries);
        double[] mihubPasses = mihubTimes[0];
        double mihubSeconds = Arrays.stream(mihubPasses).min().orElseThrow();
        double domainSeconds = Arrays.stream(mihubTimes[1]).min().orElseThrow();
        JsonNode peerThroughput = peer(home, data.resolve("matbench_expt_gap.csv"), queries, "magpie").get(0);
        double peerSeconds = peerThroughput.get("seconds").asDouble();
        List<String> peerPasses = new ArrayList<>();
        peerThroughput.get("passes").forEach(pass -> peerPasses.add(String.format("%.2f", pass.asDouble())));
        report.add("## Throughput: parse + featurise + predict with uncertainty, " + THROUGHPUT_ROWS
                + " random compositions (forest trained on all of expt_gap)");
        report.add("");
        report.add("Each side makes three timed passes over the same compositions in one process and reports the best"
                + " (mihub " + Arrays.stream(mihubPasses).mapToObj(pass -> String.format("%.2f", pass))
                        .collect(java.util.stream.Collectors.joining(", ")) + " s; peer " + String.join(", ", peerPasses)
                + " s): mihub's first pass includes compiling the code, which a running service has done long before.");
        report.add("");
        report.add("| | seconds | rows/s |");
        report.add("|---|---|---|");
        report.add(String.format("| mihub | %.2f | %,.0f |", mihubSeconds, THROUGHPUT_ROWS / mihubSeconds));
        report.add(String.format("| peer | %.2f | %,.0f |", peerSeconds, THROUGHPUT_ROWS / peerSeconds));
        report.add(String.format("| mihub / peer | | %.1fx (target >= 10x) |", peerSeconds / mihubSeconds));
        report.add("");
        report.add(String.format("With the applicability-domain distance (5 nearest of the %d training rows), which"
                + " the service returns with every prediction and the peer does not compute: mihub %.2f s, %,.0f rows/s"
                + " (best of three).", throughputTraining.y().length, domainSeconds, THROUGHPUT_ROWS / domainSeconds));
        report.add("");
        String text = String.join("\n", report);
        System.out.println(text);
        Path out = home.resolve("bench/results/matbench.md");
        Files.writeString(out, text, StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    /** The service's boosting defaults with Huber loss (hyperparameters.loss = huber). */
    private static GradientBoosting.Params huber(GradientBoosting.Params defaults) {
        return new GradientBoosting.Params(defaults.rounds(), defaults.learningRate(), defaults.maxDepth(),
                defaults.subsample(), defaults.minLeaf(), defaults.ensemble(), GradientBoosting.Loss.HUBER,
                defaults.seed());
    }

    private record Table(double[][] x, double[] y, int[] fold) {
    }

    private static Table load(Path file, Featuriser featuriser) throws Exception {
        List<String> lines = Files.readAllLines(file);
        int n = lines.size() - 1;
        double[][] x = new double[n][];
        double[] y = new double[n];
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split(",");
            x[i] = featuriser.featurise(FormulaParser.parse(cells[1]));
            y[i] = Double.parseDouble(cells[2]);
            fold[i] = Integer.parseInt(cells[3]);
        }
        return new Table(x, y, fold);
    }

    private record Column(String name, List<Fold> folds) {
    }

    /** One row per fold and the mean, one column per model: the chosen figure of each fold. */
    private static List<String> foldTable(List<Column> columns, String what, ToDoubleFunction<Fold> figure,
            String format) {
        List<String> rows = new ArrayList<>();
        rows.add("| " + what + " | " + String.join(" | ", columns.stream().map(Column::name).toList()) + " |");
        rows.add("|---" + "|---".repeat(columns.size()) + "|");
        for (int k = 0; k <= 5; k++) {
            StringBuilder row = new StringBuilder(k < 5 ? "| fold " + k : "| **mean**");
            for (Column column : columns) {
                double value = k < 5 ? figure.applyAsDouble(column.folds().get(k))
                        : column.folds().stream().mapToDouble(figure).average().orElseThrow();
                row.append(" | ").append(String.format(k < 5 ? format : "**" + format + "**", value));
            }
            rows.add(row.append(" |").toString());
        }
        return rows;
    }

    private static List<Fold> mihub(Table table, Task task, ModelParams params) {
        List<Fold> folds = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            List<double[]> trainX = new ArrayList<>();
            List<Double> trainY = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < table.y().length; i++) {
                if (table.fold()[i] == k) {
                    test.add(i);
                } else {
                    trainX.add(table.x()[i]);
                    trainY.add(table.y()[i]);
                }
            }
            long start = System.nanoTime();
            Regressor model = params.fit(trainX.toArray(double[][]::new),
                    trainY.stream().mapToDouble(Double::doubleValue).toArray(), THREADS);
            double fitSeconds = (System.nanoTime() - start) / 1e9;
            double[][] testX = test.stream().map(i -> table.x()[i]).toArray(double[][]::new);
            double[] means = new double[testX.length];
            double[] stds = new double[testX.length];
            model.predict(testX, means, stds, THREADS);
            double absolute = 0;
            int within68 = 0;
            int within95 = 0;
            for (int j = 0; j < testX.length; j++) {
                double error = Math.abs(table.y()[test.get(j)] - means[j]);
                absolute += error;
                within68 += error <= stds[j] ? 1 : 0;
                within95 += error <= 1.96 * stds[j] ? 1 : 0;
            }
            folds.add(new Fold(absolute / testX.length, within68 / (double) testX.length,
                    within95 / (double) testX.length, fitSeconds, model.params() instanceof RandomForest.Params forest
                            ? forest.maxFeatures() : Double.NaN));
            System.out.printf("mihub %s %s fold %d: MAE %.4f, coverage %.3f / %.3f, fit %.1f s%n",
                    params.algorithm(), task.name(), k, folds.get(k).mae(), folds.get(k).cover68(),
                    folds.get(k).cover95(), fitSeconds);
        }
        return folds;
    }

    /**
     * Seconds of three passes: parse, featurise and predict every composition; then three passes
     * that also measure the applicability domain, as the service's answer includes it.
     */
    private static double[][] mihubThroughput(Table table, Path queries) throws Exception {
        RandomForest forest = RandomForest.fit(table.x(), table.y(), RandomForest.Params.defaults(SEED), THREADS);
        ApplicabilityDomain domain = ApplicabilityDomain.fit(table.x(), 5, 0.95, SEED);
        List<String> formulas = Files.readAllLines(queries).stream().filter(line -> !line.isBlank()).toList();
        MagpieFeaturiser featuriser = new MagpieFeaturiser();
        double[][] passes = new double[2][3];
        for (int pass = 0; pass < 2 * passes[0].length; pass++) {
            boolean withDomain = pass >= passes[0].length;
            long start = System.nanoTime();
            double[][] rows = new double[formulas.size()][];
            // as the service's inference does: the inputs shared out among the threads
            Parallel.run(THREADS, rows.length, i -> rows[i] = featuriser.featurise(FormulaParser.parse(formulas.get(i))));
            double[] means = new double[rows.length];
            double[] stds = new double[rows.length];
            forest.predict(rows, means, stds, THREADS);
            if (withDomain) {
                double[] distances = new double[rows.length];
                int block = ApplicabilityDomain.BLOCK;
                Parallel.run(THREADS, (rows.length + block - 1) / block, k -> domain.distances(rows, k * block,
                        Math.min(rows.length, (k + 1) * block), distances));
            }
            passes[withDomain ? 1 : 0][pass % passes[0].length] = (System.nanoTime() - start) / 1e9;
        }
        return passes;
    }

    private static List<JsonNode> peer(Path home, Path task, Path queries, String featuriser) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", home.resolve("bench/peer/matbench_peer.py")
                .toString(), "--featuriser=" + featuriser, task.toString(), Integer.toString(TREES), Long.toString(SEED % 100000),
                Integer.toString(THREADS)));
        if (queries != null) {
            command.add(queries.toString());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(JSON.readTree(line));
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the peer failed (it needs the Debian packages python3-pymatgen and "
                    + "python3-sklearn): " + command);
        }
        return lines;
    }

    /** Seeded random compositions of 2 to 4 elements (H to Bi, no noble gases), amounts 1 to 9. */
    public static List<String> randomFormulas(int count, long seed) {
        String[] elements = ("H Li Be B C N O F Na Mg Al Si P S Cl K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br "
                + "Rb Sr Y Zr Nb Mo Ru Rh Pd Ag Cd In Sn Sb Te I Cs Ba La Ce Pr Nd Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W "
                + "Re Os Ir Pt Au Hg Tl Pb Bi").split(" ");
        Random random = new Random(seed);
        List<String> formulas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int size = 2 + random.nextInt(3);
            List<String> chosen = new ArrayList<>();
            StringBuilder formula = new StringBuilder();
            while (chosen.size() < size) {
                String element = elements[random.nextInt(elements.length)];
                if (!chosen.contains(element)) {
                    chosen.add(element);
                    formula.append(element).append(1 + random.nextInt(9));
                }
            }
            formulas.add(formula.toString());
        }
        return formulas;
    }
}
