package org.mihub.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.launcher.Service;
import org.mihub.launcher.Stack;
import org.mihub.launcher.StackConfig;
import org.mihub.launcher.Tokens;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The gateway's cost: one read (a dataset by id: token check, gRPC to the catalog, PostgreSQL)
 * through {@code GET /api/v1/datasets/{id}}, next to the same read made directly over gRPC on the
 * catalog with the same token. Open-loop load at a fixed rate from this process (loopback), the
 * latency of each request counted from when it was due, not when it was sent (no coordinated
 * omission); then the highest throughput each path sustains with a fixed number of requests in
 * flight. Both paths run in the same run, one after the other.
 */
public final class GatewayBench {

    private GatewayBench() {
    }

    /** Latencies (ms, sorted) of one phase, and how many requests did not answer 200 / OK. */
    record Phase(double[] millis, int failed, double seconds) {
        Phase {
            millis = millis.clone();
            Arrays.sort(millis);
        }

        double percentile(double p) {
            return percentile(millis, p);
        }

        /** The nearest-rank percentile {@code p} (0–100) of sorted values; NaN when there are none. */
        static double percentile(double[] sorted, double p) {
            return sorted.length == 0 ? Double.NaN
                    : sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1))];
        }

        /** Answers per second that were OK (200 / gRPC OK). */
        double rate() {
            return (millis.length - failed) / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = intArg(args, "--rate=", 1000);
        int seconds = intArg(args, "--seconds=", 20);
        int warmUp = intArg(args, "--warmup=", 60);
        int inFlight = intArg(args, "--in-flight=", 32);
        String client = Arrays.stream(args).filter(arg -> arg.startsWith("--client=")).findFirst()
                .map(arg -> arg.substring("--client=".length())).orElse("vertx");
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        boolean running = Arrays.asList(args).contains("--running");
        // the ceiling measured is the gateway's, not the per-organisation rate limit (2000 req/s by default)
        System.setProperty("mihub.stack.gateway.opts", "-Dmihub.gateway.rate-limit.requests=1000000");
        StackConfig config = running ? new StackConfig(home, home.resolve(".mihub"), intArg(args, "--port=", 8080))
                : new StackConfig(home, home.resolve("bench/target/state"), 38080);
        try (AutoCloseable stack = running ? () -> { } : Stack.start(config,
                message -> System.out.println("[bench] " + message))) {
            String token = Tokens.accessToken(config, "alice");
            ManagedChannel channel = ManagedChannelBuilder.forAddress(StackConfig.HOST, config.portOf(Service.CATALOG))
                    .usePlaintext().build();
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            var grpc = CatalogServiceGrpc.newFutureStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            String dataset = CatalogServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .createDataset(CreateDatasetRequest.newBuilder().setTitle("gateway bench " + Instant.now())
                            .setLicence("CC0-1.0").build()).getId();
            GetDatasetRequest read = GetDatasetRequest.newBuilder().setId(dataset).build();
            URI rest = URI.create(config.gatewayUrl() + "/api/v1/datasets/" + dataset);
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
            Supplier<CompletableFuture<Boolean>> viaGateway = client.equals("jdk") ? jdkClient(rest, token)
                    : vertxClient(vertx, rest, token);
            Supplier<CompletableFuture<Boolean>> direct = () -> {
                CompletableFuture<Boolean> done = new CompletableFuture<>();
                Futures.addCallback(grpc.withDeadlineAfter(10, TimeUnit.SECONDS).getDataset(read),
                        new FutureCallback<>() {
                            @Override
                            public void onSuccess(org.mihub.api.catalog.v1.Dataset result) {
                                done.complete(true);
                            }

                            @Override
                            public void onFailure(Throwable failure) {
                                done.complete(false);
                            }
                        }, MoreExecutors.directExecutor());
                return done;
            };

            // each path is warmed up right before it is measured: the gateway's code path (token checks,
            // JSON, two protocols) needs about a minute of load before the JIT has compiled it, and a
            // shorter warm-up measured the compiler rather than the gateway (p99 120 ms instead of ~10)
            System.out.println("[bench] warming up the REST path for " + warmUp + " s");
            atRate(viaGateway, rate, warmUp);
            Phase restAtRate = atRate(viaGateway, rate, seconds);
            System.out.println("[bench] warming up the gRPC path for " + Math.max(seconds, warmUp / 3) + " s");
            atRate(direct, rate, Math.max(seconds, warmUp / 3));
            Phase grpcAtRate = atRate(direct, rate, seconds);
            Phase restMax = closedLoop(viaGateway, inFlight, seconds);
            Phase grpcMax = closedLoop(direct, inFlight, seconds);
            channel.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            String command = "java -cp \"$(cat bench/target/classpath.txt):bench/target/classes\" -Dmihub.home=. "
                    + "org.mihub.bench.GatewayBench --rate=" + rate + " --seconds=" + seconds + " --warmup=" + warmUp
                    + " --in-flight=" + inFlight + " --client=" + client;
            List<String> lines = new ArrayList<>(List.of(
                    "# Gateway latency and throughput",
                    "",
                    "Command: `mvn -B -q package -DskipTests && " + command + "`",
                    "Run at " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors()
                            + " cores; Keycloak, PostgreSQL, the four services and the load generator on one machine.",
                    "",
                    "Read: one dataset by id as its owner (alice, a real Keycloak token). REST = `GET /api/v1/datasets/{id}`"
                            + " through the gateway (token check, rate limit, gRPC with the relayed token to the"
                            + " catalog, which checks the token again and reads PostgreSQL); gRPC = `GetDataset` sent"
                            + " straight to the catalog with the same token. Load client: "
                            + (client.equals("jdk") ? "the JDK's HttpClient" : "Vert.x's HTTP client (one event loop, "
                            + "keep-alive pool of 64)") + " for REST, grpc-java's async stub for gRPC.",
                    "",
                    "## Open-loop load at " + rate + " requests/s for " + seconds + " s (each path right after its "
                            + "warm-up at the same rate: REST " + warmUp + " s, gRPC " + Math.max(seconds, warmUp / 3)
                            + " s); latency from when each request was due",
                    "",
                    "| path | requests | not OK | OK req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
                    row("REST via gateway", restAtRate),
                    row("gRPC direct", grpcAtRate),
                    "",
                    String.format("Overhead (REST / gRPC): p50 %.2f×, p99 %.2f×. Targets: p99 ≤ 10 ms at 1 k req/s; "
                            + "overhead ≤ 1.5×.", restAtRate.percentile(50) / grpcAtRate.percentile(50),
                            restAtRate.percentile(99) / grpcAtRate.percentile(99)),
                    "",
                    "## Highest sustained throughput: " + inFlight + " requests in flight for " + seconds + " s",
                    "",
                    "| path | requests | not OK | OK req/s | p50 ms | p99 ms |",
                    "|---|---:|---:|---:|---:|---:|",
                    String.format("| REST via gateway | %d | %d | %.0f | %.2f | %.2f |", restMax.millis().length,
                            restMax.failed(), restMax.rate(), restMax.percentile(50), restMax.percentile(99)),
                    String.format("| gRPC direct | %d | %d | %.0f | %.2f | %.2f |", grpcMax.millis().length,
                            grpcMax.failed(), grpcMax.rate(), grpcMax.percentile(50), grpcMax.percentile(99)),
                    "",
                    String.format("Throughput ratio (gRPC / REST): %.2f×.", grpcMax.rate() / restMax.rate()),
                    ""));
            String report = String.join(System.lineSeparator(), lines);
            System.out.println(report);
            Path out = home.resolve("bench/results/gateway.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println("[bench] written to " + out);
        }
    }

    private static String row(String path, Phase phase) {
        return String.format("| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |", path, phase.millis().length,
                phase.failed(), phase.rate(), phase.percentile(50), phase.percentile(90), phase.percentile(99),
                phase.percentile(99.9), phase.percentile(100));
    }

    /** Sends at a fixed rate whatever the answers take; each latency counts from the request's due time. */
    static Phase atRate(Supplier<CompletableFuture<Boolean>> call, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        double[] millis = new double[total];
        AtomicInteger failed = new AtomicInteger();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            pending.add(call.get().thenAccept(ok -> {
                millis[index] = (System.nanoTime() - due) / 1e6;
                if (!ok) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        return new Phase(millis, failed.get(), (System.nanoTime() - start) / 1e9);
    }

    /** Keeps {@code inFlight} requests going for the given time: the throughput the path sustains. */
    private static Phase closedLoop(Supplier<CompletableFuture<Boolean>> call, int inFlight, int seconds)
            throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Double> millis = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        AtomicLong running = new AtomicLong(inFlight);
        CompletableFuture<Void> finished = new CompletableFuture<>();
        for (int i = 0; i < inFlight; i++) {
            loop(call, end, millis, failed, running, finished);
        }
        finished.get(2, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] latencies = new double[millis.size()];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = millis.get(i);
        }
        return new Phase(latencies, failed.get(), elapsed);
    }

    private static void loop(Supplier<CompletableFuture<Boolean>> call, long end, List<Double> millis,
            AtomicInteger failed, AtomicLong running, CompletableFuture<Void> finished) {
        if (System.nanoTime() >= end) {
            if (running.decrementAndGet() == 0) {
                finished.complete(null);
            }
            return;
        }
        long sent = System.nanoTime();
        call.get().thenAcceptAsync(ok -> {
            millis.add((System.nanoTime() - sent) / 1e6);
            if (!ok) {
                failed.incrementAndGet();
            }
            loop(call, end, millis, failed, running, finished);
        });
    }

    /** REST calls with Vert.x's HTTP/1.1 client: one event loop, a keep-alive pool of connections. */
    static Supplier<CompletableFuture<Boolean>> vertxClient(Vertx vertx, URI uri, String token) {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
                .setPort(uri.getPort())
                .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())).putHeader("Authorization", "Bearer " + token)
                .setTimeout(10_000);
        return () -> http.request(request).compose(HttpClientRequest::send)
                .compose(response -> response.body().map(body -> response.statusCode() == 200))
                .toCompletionStage().toCompletableFuture().exceptionally(failure -> false);
    }

    /** REST calls with the JDK's HttpClient (HTTP/1.1): heavier per request than Vert.x's, kept for comparison. */
    private static Supplier<CompletableFuture<Boolean>> jdkClient(URI uri, String token) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build();
        return () -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(reply -> reply.statusCode() == 200).exceptionally(failure -> false);
    }

    static int intArg(String[] args, String prefix, int fallback) {
        return Arrays.stream(args).filter(arg -> arg.startsWith(prefix)).findFirst()
                .map(arg -> Integer.parseInt(arg.substring(prefix.length()))).orElse(fallback);
    }
}
