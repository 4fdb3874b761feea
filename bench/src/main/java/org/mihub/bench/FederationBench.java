package org.mihub.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.common.v1.Visibility;
import org.mihub.launcher.Federation;
import org.mihub.launcher.Folders;
import org.mihub.launcher.Service;
import org.mihub.launcher.StackConfig;
import org.mihub.launcher.Tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * The federation at scale, on a real hub and two institution nodes on this machine ({@link Federation}:
 * one NATS server, one Keycloak, three suites with their own PostgreSQL, ports 39100+):
 * <ol>
 * <li>N materials in total (seeded, {@link CatalogBench#generate}), a third at each suite, each third a
 * CONSORTIUM dataset ingested over the catalog's gRPC stream by the suite's curator;</li>
 * <li>the same element search (Fe and O, all; 50 per page) through the hub's gateway with
 * {@code scope=federation} (three suites asked in parallel) and at acme's gateway locally (acme's
 * third only), side by side, p50 and p99 over 1,000 calls after 200 warm-up calls, as a member of a
 * third organisation (tohoku-lab, consortium realm);</li>
 * <li>card propagation: 200 sharing changes at acme (its catalog's gRPC, committed) each timed until the
 * hub's directory shows the new visibility (polled every 5 ms), p50 and p99;</li>
 * <li>catch-up: with the NATS server stopped, C card changes at acme (sharing changes over 100 small
 * datasets, each ending PUBLIC), then NATS started again: the time until the hub shows every one of
 * the 100 datasets PUBLIC (the stream is ordered per node, so the last change is the last to land).</li>
 * </ol>
 *
 * <p>Run: {@code mvn -B -q package -DskipTests && java -cp "$(cat bench/target/classpath.txt):bench/target/classes"
 * -Dmihub.home=. org.mihub.bench.FederationBench [materials] [changes]}
 */
public final class FederationBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEARCHES = 1000;
    private static final int PROPAGATIONS = 200;
    private static final int CATCH_UP_DATASETS = 100;

    private FederationBench() {
    }

    public static void main(String[] args) throws Exception {
        int materials = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        Federation.Layout layout = new Federation.Layout(home, home.resolve("bench/target/federation-state"), 39100);
        Folders.deleteTree(layout.stateDir());
        // the bench polls and searches far faster than a person: no per-organisation request limit
        System.setProperty("mihub.stack.gateway.opts", "-Dmihub.gateway.rate-limit.requests=1000000");
        String command = "java -cp \"$(cat bench/target/classpath.txt):bench/target/classes\" -Dmihub.home=. "
                + "org.mihub.bench.FederationBench " + materials + " " + changes;
        List<String> report = new ArrayList<>();
        report.add("# Federation: search fan-out, card propagation, catch-up");
        report.add("");
        report.add("Command: `" + command + "`  ");
        report.add("Machine: " + Processes.machine() + "  ");
        try (Federation federation = Federation.start(layout, message -> System.out.println("[bench] " + message))) {
            Map<String, String> curators = Map.of("hub", "carol", "acme", "alice", "kansai-u", "frank");
            int seed = 0;
            for (Federation.Member member : layout.members()) {
                int rows = materials / 3 + (seed == 0 ? materials % 3 : 0);
                String csv = CatalogBench.generate(rows, 20261207L + seed++);
                ManagedChannel channel = channel(layout.suite(member));
                ClientInterceptor curator = new FreshToken(layout.issuer(layout.localRealm(member)),
                        curators.get(member.node())).onEveryCall();
                var catalog = CatalogServiceGrpc.newBlockingStub(channel).withInterceptors(curator);
                String dataset = catalog.createDataset(CreateDatasetRequest.newBuilder()
                        .setTitle(member.node() + ": bench materials").setLicence("CC0-1.0")
                        .setVisibility(Visibility.CONSORTIUM).build()).getId();
                long start = System.nanoTime();
                var result = CatalogBench.ingest(CatalogServiceGrpc.newStub(channel).withInterceptors(curator), dataset, csv);
                System.out.printf("[bench] %s: %,d materials ingested in %.1f s%n", member.node(),
                        result.getRowsWritten(), (System.nanoTime() - start) / 1e9);
                CatalogBench.awaitMaintenance(layout.suite(member), System.nanoTime());
                channel.shutdownNow();
            }

            FreshToken trent = new FreshToken(layout.issuer("consortium"), "trent");
            String query = "/api/v1/materials?elements=Fe,O&match=all&limit=50";
            double[] federated = CatalogBench.time(() -> count(layout.hub().gatewayUrl() + query + "&scope=federation",
                    trent), SEARCHES);
            double[] local = CatalogBench.time(() -> count(layout.member("acme").gatewayUrl() + query, trent), SEARCHES);
            JsonNode sample = get(layout.hub().gatewayUrl() + query + "&scope=federation", trent.get());
            report.add("");
            report.add("## Search: " + String.format("%,d", materials) + " materials, a third at each suite");
            report.add("");
            report.add("| search (elements Fe and O, all; 50 per page) | p50 ms | p99 ms |");
            report.add("|---|---|---|");
            report.add(String.format("| hub, `scope=federation` (hub + acme + kansai-u in parallel) | %.1f | %.1f |",
                    federated[0], federated[1]));
            report.add(String.format("| acme alone, local (the anchor) | %.1f | %.1f |", local[0], local[1]));
            report.add("");
            report.add("Node statuses of a federated answer: `" + sample.path("nodes") + "`");

            // card propagation: one small dataset at acme, its sharing changed and waited for at the hub each time
            ManagedChannel acme = channel(layout.suite(layout.member("acme")));
            var acmeCatalog = CatalogServiceGrpc.newBlockingStub(acme)
                    .withInterceptors(new FreshToken(layout.issuer("acme"), "alice").onEveryCall());
            FreshToken carol = new FreshToken(layout.issuer("consortium"), "carol");
            String probe = acmeCatalog.createDataset(CreateDatasetRequest.newBuilder().setTitle("acme: propagation probe")
                    .setLicence("CC0-1.0").setVisibility(Visibility.CONSORTIUM).build()).getId();
            awaitCard(layout, carol, probe, card -> card != null, Duration.ofSeconds(30));
            double[] propagation = new double[PROPAGATIONS];
            for (int i = 0; i < PROPAGATIONS; i++) {
                Visibility next = i % 2 == 0 ? Visibility.PUBLIC : Visibility.CONSORTIUM;
                long start = System.nanoTime();
                acmeCatalog.updateDatasetSharing(UpdateDatasetSharingRequest.newBuilder().setDatasetId(probe)
                        .setVisibility(next).build());
                String expected = next.name();
                awaitCard(layout, carol, probe, card -> card != null
                        && card.path("visibility").asText().equalsIgnoreCase(expected), Duration.ofSeconds(30));
                propagation[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(propagation);
            report.add("");
            report.add("## Card propagation (commit at acme → visible in the hub's directory)");
            report.add("");
            report.add(String.format("%d sharing changes: p50 %.1f ms, p99 %.1f ms, max %.1f ms (poll interval 5 ms)",
                    PROPAGATIONS, percentile(propagation, 0.50), percentile(propagation, 0.99),
                    propagation[PROPAGATIONS - 1]));

            // catch-up: the stream unreachable during `changes` card changes at acme
            List<String> small = new ArrayList<>();
            for (int i = 0; i < CATCH_UP_DATASETS; i++) {
                small.add(acmeCatalog.createDataset(CreateDatasetRequest.newBuilder().setTitle("acme: catch-up " + i)
                        .setLicence("CC0-1.0").setVisibility(Visibility.CONSORTIUM).build()).getId());
            }
            for (String id : small) {
                awaitCard(layout, carol, id, card -> card != null, Duration.ofSeconds(60));
            }
            federation.stopNats();
            long offline = System.nanoTime();
            int perDataset = Math.max(1, changes / CATCH_UP_DATASETS);
            for (int round = 0; round < perDataset; round++) {
                Visibility next = round % 2 == perDataset % 2 ? Visibility.CONSORTIUM : Visibility.PUBLIC;
                for (String id : small) {
                    acmeCatalog.updateDatasetSharing(UpdateDatasetSharingRequest.newBuilder().setDatasetId(id)
                            .setVisibility(next).build());
                }
            }
            double committing = (System.nanoTime() - offline) / 1e9;
            long back = System.nanoTime();
            federation.startNats();
            for (String id : small) {
                awaitCard(layout, carol, id, card -> card != null && card.path("visibility").asText().equalsIgnoreCase("PUBLIC"),
                        Duration.ofMinutes(10));
            }
            double catchUp = (System.nanoTime() - back) / 1e9;
            acme.shutdownNow();
            report.add("");
            report.add("## Catch-up after the stream was unreachable");
            report.add("");
            report.add(String.format("%,d card changes committed at acme while NATS was stopped (%.1f s to commit); "
                    + "NATS started again: every change at the hub after **%.1f s** (%,.0f changes/s)",
                    perDataset * CATCH_UP_DATASETS, committing, catchUp, perDataset * CATCH_UP_DATASETS / catchUp));
        }
        String text = String.join("\n", report) + "\n";
        System.out.println(text);
        Path results = home.resolve("bench/results");
        Files.createDirectories(results);
        Files.writeString(results.resolve("federation.md"), text);
    }

    /** A demo user's token from a realm, fetched again before it expires (the realm's tokens live 5 minutes). */
    private static final class FreshToken implements Supplier<String> {
        private final String issuer;
        private final String user;
        private String token;
        private long fetched;

        FreshToken(String issuer, String user) {
            this.issuer = issuer;
            this.user = user;
        }

        @Override
        public synchronized String get() {
            if (token == null || System.nanoTime() - fetched > Duration.ofMinutes(4).toNanos()) {
                try {
                    token = Tokens.passwordToken(issuer, user);
                } catch (Exception e) {
                    throw new IllegalStateException("token of " + user + " at " + issuer + ": " + e.getMessage(), e);
                }
                fetched = System.nanoTime();
            }
            return token;
        }

        /** A client interceptor putting the current token on every call. */
        ClientInterceptor onEveryCall() {
            return new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                        Channel next) {
                    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                        @Override
                        public void start(Listener<R> listener, Metadata headers) {
                            headers.put(AUTHORIZATION, "Bearer " + get());
                            super.start(listener, headers);
                        }
                    };
                }
            };
        }
    }

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private static ManagedChannel channel(StackConfig suite) {
        return ManagedChannelBuilder.forAddress(StackConfig.HOST, suite.portOf(Service.CATALOG)).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    /** Polls the hub's directory every 5 ms until the dataset's card (null: none) satisfies {@code until}. */
    private static void awaitCard(Federation.Layout layout, Supplier<String> token, String datasetId, Predicate<JsonNode> until,
            Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String url = layout.hub().gatewayUrl() + "/api/v1/federation/cards?node=acme&limit=200";
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            seen.clear();
            String cursor = null;
            do {
                JsonNode page = get(url + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                        token.get());
                page.path("cards").forEach(card -> seen.put(card.path("datasetId").asText(), card));
                cursor = page.path("nextCursor").isTextual() && !page.path("nextCursor").asText().isEmpty()
                        ? page.path("nextCursor").asText() : null;
            } while (cursor != null && !seen.containsKey(datasetId));
            if (until.test(seen.get(datasetId))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the hub's card of " + datasetId + " did not change as expected within " + limit);
    }

    private static int count(String url, Supplier<String> token) {
        try {
            return get(url, token.get()).path("materials").size();
        } catch (Exception e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + reply.statusCode() + " from " + url + ": " + reply.body());
        }
        return JSON.readTree(reply.body());
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
