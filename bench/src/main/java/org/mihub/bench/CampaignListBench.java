package org.mihub.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mihub.api.planning.v1.AcquisitionSpec;
import org.mihub.api.planning.v1.Budget;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.DesignSpace;
import org.mihub.api.planning.v1.ExplicitCandidates;
import org.mihub.api.planning.v1.Objective;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.PlanningServiceGrpc;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.launcher.Service;
import org.mihub.launcher.Stack;
import org.mihub.launcher.StackConfig;
import org.mihub.launcher.Tokens;

import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Listing campaigns under load (issue: "listing is slow", target p99 ≤ 50 ms with 1 000 campaigns):
 * stores {@code --campaigns} campaigns of one organisation (each with a batch of proposals, so a
 * listed campaign has progress to count), then sends {@code GET /api/v1/campaigns?limit=50}
 * through the gateway at {@code --rate} requests per second, open loop, after a warm-up at the
 * same rate, and prints the latency percentiles. Writes bench/results/campaign-list.md.
 */
public final class CampaignListBench {

    private CampaignListBench() {
    }

    public static void main(String[] args) throws Exception {
        int campaigns = GatewayBench.intArg(args, "--campaigns=", 1000);
        int rate = GatewayBench.intArg(args, "--rate=", 20);
        int seconds = GatewayBench.intArg(args, "--seconds=", 30);
        int warmUp = GatewayBench.intArg(args, "--warmup=", 30);
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        StackConfig config = new StackConfig(home, home.resolve("bench/target/state-campaigns"), 39080);
        try (Stack stack = Stack.start(config, message -> System.out.println("[bench] " + message))) {
            String token = Tokens.accessToken(config, "alice");
            var channel = ManagedChannelBuilder.forAddress(StackConfig.HOST, config.portOf(Service.PLANNING))
                    .usePlaintext().build();
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            var planning = PlanningServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            long created = System.nanoTime();
            for (int i = 0; i < campaigns; i++) {
                String id = planning.withDeadlineAfter(60, TimeUnit.SECONDS).createCampaign(CreateCampaignRequest
                        .newBuilder().setSpec(spec(i)).build()).getId();
                planning.withDeadlineAfter(60, TimeUnit.SECONDS).proposeBatch(ProposeBatchRequest.newBuilder()
                        .setCampaignId(id).setBatchSize(2).build());
                if ((i + 1) % 100 == 0) {
                    System.out.printf("[bench] %d campaigns stored (%.0f s)%n", i + 1, (System.nanoTime() - created) / 1e9);
                }
            }
            channel.shutdownNow();
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
            var list = GatewayBench.vertxClient(vertx, URI.create(config.gatewayUrl() + "/api/v1/campaigns?limit=50"),
                    token);
            System.out.println("[bench] warming up for " + warmUp + " s");
            GatewayBench.atRate(list, rate, warmUp);
            GatewayBench.Phase phase = GatewayBench.atRate(list, rate, seconds);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<String> lines = new ArrayList<>(List.of(
                    "# Listing campaigns under load",
                    "",
                    "Command: `java -Xmx2g -cp \"$(cat bench/target/classpath.txt):bench/target/classes\" "
                            + "-Dmihub.home=. org.mihub.bench.CampaignListBench " + String.join(" ", args) + "`",
                    "",
                    campaigns + " campaigns of acme (explicit design space of 8 candidates, one batch of 2 proposals "
                            + "each), listed by a member of acme: `GET /api/v1/campaigns?limit=50` through the gateway, "
                            + "open loop at " + rate + " requests/s for " + seconds + " s after a " + warmUp
                            + " s warm-up at the same rate; latency from each request's due time. Target: p99 ≤ 50 ms.",
                    "",
                    "| requests | not 200 | p50 ms | p90 ms | p99 ms | max ms |",
                    "|---|---|---|---|---|---|",
                    String.format("| %d | %d | %.2f | %.2f | %.2f | %.2f |", phase.millis().length, phase.failed(),
                            phase.percentile(50), phase.percentile(90), phase.percentile(99), phase.percentile(100))));
            lines.forEach(System.out::println);
            Path out = home.resolve("bench/results/campaign-list.md");
            Files.write(out, lines);
            System.out.println("[bench] written to " + out);
        }
    }

    /** A small campaign: one objective, eight explicit candidates. */
    private static CampaignSpec spec(int i) {
        var candidates = ExplicitCandidates.newBuilder();
        for (String formula : Arrays.asList("Fe", "Ni", "Co", "FeNi", "FeCo", "NiCo", "Fe3Ni", "FeNi3")) {
            candidates.addCandidates(Candidate.newBuilder().setId(formula).setFormula(formula));
        }
        return CampaignSpec.newBuilder().setName("list bench " + i)
                .addObjectives(Objective.newBuilder().setProperty("hardness")
                        .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE).setUnit("GPa"))
                .setDesignSpace(DesignSpace.newBuilder().setExplicit(candidates))
                .setAcquisition(AcquisitionSpec.newBuilder().setBatchSize(2))
                .setBudget(Budget.newBuilder().setMaxExperiments(8)).setSeed(i).build();
    }
}
