package org.mihub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.mihub.launcher.Folders;
import org.mihub.launcher.Stack;
import org.mihub.launcher.StackConfig;
import org.mihub.launcher.Tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The soak of issue 23: mixed load at a fixed total rate for minutes (10 by default) through the
 * gateway's REST API with real Keycloak tokens of three organisations: material searches, small
 * CSV uploads into datasets, batch predictions on a model trained at set-up, the campaign ask/tell
 * loop (a batch proposed, its results reported at once) and OPTIMADE queries. Open loop: the
 * operations are due at fixed times whatever the answers take, and each latency counts from its
 * due time, so a stall shows as latency and not as a lower rate. Every answer that is not 2xx is
 * counted by status, and the first 5xx bodies are kept. Each JVM of the suite (and PostgreSQL) is
 * measured at start and end: resident memory, heap, CPU time. Writes bench/results/soak.md.
 */
public final class SoakBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every latency is measured from its due time; an answer later than this is counted as none. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** Access tokens live 300 s in the realm: each is fetched again this often. */
    private static final Duration TOKEN_REFRESH = Duration.ofSeconds(60);
    private static final long SEED = 20261207L;
    /** The lock the project's builds take ({@code flock}); the soak is run holding it, so that no build shares the cores. */
    private static final Path BUILD_LOCK = Path.of("/tmp/mihub-maven.lock");
    private static final int ROWS_PER_UPLOAD = 10;
    private static final int FORMULAS_PER_PREDICTION = 20;
    private static final int BATCH_SIZE = 2;
    private static final int ASKS_PER_CAMPAIGN = 30;
    /** Set-up users: contributors of acme, kansai-u and hub write; members of each read. */
    private static final List<String> WRITERS = List.of("alice", "bob", "carol");
    private static final List<String> CAMPAIGNERS = List.of("alice", "frank", "carol");
    private static final List<String> READERS = List.of("dave", "grace", "erin", "alice", "bob", "carol");
    private static final String[] ELEMENTS = {"Fe", "Ni", "Co", "Cr", "Al", "Ti", "Cu", "Zn", "Ga", "As", "Si", "O",
        "N", "S", "Mg"};
    /** A made-up band gap contribution per element of {@link #ELEMENTS} (eV): training data needs a signal. */
    private static final double[] GAP_WEIGHT = {0.1, 0.2, 0.15, 0.3, 1.2, 0.9, 0.1, 1.5, 1.3, 1.1, 1.0, 3.5,
        3.0, 2.2, 2.8};
    private static final List<String> SEARCHES = List.of(
            "elements=Fe,O&match=all&limit=20",
            "elements=Ga,As&match=any&limit=20",
            "property=band_gap&min=1&max=2&unit=eV&limit=20",
            "nelements=3&sort=-band_gap&limit=20",
            "elements=Ni,Co,Fe,Cr&match=only&limit=20");
    private static final List<String> OPTIMADE_FILTERS = List.of(
            "elements HAS ALL \"Fe\",\"O\"",
            "nelements=2",
            "_mihub_band_gap >= 1.0 AND _mihub_band_gap <= 2.0",
            "elements HAS ANY \"Ga\",\"As\" AND nelements<=3",
            "chemical_formula_reduced=\"Fe2O3\"");

    /** What the load does, in report order; every report follows the proposal it answers. */
    enum Kind {
        SEARCH("search", "`GET /api/v1/materials` (" + SEARCHES.size() + " queries in turn)"),
        INGEST("ingest", "`POST /api/v1/datasets/{id}/records`, a " + ROWS_PER_UPLOAD + "-row CSV"),
        PREDICT("predict", "`POST /api/v1/models/{id}/predict`, " + FORMULAS_PER_PREDICTION + " formulas"),
        PROPOSE("propose", "`POST /api/v1/campaigns/{id}/proposals`, a batch of " + BATCH_SIZE),
        REPORT("report", "`POST /api/v1/campaigns/{id}/results` for that batch, sent when it arrives"),
        OPTIMADE("optimade", "`GET /optimade/v1/structures?filter=` (" + OPTIMADE_FILTERS.size() + " filters)");

        final String label;
        final String what;

        Kind(String label, String what) {
            this.label = label;
            this.what = what;
        }
    }

    /**
     * The mix of scheduled operations: one deck of 20, shuffled once with the seed and dealt in a
     * loop. Reports are not scheduled: each follows its proposal.
     */
    private static final Map<Kind, Integer> MIX = new EnumMap<>(Map.of(Kind.SEARCH, 7, Kind.OPTIMADE, 4,
            Kind.PREDICT, 4, Kind.INGEST, 3, Kind.PROPOSE, 2));

    /**
     * An answer: HTTP status (0 when none came; negated for a 2xx whose body is not what was asked
     * for) and body (or why none came).
     */
    record Reply(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String label() {
            return status == 0 ? "no answer" : status < 0 ? -status + " unreadable" : Integer.toString(status);
        }
    }

    /** Latencies and failures of one kind, filled from the event loop and the scheduler. */
    static final class Tally {
        private final List<Double> millis = new ArrayList<>();
        private final Map<String, Integer> errors = new TreeMap<>();

        synchronized void add(double ms, Reply reply) {
            millis.add(ms);
            if (!reply.ok()) {
                errors.merge(reply.label(), 1, Integer::sum);
            }
        }

        synchronized double[] sorted() {
            return millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }

        synchronized int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }

        synchronized String errorsByStatus() {
            return errors.isEmpty() ? "—" : errors.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    /** One campaign of the loop: its owner and the tail of its chain (one ask/tell at a time). */
    static final class Campaign {
        final String id;
        final String owner;
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        Campaign(String id, String owner) {
            this.id = id;
            this.owner = owner;
        }
    }

    /** The options: {@code --minutes=10 --rate=12}, {@code --running [--port=8080]}. */
    record Options(double minutes, int rate, boolean running, int port) {
        static Options parse(String[] args) {
            double minutes = 10;
            int rate = 12;
            boolean running = false;
            int port = 8080;
            for (String arg : args) {
                if (arg.startsWith("--minutes=")) {
                    minutes = Double.parseDouble(arg.substring("--minutes=".length()));
                } else if (arg.startsWith("--rate=")) {
                    rate = Integer.parseInt(arg.substring("--rate=".length()));
                } else if (arg.equals("--running")) {
                    running = true;
                } else if (arg.startsWith("--port=")) {
                    port = Integer.parseInt(arg.substring("--port=".length()));
                } else {
                    throw new IllegalArgumentException("unknown option '" + arg
                            + "'; options: --minutes=M (default 10), --rate=N operations/s (default 12), "
                            + "--running [--port=P] (a suite started with ./mihub up)");
                }
            }
            if (!(minutes > 0) || rate < 1) {
                throw new IllegalArgumentException("--minutes must be above 0 and --rate at least 1");
            }
            return new Options(minutes, rate, running, port);
        }
    }

    private final Options options;
    private final StackConfig config;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokenFailures = new AtomicInteger();
    private final Map<Kind, Tally> tallies = new EnumMap<>(Kind.class);
    private final List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> otherErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger emptyBatches = new AtomicInteger();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private HttpClient http;
    private long start;
    private String model;
    private final Map<String, String> uploadDatasets = new LinkedHashMap<>();
    private final List<Campaign> campaigns = new ArrayList<>();

    private SoakBench(Options options, StackConfig config) {
        this.options = options;
        this.config = config;
        for (Kind kind : Kind.values()) {
            tallies.put(kind, new Tally());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        StackConfig config = options.running() ? new StackConfig(home, home.resolve(".mihub"), options.port())
                : new StackConfig(home, home.resolve("bench/target/state-soak"), 36080);
        if (!options.running()) {
            // fresh databases each run, so that two runs start from the same data; Keycloak's realm is kept
            Folders.deleteTree(config.stateDir().resolve("pgdata"));
        }
        Stack stack = options.running() ? null : Stack.start(config, message -> System.out.println("[soak] " + message));
        try {
            List<String> described = options.running() ? Files.readAllLines(config.run().resolve("ready"))
                    : stack.describe();
            new SoakBench(options, config).run(home, Processes.fromDescription(described, config));
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    private void run(Path home, List<Processes.Named> processes) throws Exception {
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "soak-tokens");
            thread.setDaemon(true);
            return thread;
        });
        Set<String> users = new java.util.TreeSet<>();
        users.addAll(WRITERS);
        users.addAll(CAMPAIGNERS);
        users.addAll(READERS);
        for (String user : users) {
            tokens.put(user, Tokens.accessToken(config, user));
        }
        refresher.scheduleAtFixedRate(() -> {
            for (String user : users) {
                try {
                    tokens.put(user, Tokens.accessToken(config, user));
                } catch (IOException | RuntimeException e) {
                    tokenFailures.incrementAndGet();
                    System.out.println("[soak] token for " + user + " not renewed: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, TOKEN_REFRESH.toSeconds(), TOKEN_REFRESH.toSeconds(), TimeUnit.SECONDS);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(128)
                .setDefaultHost(StackConfig.HOST).setDefaultPort(config.gatewayPort()));
        long setUp = System.nanoTime();
        setUp();
        System.out.printf("[soak] set-up done in %.0f s: model %s, %d upload datasets, %d campaigns%n",
                (System.nanoTime() - setUp) / 1e9, model, uploadDatasets.size(), campaigns.size());

        long clockTicks = Processes.clockTicks();
        List<Processes.Sample> before = Processes.sample(processes, clockTicks);
        String loadBefore = Processes.loadAverage();
        Optional<Boolean> lockedBefore = Processes.lockHeld(BUILD_LOCK);
        double generatorBefore = Processes.ownCpuSeconds();
        long seconds = Math.round(options.minutes() * 60);
        System.out.printf("[soak] load: %d operations/s for %d s%n", options.rate(), seconds);
        LoadResult load = drive(seconds);
        double generatorCpu = Processes.ownCpuSeconds() - generatorBefore;
        Optional<Boolean> lockedAfter = Processes.lockHeld(BUILD_LOCK);
        String loadAfter = Processes.loadAverage();
        List<Processes.Sample> after = Processes.sample(processes, clockTicks);
        refresher.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        String lock = lockedBefore.isEmpty() || lockedAfter.isEmpty() ? "could not be checked"
                : lockedBefore.get() && lockedAfter.get() ? "was held at the start and at the end of the load"
                : "was **not** held throughout (start: " + (lockedBefore.get() ? "held" : "free") + ", end: "
                        + (lockedAfter.get() ? "held" : "free") + "): builds may have shared the cores";
        List<String> lines = report(load, seconds, processes, before, after, loadBefore, loadAfter, lock,
                generatorCpu);
        lines.forEach(System.out::println);
        Path out = home.resolve("bench/results/soak.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        System.out.println("[soak] written to " + out);
    }

    // ---------------------------------------------------------------------------------------------
    // Set-up (not measured): a training dataset and a model, one upload dataset per writer, campaigns

    private void setUp() throws Exception {
        Random random = new Random(SEED);
        String training = createDataset("alice", "soak training " + run, "consortium");
        StringBuilder csv = new StringBuilder("formula,sample_id,band_gap [eV]\n");
        for (int i = 0; i < 200; i++) {
            String formula = formula(random);
            csv.append(formula).append(",train-").append(i).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", bandGap(formula, random))).append('\n');
        }
        expect(200, blocking(HttpMethod.POST, "/api/v1/datasets/" + training + "/records", "alice", "text/csv",
                csv.toString()), "training data");
        Reply started = expect(202, blocking(HttpMethod.POST, "/api/v1/models", "alice", "application/json",
                "{\"name\": \"soak-gap-" + run + "\", \"datasets\": [{\"datasetId\": \"" + training + "\"}], "
                        + "\"targetProperty\": \"band_gap\", \"hyperparameters\": {\"nTrees\": 100}, \"seed\": 7, "
                        + "\"kFolds\": 3}"), "training");
        String job = JSON.readTree(started.body()).get("id").asText();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            JsonNode state = JSON.readTree(expect(200, blocking(HttpMethod.GET, "/api/v1/jobs/" + job, "alice", null,
                    null), "training job").body());
            String value = state.get("state").asText();
            if (value.equals("succeeded")) {
                model = state.get("resultId").asText();
                break;
            }
            if (!value.equals("queued") && !value.equals("running") || System.nanoTime() > deadline) {
                throw new IllegalStateException("training did not succeed: " + state);
            }
            Thread.sleep(500);
        }
        List<String> visibilities = List.of("consortium", "private", "public");
        for (int i = 0; i < WRITERS.size(); i++) {
            String writer = WRITERS.get(i);
            uploadDatasets.put(writer, createDataset(writer, "soak uploads of " + writer + " " + run,
                    visibilities.get(i)));
        }
        for (int round = 0; round < campaignsPerOwner(); round++) {
            for (String owner : CAMPAIGNERS) {
                Reply created = expect(201, blocking(HttpMethod.POST, "/api/v1/campaigns", owner, "application/json",
                        campaignSpec(owner + " " + round, campaigns.size())), "campaign");
                campaigns.add(new Campaign(JSON.readTree(created.body()).get("id").asText(), owner));
            }
        }
    }

    /**
     * Enough campaigns that each gets about {@link #ASKS_PER_CAMPAIGN} asks over the run (at least
     * two per owner): a campaign's planning cost grows with its observations, and a soak should
     * measure the same work per ask whatever its length, not one campaign growing without end.
     */
    private int campaignsPerOwner() {
        double asks = options.rate() * options.minutes() * 60 * MIX.get(Kind.PROPOSE) / 20.0;
        return Math.max(2, (int) Math.ceil(asks / ASKS_PER_CAMPAIGN / CAMPAIGNERS.size()));
    }

    private String createDataset(String owner, String title, String visibility) throws Exception {
        Reply created = expect(201, blocking(HttpMethod.POST, "/api/v1/datasets", owner, "application/json",
                "{\"title\": \"" + title + "\", \"licence\": \"CC0-1.0\", \"visibility\": \"" + visibility + "\"}"),
                "dataset " + title);
        return JSON.readTree(created.body()).get("id").asText();
    }

    /** A four-element alloy space on a 0.05 grid (1 771 compositions), hardness maximised, a large budget. */
    private static String campaignSpec(String name, int seed) {
        return "{\"spec\": {\"name\": \"soak " + name + "\", \"objectives\": [{\"property\": \"hardness\", "
                + "\"direction\": \"maximise\", \"unit\": \"GPa\"}], \"designSpace\": {\"composition\": "
                + "{\"elements\": [{\"element\": \"Fe\", \"maxFraction\": 1}, {\"element\": \"Ni\", \"maxFraction\": 1}, "
                + "{\"element\": \"Co\", \"maxFraction\": 1}, {\"element\": \"Cr\", \"maxFraction\": 1}], "
                + "\"step\": 0.05}}, \"budget\": {\"maxExperiments\": 1500}, \"acquisition\": {\"batchSize\": "
                + BATCH_SIZE + "}, \"seed\": " + (seed + 1) + "}}";
    }

    /** The lab's "measurement": a smooth made-up hardness of the composition plus seeded noise (GPa). */
    private static double hardness(JsonNode composition, Random noise) {
        double fe = composition.path("Fe").asDouble();
        double ni = composition.path("Ni").asDouble();
        double co = composition.path("Co").asDouble();
        double cr = composition.path("Cr").asDouble();
        return 1.5 + 4 * fe * ni + 2.5 * cr * (1 - cr) + 1.2 * co * fe - 0.8 * ni * ni + 0.05 * noise.nextGaussian();
    }

    private static String formula(Random random) {
        int n = 2 + random.nextInt(2);
        List<String> elements = new ArrayList<>(Arrays.asList(ELEMENTS));
        Collections.shuffle(elements, random);
        StringBuilder formula = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int amount = 1 + random.nextInt(4);
            formula.append(elements.get(i)).append(amount == 1 ? "" : Integer.toString(amount));
        }
        return formula.toString();
    }

    /** A made-up band gap: weighted mean of the elements' contributions, spread by their range, plus noise. */
    private static double bandGap(String formula, Random random) {
        var matcher = java.util.regex.Pattern.compile("([A-Z][a-z]?)(\\d*)").matcher(formula);
        double sum = 0;
        double total = 0;
        double low = Double.MAX_VALUE;
        double high = 0;
        while (matcher.find()) {
            double weight = GAP_WEIGHT[Arrays.asList(ELEMENTS).indexOf(matcher.group(1))];
            int amount = matcher.group(2).isEmpty() ? 1 : Integer.parseInt(matcher.group(2));
            sum += weight * amount;
            total += amount;
            low = Math.min(low, weight);
            high = Math.max(high, weight);
        }
        return Math.max(0, sum / total + 0.3 * (high - low) + 0.1 * random.nextGaussian());
    }

    // ---------------------------------------------------------------------------------------------
    // The load

    record LoadResult(int scheduled, int unanswered, double seconds, double maxLagMillis, double p99LagMillis) {
    }

    private LoadResult drive(long seconds) throws Exception {
        List<Kind> deck = new ArrayList<>();
        MIX.forEach((kind, count) -> deck.addAll(Collections.nCopies(count, kind)));
        Collections.shuffle(deck, new Random(SEED));
        int total = Math.toIntExact(options.rate() * seconds);
        long period = 1_000_000_000L / options.rate();
        double[] lag = new double[total];
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        Map<Kind, Integer> dealt = new EnumMap<>(Kind.class);
        start = System.nanoTime();
        long progress = start;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            lag[i] = (System.nanoTime() - due) / 1e6;
            Kind kind = deck.get(i % deck.size());
            int n = dealt.merge(kind, 1, Integer::sum) - 1;
            pending.add(dispatch(kind, n, i, due));
            if (System.nanoTime() - progress > TimeUnit.SECONDS.toNanos(60)) {
                progress = System.nanoTime();
                System.out.printf("[soak] %.0f s: %s%n", (progress - start) / 1e9, tallies.entrySet().stream()
                        .map(e -> e.getKey().label + " " + e.getValue().sorted().length + " (" + e.getValue()
                                .errorCount() + " errors)").collect(Collectors.joining(", ")));
            }
        }
        // what is still running gets twice the request timeout (an ask may wait for its campaign first)
        long deadline = System.nanoTime() + 2 * REQUEST_TIMEOUT.toNanos();
        int unanswered = 0;
        for (CompletableFuture<?> call : pending) {
            try {
                call.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                unanswered++;
            } catch (ExecutionException e) {
                // the bench's own fault, not an answer: said, and the operation counted as unanswered
                System.out.println("[soak] an operation failed in the bench: " + e.getCause());
                unanswered++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(lag);
        return new LoadResult(total, unanswered, elapsed, lag[lag.length - 1],
                GatewayBench.Phase.percentile(lag, 99));
    }

    private CompletableFuture<?> dispatch(Kind kind, int n, int i, long due) {
        Random random = new Random(SEED + i);
        return switch (kind) {
            case SEARCH -> measure(kind, due, call(HttpMethod.GET, "/api/v1/materials?" + SEARCHES.get(n
                    % SEARCHES.size()), READERS.get(n % READERS.size()), null, null));
            case OPTIMADE -> {
                // every fourth query is anonymous (PUBLIC data only), the others with a member's token
                String user = n % 4 == 3 ? null : READERS.get(n % READERS.size());
                yield measure(kind, due, call(HttpMethod.GET, "/optimade/v1/structures?page_limit=20&filter="
                        + URLEncoder.encode(OPTIMADE_FILTERS.get(n % OPTIMADE_FILTERS.size()), StandardCharsets.UTF_8)
                        .replace("+", "%20"), user, null, null));
            }
            case PREDICT -> {
                ArrayNode formulas = JSON.createArrayNode();
                for (int k = 0; k < FORMULAS_PER_PREDICTION; k++) {
                    formulas.add(formula(random));
                }
                ObjectNode body = JSON.createObjectNode().set("formulas", formulas);
                yield measure(kind, due, call(HttpMethod.POST, "/api/v1/models/" + model + "/predict",
                        READERS.get(n % READERS.size()), "application/json", body.toString()));
            }
            case INGEST -> {
                String writer = WRITERS.get(n % WRITERS.size());
                StringBuilder csv = new StringBuilder("formula,sample_id,band_gap [eV]\n");
                for (int k = 0; k < ROWS_PER_UPLOAD; k++) {
                    String formula = formula(random);
                    csv.append(formula).append(",soak-").append(run).append('-').append(n).append('-').append(k)
                            .append(',').append(String.format(Locale.ROOT, "%.3f", bandGap(formula, random)))
                            .append('\n');
                }
                yield measure(kind, due, call(HttpMethod.POST, "/api/v1/datasets/" + uploadDatasets.get(writer)
                        + "/records", writer, "text/csv", csv.toString()));
            }
            case PROPOSE -> askAndTell(campaigns.get(n % campaigns.size()), n, due, random);
            case REPORT -> throw new IllegalArgumentException("reports follow their proposals");
        };
    }

    /**
     * One ask/tell on a campaign: the batch is asked for when due, or when the campaign's previous
     * ask/tell has ended (one at a time per campaign, as a lab works; the wait counts as latency),
     * and its results are reported as soon as it arrives (the report's latency counts from then).
     */
    private CompletableFuture<Void> askAndTell(Campaign campaign, int n, long due, Random random) {
        CompletableFuture<Void> done = campaign.tail.thenCompose(ignored -> call(HttpMethod.POST, "/api/v1/campaigns/"
                + campaign.id + "/proposals", campaign.owner, "application/json",
                "{\"batchSize\": " + BATCH_SIZE + ", \"requestId\": \"soak-" + run + "-" + n + "\"}"))
                .thenCompose(answer -> {
                    ArrayNode results = JSON.createArrayNode();
                    Reply proposed = answer;
                    if (answer.ok()) {
                        try {
                            for (JsonNode proposal : JSON.readTree(answer.body()).path("proposals")) {
                                JsonNode composition = proposal.at("/candidate/composition");
                                if (!composition.isObject() || composition.isEmpty()) {
                                    throw new IOException("a proposal without a composition");
                                }
                                ObjectNode value = JSON.createObjectNode().put("property", "hardness");
                                value.putObject("value").put("value", hardness(composition, random)).put("unit", "GPa");
                                ObjectNode result = results.addObject().put("proposalId", proposal.get("id").asText());
                                result.putObject("measured").putArray("values").add(value);
                            }
                        } catch (IOException | RuntimeException e) {
                            // a 2xx that is not a batch of proposals is a failure too, and counted as one
                            proposed = new Reply(-answer.status(), e.getMessage() + ": " + answer.body());
                        }
                    }
                    record(Kind.PROPOSE, due, proposed);
                    if (!proposed.ok()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (results.isEmpty()) {
                        emptyBatches.incrementAndGet();
                        return CompletableFuture.completedFuture(null);
                    }
                    long told = System.nanoTime();
                    ObjectNode body = JSON.createObjectNode().set("results", results);
                    return call(HttpMethod.POST, "/api/v1/campaigns/" + campaign.id + "/results", campaign.owner,
                            "application/json", body.toString()).thenAccept(reply -> record(Kind.REPORT, told, reply));
                });
        campaign.tail = done.exceptionally(failure -> null);
        return done;
    }

    private CompletableFuture<Void> measure(Kind kind, long due, CompletableFuture<Reply> call) {
        return call.thenAccept(reply -> record(kind, due, reply));
    }

    private void record(Kind kind, long due, Reply reply) {
        double millis = (System.nanoTime() - due) / 1e6;
        tallies.get(kind).add(millis, reply);
        if (!reply.ok()) {
            List<String> kept = reply.status() >= 500 ? serverErrors : otherErrors;
            if (kept.size() < 10) {
                String body = reply.body().length() > 600 ? reply.body().substring(0, 600) + "…" : reply.body();
                kept.add(String.format(Locale.ROOT, "%s due at %.1f s: %s after %.0f ms: `%s`", kind.label,
                        (due - start) / 1e9, reply.label(), millis, body.replace('\n', ' ').replace('`', '\'')));
            }
        }
    }

    /** One request through the gateway with the user's current token (none for {@code null}); never fails. */
    private CompletableFuture<Reply> call(HttpMethod method, String uri, String user, String contentType,
            String body) {
        RequestOptions request = new RequestOptions().setMethod(method).setURI(uri)
                .setTimeout(REQUEST_TIMEOUT.toMillis());
        if (user != null) {
            request.putHeader("Authorization", "Bearer " + tokens.get(user));
        }
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        return http.request(request)
                .compose(sent -> body == null ? sent.send() : sent.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(answer -> new Reply(response.statusCode(), answer.toString())))
                .toCompletionStage().toCompletableFuture()
                .exceptionally(failure -> new Reply(0, failure.getClass().getSimpleName() + ": " + failure.getMessage()));
    }

    private Reply blocking(HttpMethod method, String uri, String user, String contentType, String body)
            throws Exception {
        return call(method, uri, user, contentType, body).get(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private static Reply expect(int status, Reply reply, String what) {
        if (reply.status() != status) {
            throw new IllegalStateException("set-up (" + what + "): HTTP " + reply.status() + ": " + reply.body());
        }
        return reply;
    }

    // ---------------------------------------------------------------------------------------------
    // The report

    private List<String> report(LoadResult load, long seconds, List<Processes.Named> processes,
            List<Processes.Sample> before, List<Processes.Sample> after, String loadBefore, String loadAfter,
            String lock, double generatorCpu) {
        String args = "--minutes=" + (options.minutes() == Math.rint(options.minutes())
                ? Long.toString((long) options.minutes()) : Double.toString(options.minutes()))
                + " --rate=" + options.rate() + (options.running() ? " --running --port=" + options.port() : "");
        List<String> lines = new ArrayList<>(List.of(
                "# Soak: mixed load at a fixed rate",
                "",
                "Command: `flock " + BUILD_LOCK + " bench/soak " + args + "` after `mvn -B -q package -DskipTests`"
                        + " (the script runs `java -Xmx1g -cp \"$(cat bench/target/classpath.txt):bench/target/classes\""
                        + " -Dmihub.home=. org.mihub.bench.SoakBench " + args + "`). The lock that every build on "
                        + "this machine takes, " + BUILD_LOCK + ", " + lock + ".",
                "",
                "Run at " + Instant.now() + " on " + Processes.machine() + "; Keycloak, PostgreSQL, the four services"
                        + " and the load generator on this one machine" + (options.running() ? " (a suite started "
                        + "with `./mihub up`)" : " (a fresh suite started by the bench on ports " + config.gatewayPort()
                        + "+, fresh databases)") + ". Load average (1, 5, 15 min) before: " + loadBefore
                        + "; after: " + loadAfter + ".",
                "",
                "Load: open loop, " + options.rate() + " operations per second for " + seconds + " s, all through the"
                        + " gateway's REST API with real Keycloak tokens of acme, kansai-u and hub users (members read,"
                        + " contributors write; every fourth OPTIMADE query anonymous). Operations are dealt from a "
                        + "seeded deck of 20: " + MIX.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label)
                        .collect(Collectors.joining(", ")) + "; each proposal is followed by the report of its results"
                        + " (so HTTP requests run at about " + String.format(Locale.ROOT, "%.1f", options.rate()
                        * (1 + MIX.get(Kind.PROPOSE) / 20.0)) + " per second). Each latency counts from when the "
                        + "request was due (a report: from when its batch arrived); a campaign takes one ask/tell at "
                        + "a time, so an ask due while its campaign is busy waits, and the wait counts. Percentiles "
                        + "cover every request, failed ones included; a request unanswered after "
                        + REQUEST_TIMEOUT.toSeconds() + " s counts as \"no answer\".",
                "",
                "Set-up, not measured: 200 training rows (consortium) and a random forest (100 trees, 3 folds) "
                        + "trained by alice; one upload dataset per writer (alice consortium, bob private, carol "
                        + "public); " + campaigns.size() + " campaigns (alice, frank and carol, " + campaigns.size()
                        / CAMPAIGNERS.size() + " each: about " + Math.round(options.rate() * seconds * MIX.get(Kind.PROPOSE) / 20.0
                        / campaigns.size()) + " asks per campaign in the run) over "
                        + "Fe-Ni-Co-Cr on a 0.05 grid (1 771 compositions), hardness maximised, batches of "
                        + BATCH_SIZE + "; the reported hardness is a smooth made-up function of the composition "
                        + "plus seeded noise.",
                "",
                "| kind | what | requests | errors | errors by status | p50 ms | p99 ms | max ms |",
                "|---|---|---:|---:|---|---:|---:|---:|"));
        int requests = 0;
        int errors = 0;
        for (Kind kind : Kind.values()) {
            Tally tally = tallies.get(kind);
            double[] millis = tally.sorted();
            requests += millis.length;
            errors += tally.errorCount();
            lines.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %.1f | %.1f | %.1f |", kind.label, kind.what,
                    millis.length, tally.errorCount(), tally.errorsByStatus(),
                    GatewayBench.Phase.percentile(millis, 50), GatewayBench.Phase.percentile(millis, 99),
                    GatewayBench.Phase.percentile(millis, 100)));
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Overall: %d operations scheduled (%d/s), %d requests answered in %.0f s: "
                + "%.2f requests/s achieved, %d errors (%.2f %%), %d operations without an answer when the run "
                + "ended; %d empty batches; %d token renewals failed. The load generator sent each request within "
                + "%.1f ms of its due time (p99; max %.1f ms).", load.scheduled(), options.rate(), requests,
                load.seconds(), requests / load.seconds(), errors, 100.0 * errors / Math.max(1, requests),
                load.unanswered(), emptyBatches.get(), tokenFailures.get(), load.p99LagMillis(), load.maxLagMillis()));
        lines.add("");
        lines.add("## 5xx answers (first " + serverErrors.size() + ")");
        lines.add("");
        if (serverErrors.isEmpty()) {
            lines.add("None.");
        } else {
            serverErrors.forEach(error -> lines.add("- " + error));
        }
        lines.add("");
        lines.add("## Other failures (first " + otherErrors.size() + ")");
        lines.add("");
        if (otherErrors.isEmpty()) {
            lines.add("None.");
        } else {
            otherErrors.forEach(error -> lines.add("- " + error));
        }
        lines.add("");
        lines.addAll(Processes.table(processes, before, after, load.seconds(), generatorCpu));
        return lines;
    }


}
