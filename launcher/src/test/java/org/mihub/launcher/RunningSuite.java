package org.mihub.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole suite on real servers, started once for every end-to-end test class of the run and
 * stopped when the run ends: embedded PostgreSQL, Keycloak with the mihub realm and the four
 * packaged services, on their own ports (gateway 28080) and state folder, with the demo dataset
 * loaded, and the gateway's rate limit lowered to {@link #RATE_LIMIT} requests per organisation per
 * second. Also the REST calls the tests make through the gateway.
 */
public final class RunningSuite implements BeforeAllCallback {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** API requests per organisation per second in the end-to-end suite. */
    static final int RATE_LIMIT = 150;

    private static Stack stack;
    private static TraceCollector traces;
    private static StackConfig config;
    private static String demoDatasetId;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RunningSuite.class) {
            if (stack != null) {
                return;
            }
            // every service exports its traces to a collector in this JVM, as to an operator's (TraceIT reads them)
            traces = TraceCollector.start();
            String tracing = "-Dquarkus.otel.sdk.disabled=false -Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf "
                    + "-Dquarkus.otel.exporter.otlp.traces.endpoint=" + traces.endpoint()
                    + " -Dquarkus.otel.bsp.schedule.delay=200ms";
            for (Service service : Service.values()) {
                System.setProperty("mihub.stack." + service.module() + ".opts", tracing);
            }
            // a per-organisation limit low enough for a test to exceed it, high enough for every other test
            System.setProperty("mihub.stack.gateway.opts", tracing + " -Dmihub.gateway.rate-limit.requests="
                    + RATE_LIMIT);
            Path home = Path.of(System.getProperty("mihub.home", "..")).toAbsolutePath().normalize();
            Path state = home.resolve("launcher/target/e2e-state");
            // every run starts from an empty database and realm, as CI's clean clone does: the tests
            // count what they find, so what an earlier run wrote must not be there
            Folders.deleteTree(state);
            config = new StackConfig(home, state, 28080);
            stack = Stack.start(config, message -> System.out.println("[e2e] " + message));
            ExtensionContext.Store root = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
            root.put(RunningSuite.class, (ExtensionContext.Store.CloseableResource) () -> {
                stack.close();
                traces.close();
            });
            demoDatasetId = DemoData.load(config);
            // operators' requests (./mihub stop|restart) reach this stack as they reach ./mihub up's
            Control.serve(config, (verb, service) -> Main.control(stack, verb, service));
        }
    }

    static Stack stack() {
        return stack;
    }

    /** The spans the suite's services have exported. */
    static TraceCollector traces() {
        return traces;
    }

    static StackConfig config() {
        return config;
    }

    static String demoDatasetId() {
        return demoDatasetId;
    }

    /** A GET through the gateway, with the token as bearer when there is one. */
    static HttpResponse<String> get(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(config.gatewayUrl() + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a body through the gateway. */
    static HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(config.gatewayUrl() + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a job through the gateway until it ends (within {@code limit}); returns its last state. */
    static JsonNode awaitJob(String jobId, String token, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            var reply = get("/api/v1/jobs/" + jobId, token);
            if (reply.statusCode() != 200) {
                throw new AssertionError("job " + jobId + ": " + reply.statusCode() + " " + reply.body());
            }
            JsonNode job = new ObjectMapper().readTree(reply.body());
            String state = job.get("state").asText();
            if (!state.equals("queued") && !state.equals("running")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job did not end: " + job);
            }
            Thread.sleep(300);
        }
    }
}
