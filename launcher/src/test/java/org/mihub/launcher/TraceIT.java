package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Traces end to end: the services export to {@link TraceCollector} (OTLP/HTTP, as to an operator's
 * collector), and one search through the gateway is one trace, from the gateway's REST span through
 * the gRPC hop to the catalog and its SQL, and one training request is one trace through gateway,
 * prediction and the catalog it reads the data from; the services' spans are tagged with the caller's
 * organisation and never with the token. The training job is then counted on prediction's metrics.
 */
@ExtendWith(RunningSuite.class)
class TraceIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Waits until the gateway's REST requests are traced. Known defect, cause not found yet: in some
     * runs, from some point on (after hundreds of traced requests), the gateway's REST requests make
     * no server span any more (its outgoing gRPC calls are still traced, each as a trace of its own);
     * a restart clears it. The gateway is restarted at most three times, each restart printed with what was
     * received; a gateway that still does not trace fails the test.
     */
    @BeforeAll
    static void tracingIsUp() throws Exception {
        for (int restarts = 0; ; restarts++) {
            if (gatewayTraces(Duration.ofSeconds(15))) {
                System.out.println("[trace] the gateway traces its requests after " + restarts + " restart(s)");
                return;
            }
            String seen = RunningSuite.traces().count() + " spans received in all: " + RunningSuite.traces().census()
                    + "\nthe gateway's last ones:\n" + RunningSuite.traces().last("gateway", 5);
            if (restarts == 3) {
                throw new AssertionError("after 3 restarts the gateway still sent no span of a traced request; "
                        + seen);
            }
            System.out.println("[trace] the gateway sent no span of a traced request (known defect); restarting it. "
                    + seen);
            RunningSuite.stack().restart(Service.GATEWAY);
        }
    }

    private static boolean gatewayTraces(Duration within) throws Exception {
        String token = Tokens.accessToken(RunningSuite.config(), "alice");
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Traced probe = send(token, "GET", "/api/v1/properties", null);
            for (int wait = 0; wait < 10; wait++) {
                Thread.sleep(300);
                if (RunningSuite.traces().trace(probe.traceId()).stream()
                        .anyMatch(span -> span.service().equals("gateway"))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void oneSearchIsOneTraceAcrossGatewayCatalogAndDatabase() throws Exception {
        String token = Tokens.accessToken(RunningSuite.config(), "alice");
        Traced search = send(token, "GET", "/api/v1/materials?dataset=" + RunningSuite.demoDatasetId()
                + "&elements=Ga&limit=5", null);
        assertEquals(200, search.reply().statusCode(), search.reply().body());

        List<TraceCollector.Span> trace = awaitTrace(search.traceId(), Set.of("gateway", "catalog-service"));
        String printed = oneTree(trace, search.caller(), "one search");
        assertEquals("acme", server(trace, "gateway").attributes().get("mihub.org"), printed);
        assertEquals("acme", grpc(trace, "catalog-service", "mihub.catalog.v1.CatalogService/SearchMaterials")
                .attributes().get("mihub.org"), printed);
        assertTrue(trace.stream().anyMatch(span -> span.service().equals("catalog-service")
                && "postgresql".equals(span.attributes().getOrDefault("db.system.name",
                        span.attributes().get("db.system")))), "the catalog's SQL is in the trace\n" + printed);
        String secret = token.substring(token.lastIndexOf('.') + 1);
        assertFalse(RunningSuite.traces().allAttributeValues().stream().anyMatch(value -> value.contains(secret)
                || value.contains("Bearer")), "no span of the whole run carries a token");
    }

    @Test
    void aTrainingRequestIsOneTraceThroughGatewayPredictionAndCatalogAndItsJobIsCounted() throws Exception {
        String token = Tokens.accessToken(RunningSuite.config(), "alice");
        Traced train = send(token, "POST", "/api/v1/models", "{\"name\": \"traced-gap\", \"datasets\": [{\"datasetId\": \""
                + RunningSuite.demoDatasetId() + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"hyperparameters\": {\"nTrees\": 10}, \"seed\": 5, \"kFolds\": 3}");
        assertEquals(202, train.reply().statusCode(), train.reply().body());

        // the gateway calls prediction, which reads the training data from the catalog as alice
        List<TraceCollector.Span> trace = awaitTrace(train.traceId(),
                Set.of("gateway", "prediction-service", "catalog-service"));
        String printed = oneTree(trace, train.caller(), "one training request");
        TraceCollector.Span prediction = trace.stream().filter(span -> span.service().equals("prediction-service")
                && span.name().startsWith("mihub.prediction.v1.")).findFirst()
                .orElseThrow(() -> new AssertionError("no gRPC span of prediction\n" + printed));
        assertEquals("acme", prediction.attributes().get("mihub.org"), printed);
        assertTrue(trace.stream().anyMatch(span -> span.service().equals("catalog-service")
                && span.name().startsWith("mihub.catalog.v1.") && "acme".equals(span.attributes().get("mihub.org"))),
                "prediction's call to the catalog is in the same trace, as alice's organisation\n" + printed);

        JsonNode job = RunningSuite.awaitJob(JSON.readTree(train.reply().body()).get("id").asText(), token,
                Duration.ofMinutes(2));
        assertEquals("succeeded", job.get("state").asText(), job.toString());
        // the figure an operator's dashboard reads, on prediction's own metrics endpoint
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + RunningSuite.config().portOf(Service.PREDICTION) + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("mihub_jobs_ended_total{")
                && line.contains("kind=\"training\"") && line.contains("outcome=\"succeeded\"")
                && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1),
                metrics.lines().filter(line -> line.startsWith("mihub_jobs")).toList().toString());
    }

    /** A request sent with a W3C traceparent, as the portal's browser or a script that traces would. */
    private record Traced(String traceId, String caller, HttpResponse<String> reply) {
    }

    private static Traced send(String token, String method, String path, String json) throws Exception {
        String traceId = hex(16);
        String caller = hex(8); // the span of the client that sends the request
        var request = HttpRequest.newBuilder(URI.create(RunningSuite.config().gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("traceparent", "00-" + traceId + "-" + caller + "-01")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return new Traced(traceId, caller, HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Prints the trace and asserts it is one tree under the caller's span, rooted in the gateway. */
    private static String oneTree(List<TraceCollector.Span> trace, String caller, String what) {
        String printed = print(trace, caller);
        System.out.println("[trace] " + what + ", " + trace.size() + " spans:\n" + printed);
        Set<String> ids = trace.stream().map(TraceCollector.Span::spanId).collect(Collectors.toSet());
        for (TraceCollector.Span span : trace) {
            assertTrue(span.parentSpanId().equals(caller) || ids.contains(span.parentSpanId()),
                    "one tree: " + span.name() + " of " + span.service() + " hangs from an unknown span\n" + printed);
        }
        List<TraceCollector.Span> roots = trace.stream().filter(span -> span.parentSpanId().equals(caller)).toList();
        assertEquals(1, roots.size(), "one root, the gateway's request\n" + printed);
        assertEquals("gateway", roots.get(0).service(), printed);
        return printed;
    }

    private static TraceCollector.Span grpc(List<TraceCollector.Span> trace, String service, String method) {
        return trace.stream().filter(span -> span.service().equals(service) && span.name().equals(method)).findFirst()
                .orElseThrow(() -> new AssertionError("no gRPC span " + method + " of " + service + "\n"
                        + print(trace, "")));
    }

    private static TraceCollector.Span server(List<TraceCollector.Span> trace, String service) {
        return trace.stream().filter(span -> span.service().equals(service) && span.kind().equals("SERVER")
                && span.parentSpanId().length() > 0)
                .findFirst().orElseThrow(() -> new AssertionError("no server span of " + service + ":\n"
                        + print(trace, "")));
    }

    /** The trace once every one of {@code services} has sent spans and no more come for a moment. */
    private static List<TraceCollector.Span> awaitTrace(String traceId, Set<String> services)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int seen = -1;
        List<TraceCollector.Span> trace = List.of();
        while (System.nanoTime() < deadline) {
            trace = RunningSuite.traces().trace(traceId);
            Set<String> sent = trace.stream().map(TraceCollector.Span::service).collect(Collectors.toSet());
            if (sent.containsAll(services) && trace.size() == seen) {
                return trace;
            }
            seen = trace.size();
            Thread.sleep(1000);
        }
        throw new AssertionError("within 30 s, spans came only from "
                + trace.stream().map(TraceCollector.Span::service).collect(Collectors.toSet()) + ", not all of "
                + services + "; " + RunningSuite.traces().count() + " spans received in all, the gateway's last ones:\n"
                + RunningSuite.traces().last("gateway", 5));
    }

    /** The spans as an indented tree: service, kind, name, milliseconds, mihub.org. */
    private static String print(List<TraceCollector.Span> trace, String root) {
        StringBuilder out = new StringBuilder();
        print(trace, root, 0, out);
        return out.toString();
    }

    private static void print(List<TraceCollector.Span> trace, String parent, int depth, StringBuilder out) {
        trace.stream().filter(span -> span.parentSpanId().equals(parent))
                .sorted(Comparator.comparingLong(TraceCollector.Span::startNanos)).forEach(span -> {
                    out.append("  ".repeat(depth + 1)).append(span.service()).append(' ').append(span.kind())
                            .append(' ').append(span.name()).append(String.format(" %.1f ms",
                                    (span.endNanos() - span.startNanos()) / 1e6));
                    String org = span.attributes().get("mihub.org");
                    if (org != null) {
                        out.append(" mihub.org=").append(org);
                    }
                    out.append('\n');
                    print(trace, span.spanId(), depth + 1, out);
                });
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
