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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.mihub.planning.planner.WarmStarts;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.planning.simulation.PoolSimulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The planner next to the Python peer (bench/peer/planning_peer.py: scikit-learn GP + EI) in one
 * run.
 *
 * <p>Quality: the protocol of Liang et al., npj Comput Mater 7, 188 (2021) on the Crossed barrel
 * and P3HT/CNT sets of ../shared/data/bo: repeated designs averaged, pool-based, 2 random initial
 * designs (the same for both planners, drawn from each run's seed of seed_list.txt), 50 runs, top
 * 5 %; Top% curves, enhancement factor and acceleration factors at Top% 0.5 and 0.8.
 *
 * <p>Speed: one batch of 10 with 200 observations (Hartmann-6) in 6 dimensions over uniform pools
 * of 10 k, 100 k and 1 M candidates: fit with restarts, score, pick.
 *
 * <p>Run: {@code mvn -B -q package -DskipTests && java -Xmx6g -cp "$(cat bench/target/classpath.txt):bench/target/classes"
 * -Dmihub.home=. org.mihub.bench.PlanningBench}
 */
public final class PlanningBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static int runs = 50;
    /** --no-warp: fit the process to the standardised values alone, without the power transform. */
    private static boolean warp = true;
    /** --mihub-only: skip the peer (for trying the planner's settings quickly). */
    private static boolean mihubOnly;
    /** --xi=X: EI's improvement margin in units of the observations' spread (default 0). */
    private static double xi;
    private static final int THREADS = 2;
    private static final int SIMULATION_RESTARTS = 2;
    private static final int LATENCY_RESTARTS = 5;
    private static final long LATENCY_SEED = 20261124L;
    private static final int[] POOLS = {10_000, 100_000, 1_000_000};

    private record Dataset(String name, String file, double targetAt80) {
    }

    private PlanningBench() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        Path data = home.resolve("../shared/data/bo").normalize();
        boolean qualityOnly = Arrays.asList(args).contains("--quality-only");
        boolean speedOnly = Arrays.asList(args).contains("--speed-only");
        String only = "";
        for (String arg : args) {
            if (arg.startsWith("--runs=")) {
                runs = Integer.parseInt(arg.substring("--runs=".length()));
            } else if (arg.startsWith("--only=")) {
                only = arg.substring("--only=".length());
            } else if (arg.startsWith("--xi=")) {
                xi = Double.parseDouble(arg.substring("--xi=".length()));
            } else if (arg.equals("--no-warp")) {
                warp = false;
            } else if (arg.equals("--mihub-only")) {
                mihubOnly = true;
            }
        }
        List<String> report = new ArrayList<>(List.of("# Planning benchmark: mihub's planner and the Python peer", "",
                "Command: `mvn -B -q package -DskipTests && java -Xmx6g -cp \"$(cat bench/target/classpath.txt):"
                        + "bench/target/classes\" -Dmihub.home=. org.mihub.bench.PlanningBench "
                        + String.join(" ", args) + "`",
                "Run at " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores. "
                        + "mihub: Gaussian process (ARD Matérn 5/2, constant × kernel + noise, inputs in the unit "
                        + "cube, outputs " + (warp ? "bent towards normal by a Yeo-Johnson power transform (exponent by maximum "
                        + "likelihood) and " : "") + "standardised, maximum marginal likelihood by projected L-BFGS with random "
                        + "restarts, warm-started from the previous fit) and log expected improvement over the best fitted mean "
                        + "at the observed designs. In the simulations both "
                        + "planners refit after every evaluation, with " + SIMULATION_RESTARTS + " random restarts every "
                        + WarmStarts.RESTART_EVERY + " evaluations and otherwise from the previous fit. Peer: "
                        + "scikit-learn GaussianProcessRegressor (Matern ν=2.5, one length scale per input, × "
                        + "ConstantKernel + WhiteKernel, normalize_y, the same bounds) with expected improvement.",
                ""));
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            if (!speedOnly) {
                if (!Files.isDirectory(data)) {
                    report.add("../shared/data/bo is absent: no quality figures.");
                } else {
                    long[] seeds = seeds(data.resolve("seed_list.txt"));
                    for (Dataset dataset : List.of(new Dataset("Crossed barrel", "Crossed_barrel_dataset.csv", 3),
                            new Dataset("P3HT/CNT", "P3HT_dataset.csv", Double.NaN))) {
                        if (!only.isEmpty() && !dataset.file().startsWith(only)) {
                            continue;
                        }
                        quality(home, data.resolve(dataset.file()), dataset, seeds, executor, report);
                    }
                }
            }
            if (!qualityOnly) {
                latency(home, executor, report);
            }
        } finally {
            executor.shutdownNow();
        }
        String text = String.join("\n", report) + "\n";
        System.out.println(text);
        Files.createDirectories(home.resolve("bench/results"));
        Files.writeString(home.resolve("bench/results/planning.md"), text);
    }

    private static void quality(Path home, Path file, Dataset dataset, long[] allSeeds, ExecutorService executor,
            List<String> report) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).replace("\uFEFF", "").split(",");
        List<double[]> rows = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            double[] row = new double[cells.length - 1];
            for (int k = 0; k < row.length; k++) {
                row[k] = Double.parseDouble(cells[k].trim());
            }
            rows.add(row);
            values.add(Double.parseDouble(cells[cells.length - 1].trim()));
        }
        PoolSimulation.Pool pool = PoolSimulation.averageDuplicates(rows.toArray(double[][]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray(), true);
        int n = pool.points().length;
        long[] seeds = Arrays.copyOf(allSeeds, runs);
        double[] levels = {0.5, 0.8};
        PoolSimulation.Strategy strategy = new PoolSimulation.Strategy(
                new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, xi, false),
                BatchSelector.Strategy.KRIGING_BELIEVER, 1,
                new GaussianProcess.Options(SIMULATION_RESTARTS, null, 100, warp), 2);
        long started = System.nanoTime();
        int[] shown = {0};
        PoolSimulation.Report mihub = PoolSimulation.run(pool, strategy, seeds, n, 0.05, levels, executor, p -> {
            if ((int) (p * 10) > shown[0]) {
                shown[0] = (int) (p * 10);
                System.out.printf(Locale.ROOT, "%s: mihub %.0f %% of runs done%n", dataset.name(), p * 100);
            }
        }, () -> false);
        double mihubSeconds = (System.nanoTime() - started) / 1e9;
        boolean[] top = PoolSimulation.topSet(pool, 0.05);
        started = System.nanoTime();
        List<PoolSimulation.Run> peerRuns = mihubOnly ? null : peerSimulation(home, pool, seeds, top, n);
        double peerSeconds = (System.nanoTime() - started) / 1e9;
        PoolSimulation.Report peer = peerRuns == null ? null
                : PoolSimulation.summarise(peerRuns, n, mihub.topCount(), 0.05, n, levels);

        report.add("## " + dataset.name() + " (" + n + " unique designs from " + rows.size() + " rows, "
                + (header.length - 1) + " inputs, maximise " + header[header.length - 1] + "; top set "
                + mihub.topCount() + ")");
        report.add("");
        report.add("| measure | mihub GP-LogEI | peer sklearn GP-EI |");
        report.add("|---|---|---|");
        for (int i = 0; i < levels.length; i++) {
            report.add("| acceleration factor at Top% " + levels[i] + " (evaluations: strategy / random) | "
                    + acceleration(mihub.acceleration().get(i)) + " | "
                    + (peer == null ? "peer not run" : acceleration(peer.acceleration().get(i))) + " |");
        }
        report.add(String.format(Locale.ROOT, "| max enhancement factor | %.2f | %s |", mihub.maxEnhancementFactor(),
                peer == null ? "—" : String.format(Locale.ROOT, "%.2f", peer.maxEnhancementFactor())));
        for (int at : new int[] {10, 25, 50, 100, 150, 200}) {
            if (at <= n) {
                report.add(String.format(Locale.ROOT, "| Top%% after %d evaluations (random %.3f) | %.3f | %s |", at,
                        mihub.randomTopFound()[at - 1], mihub.meanTopFound()[at - 1],
                        peer == null ? "—" : String.format(Locale.ROOT, "%.3f", peer.meanTopFound()[at - 1])));
            }
        }
        report.add(String.format(Locale.ROOT, "| wall time, %d runs on %d threads / processes | %.1f s | %.1f s |",
                runs, THREADS, mihubSeconds, peerSeconds));
        if (!Double.isNaN(dataset.targetAt80())) {
            report.add("");
            report.add("Target: acceleration factor at Top% 0.8 ≥ " + dataset.targetAt80() + " and at least the peer's.");
        }
        report.add("");
        report.add("Mean Top% curve, every 10 evaluations (mihub / peer):");
        report.add("");
        StringBuilder curve = new StringBuilder();
        for (int i = 9; i < n; i += 10) {
            curve.append(String.format(Locale.ROOT, "%d: %.2f/%s  ", i + 1, mihub.meanTopFound()[i],
                    peer == null ? "—" : String.format(Locale.ROOT, "%.2f", peer.meanTopFound()[i])));
            if (mihub.meanTopFound()[i] >= 1 && (peer == null || peer.meanTopFound()[i] >= 1)) {
                break;
            }
        }
        report.add(curve.toString().trim());
        report.add("");
        System.out.println(String.join("\n", report.subList(Math.max(0, report.size() - 20), report.size())));
    }

    private static String acceleration(PoolSimulation.Acceleration a) {
        if (a.factor() == null) {
            return "not reached";
        }
        return String.format(Locale.ROOT, "**%.2f** (%d / %d)", a.factor(), a.strategyEvaluations(),
                a.randomEvaluations());
    }

    /** Runs the peer in two processes (half the runs each), the same parallelism mihub gets. */
    private static List<PoolSimulation.Run> peerSimulation(Path home, PoolSimulation.Pool pool, long[] seeds,
            boolean[] top, int evaluations) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        for (int part = 0; part < THREADS; part++) {
            int from = part * seeds.length / THREADS;
            int to = (part + 1) * seeds.length / THREADS;
            ObjectNode request = JSON.createObjectNode().put("mode", "simulate").put("evaluations", evaluations)
                    .put("restarts", SIMULATION_RESTARTS).put("restart_every", WarmStarts.RESTART_EVERY);
            ArrayNode points = request.putArray("points");
            for (double[] p : pool.points()) {
                ArrayNode row = points.addArray();
                for (double v : p) {
                    row.add(v);
                }
            }
            ArrayNode score = request.putArray("score");
            for (double v : pool.score()) {
                score.add(v);
            }
            ArrayNode topRows = request.putArray("top");
            for (int i = 0; i < top.length; i++) {
                if (top[i]) {
                    topRows.add(i);
                }
            }
            ArrayNode initial = request.putArray("initial");
            ArrayNode runSeeds = request.putArray("seeds");
            for (int r = from; r < to; r++) {
                ArrayNode designs = initial.addArray();
                for (int i : PoolSimulation.initialDesigns(seeds[r], pool.points().length, 2)) {
                    designs.add(i);
                }
                runSeeds.add(seeds[r] & 0x7fffffffL);
            }
            Path file = Files.createTempFile("planning-peer", ".json");
            JSON.writeValue(file.toFile(), request);
            Process process = peerProcess(home, file);
            if (process == null) {
                return null;
            }
            processes.add(process);
            ranges.add(new int[] {from, to});
        }
        List<PoolSimulation.Run> runs = new ArrayList<>();
        for (int part = 0; part < processes.size(); part++) {
            Process process = processes.get(part);
            int from = ranges.get(part)[0];
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    JsonNode result = JSON.readTree(line);
                    int[] chosen = new int[result.get("chosen").size()];
                    for (int i = 0; i < chosen.length; i++) {
                        chosen[i] = result.get("chosen").get(i).asInt();
                    }
                    long seed = seeds[from + result.get("run").asInt()];
                    runs.add(PoolSimulation.replay(pool, seed, chosen, evaluations, top));
                }
            }
            if (process.waitFor() != 0) {
                System.out.println("the peer failed: " + new String(process.getErrorStream().readAllBytes(),
                        StandardCharsets.UTF_8));
                return null;
            }
        }
        return runs;
    }

    private static Process peerProcess(Path home, Path request) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            System.out.println("/usr/bin/python3 is absent: the peer is not run");
            return null;
        }
        return new ProcessBuilder(python.toString(), home.resolve("bench/peer/planning_peer.py").toString(),
                request.toString()).start();
    }

    private static void latency(Path home, ExecutorService executor, List<String> report) throws Exception {
        SplittableRandom random = new SplittableRandom(LATENCY_SEED);
        int d = 6;
        double[][] x = new double[200][d];
        double[] y = new double[200];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = random.nextDouble();
            }
            y[i] = hartmann6(x[i]);
        }
        report.add("## Proposal latency: 200 observations, 6 dimensions, batch of 10");
        report.add("");
        report.add("Fit (" + LATENCY_RESTARTS + " random restarts besides the default start; mihub on " + THREADS
                + " threads) + score the whole pool + pick 10 by kriging believer. Median of 3 (mihub; after one "
                + "warm-up) / one run (peer), seconds. Target: ≤ 1 s at 100 k and ≥ 10× faster than the peer.");
        report.add("");
        report.add("| pool | mihub fit | mihub score + pick | mihub total | peer fit | peer score + pick | peer total | "
                + "speed-up |");
        report.add("|---|---|---|---|---|---|---|---|");
        JsonNode[] peer = peerLatency(home);
        for (int p = 0; p < POOLS.length; p++) {
            int size = POOLS[p];
            double[] pool = new double[size * d];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = random.nextDouble();
            }
            boolean[] available = new boolean[size];
            Arrays.fill(available, true);
            double[] fits = new double[3];
            double[] selects = new double[3];
            for (int repeat = -1; repeat < 3; repeat++) {
                long started = System.nanoTime();
                GaussianProcess gp = GaussianProcess.fit(x, y, new GaussianProcess.Options(LATENCY_RESTARTS, null, 100),
                        new SplittableRandom(LATENCY_SEED), null, executor);
                long fitted = System.nanoTime();
                double best = Arrays.stream(y).max().orElseThrow();
                List<BatchSelector.Pick> picks = new BatchSelector(Acquisition.logExpectedImprovement(),
                        BatchSelector.Strategy.KRIGING_BELIEVER, executor, THREADS)
                        .select(gp, pool, available, best, new int[0], null, 10, new SplittableRandom(1));
                long done = System.nanoTime();
                if (picks.size() != 10) {
                    throw new IllegalStateException("expected 10 picks, got " + picks.size());
                }
                if (repeat >= 0) {
                    fits[repeat] = (fitted - started) / 1e9;
                    selects[repeat] = (done - fitted) / 1e9;
                }
            }
            Arrays.sort(fits);
            Arrays.sort(selects);
            double total = fits[1] + selects[1];
            JsonNode peerRow = peer == null ? null : peer[p];
            report.add(String.format(Locale.ROOT, "| %,d | %.3f | %.3f | **%.3f** | %s | %s | %s | %s |", size, fits[1],
                    selects[1], total,
                    peerRow == null ? "—" : String.format(Locale.ROOT, "%.3f", peerRow.get("fit_seconds").asDouble()),
                    peerRow == null ? "—" : String.format(Locale.ROOT, "%.3f", peerRow.get("select_seconds").asDouble()),
                    peerRow == null ? "—" : String.format(Locale.ROOT, "%.3f", peerRow.get("total_seconds").asDouble()),
                    peerRow == null ? "—" : String.format(Locale.ROOT, "%.1f×",
                            peerRow.get("total_seconds").asDouble() / total)));
            System.out.println(report.get(report.size() - 1));
        }
        report.add("");
    }

    private static JsonNode[] peerLatency(Path home) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("mode", "latency").put("seed", LATENCY_SEED)
                .put("observations", 200).put("batch", 10).put("restarts", LATENCY_RESTARTS);
        ArrayNode pools = request.putArray("pools");
        for (int size : POOLS) {
            pools.add(size);
        }
        Path file = Files.createTempFile("planning-peer", ".json");
        JSON.writeValue(file.toFile(), request);
        Process process = peerProcess(home, file);
        if (process == null) {
            return null;
        }
        JsonNode[] rows = new JsonNode[POOLS.length];
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (int p = 0; p < POOLS.length; p++) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                rows[p] = JSON.readTree(line);
            }
        }
        if (process.waitFor() != 0) {
            System.out.println("the peer failed: " + new String(process.getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
            return null;
        }
        return rows;
    }

    private static long[] seeds(Path file) throws Exception {
        return Arrays.stream(Files.readString(file).trim().split(",")).mapToLong(s -> Long.parseLong(s.trim()))
                .toArray();
    }

    /** The Hartmann 6-dimensional test function on the unit cube. */
    static double hartmann6(double[] x) {
        double[] alpha = {1.0, 1.2, 3.0, 3.2};
        double[][] a = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8},
                {17, 8, 0.05, 10, 0.1, 14}};
        double[][] p = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
                {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int k = 0; k < 6; k++) {
                double diff = x[k] - p[i][k] * 1e-4;
                inner += a[i][k] * diff * diff;
            }
            sum += alpha[i] * Math.exp(-inner);
        }
        return sum;
    }
}
