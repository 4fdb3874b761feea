package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operators' dashboard reads figures the running suite serves: every metric a panel of
 * {@code k8s/components/monitoring/dashboards/mihub.json} queries is on some service's
 * {@code /q/metrics}, with every label the query selects or groups by, and every figure names the
 * service that serves it ({@code application}).
 */
@ExtendWith(RunningSuite.class)
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A metric selector in PromQL: the name, then its label matchers in braces. */
    private static final Pattern SELECTOR = Pattern.compile("([a-z_:][a-z0-9_:]*)\\{([^}]*)}");
    private static final Pattern GROUPING = Pattern.compile("by \\(([^)]*)\\)");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    /** Labels the scraper adds (Kubernetes service discovery), not the services. */
    private static final Set<String> SCRAPER_LABELS = Set.of("namespace", "pod", "le");

    @Test
    void everyFigureTheDashboardReadsIsServed() throws Exception {
        // a request that goes through gateway and catalog, so that request timers have samples
        String token = Tokens.accessToken(RunningSuite.config(), "alice");
        assertEquals(200, RunningSuite.get("/api/v1/materials?elements=Ga&limit=1", token).statusCode());

        Map<String, List<String>> served = new LinkedHashMap<>(); // metric name -> its sample lines
        for (Service service : Service.values()) {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + StackConfig.HOST + ":"
                    + RunningSuite.config().portOf(service) + "/q/metrics")).timeout(Duration.ofSeconds(20)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList()) {
                String name = line.split("[{ ]", 2)[0];
                served.computeIfAbsent(name, key -> new ArrayList<>()).add(line);
                assertTrue(line.contains("application=\"" + service.module() + "\""),
                        service.module() + " serves a figure without its name: " + line);
            }
        }

        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(RunningSuite.config().home()
                .resolve(Path.of("k8s", "components", "monitoring", "dashboards", "mihub.json"))));
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText();
                queries++;
                Set<String> grouped = new TreeSet<>();
                Matcher by = GROUPING.matcher(expr);
                while (by.find()) {
                    for (String label : by.group(1).split(",")) {
                        grouped.add(label.strip());
                    }
                }
                Matcher selector = SELECTOR.matcher(expr);
                while (selector.find()) {
                    String metric = selector.group(1);
                    List<String> lines = served.get(metric);
                    if (lines == null) {
                        problems.add(panel.get("title").asText() + ": no service serves " + metric);
                        continue;
                    }
                    Set<String> labels = new TreeSet<>(grouped);
                    Matcher matcher = MATCHER_LABEL.matcher(selector.group(2));
                    while (matcher.find()) {
                        labels.add(matcher.group(1));
                    }
                    labels.removeAll(SCRAPER_LABELS);
                    for (String label : labels) {
                        if (lines.stream().noneMatch(line -> line.contains(label + "=\""))) {
                            problems.add(panel.get("title").asText() + ": " + metric + " has no label " + label);
                        }
                    }
                }
            }
        }
        System.out.println("[metrics] the dashboard's " + queries + " queries read " + served.size()
                + " served metric names; problems: " + problems);
        assertTrue(queries >= 15, "the dashboard has its panels: " + queries);
        assertEquals(List.of(), problems);
    }
}
