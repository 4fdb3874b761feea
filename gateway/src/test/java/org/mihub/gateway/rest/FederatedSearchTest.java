package org.mihub.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.SearchMaterialsResponse;
import org.mihub.api.common.v1.PageInfo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.Jwt;

/**
 * {@code scope=federation} against stand-ins: a hub listing six nodes, this node (acme) answered by a
 * stand-in catalog in-process, a good node (beta) over HTTP, one slower than the timeout, one not
 * listening, one refusing the caller and one answering malformed JSON. Checks the merged order, each
 * node's status, composite-cursor paging, the breaker, and what the good node is sent.
 */
@QuarkusTest
@TestProfile(FederatedSearchTest.Federation.class)
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederatedSearchTest {

    private static final int HUB = 18190;
    private static final int BETA = 18191;
    private static final int SLOW = 18192;
    private static final int DOWN = 18193;
    private static final int LOCKED = 18194;
    private static final int BROKEN = 18195;

    public static class Federation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("mihub.federation.node", "acme"),
                    Map.entry("mihub.federation.hub-url", "http://127.0.0.1:" + HUB),
                    Map.entry("mihub.federation.public-url", "http://127.0.0.1:18080"),
                    Map.entry("mihub.federation.timeout", "400ms"),
                    Map.entry("mihub.federation.breaker.window", "2"),
                    Map.entry("mihub.federation.breaker.minimum-calls", "2"),
                    Map.entry("mihub.federation.breaker.open-for", "60s"),
                    Map.entry("mihub.federation.nodes-cache-for", "1ms"),
                    Map.entry("mihub.federation.register-every", "1s"),
                    Map.entry("quarkus.oidc-client.federation.auth-server-url", "http://127.0.0.1:" + HUB + "/oidc"),
                    Map.entry("quarkus.oidc-client.federation.discovery-enabled", "false"),
                    Map.entry("quarkus.oidc-client.federation.token-path", "/token"),
                    Map.entry("quarkus.oidc-client.federation.client-id", "mihub-node-acme"),
                    Map.entry("quarkus.oidc-client.federation.credentials.secret", "mihub-node-acme-dev-secret"));
        }
    }

    /** acme's (local) and beta's materials: formula and id. */
    private static final List<String[]> ACME = List.of(new String[] {"a1", "Al2O3"}, new String[] {"a2", "CuO"},
            new String[] {"a3", "Fe2O3"}, new String[] {"a4", "NiO"}, new String[] {"a5", "ZnO"});
    private static final List<String[]> BETA_ROWS = List.of(new String[] {"b1", "BaTiO3"}, new String[] {"b2", "CoO"},
            new String[] {"b3", "FeO"}, new String[] {"b4", "MgO"}, new String[] {"b5", "TiO2"},
            new String[] {"b6", "ZrO2"});

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Map<String, String>> betaRequests = new CopyOnWriteArrayList<>();
    private final List<String> registrations = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean hubDown = new java.util.concurrent.atomic.AtomicBoolean();
    private final Map<String, String> localMetadata = new ConcurrentHashMap<>();
    private Server catalog;

    private static String token() {
        return Jwt.subject("alice").preferredUserName("alice").claim("org", "acme")
                .claim("realm_access", Map.of("roles", List.of("member")))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(300))
                .sign();
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Map.of();
        }
        return Stream.of(raw.split("&")).map(pair -> pair.split("=", 2)).collect(Collectors.toMap(pair -> pair[0],
                pair -> java.net.URLDecoder.decode(pair.length > 1 ? pair[1] : "", StandardCharsets.UTF_8),
                (a, b) -> b));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpServer serve(int port, com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", handler);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        servers.add(server);
        return server;
    }

    private static String node(String id, int port) {
        return "{\"node\":\"" + id + "\",\"organisations\":[\"" + id + "\"],\"gatewayUrl\":\"http://127.0.0.1:" + port
                + "\",\"optimadeUrl\":\"http://127.0.0.1:" + port + "/optimade\",\"registeredAt\":\"2026-12-07T15:00:00Z\","
                + "\"lastSeenAt\":\"2026-12-07T15:00:00Z\"}";
    }

    @BeforeAll
    void standIns() throws IOException {
        serve(HUB, exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/oidc/token")) {
                String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                answer(exchange, form.contains("grant_type=client_credentials") ? 200 : 400,
                        "{\"access_token\":\"node-token\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            } else if (exchange.getRequestMethod().equals("PUT") && path.equals("/api/v1/federation/nodes/acme")) {
                registrations.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer(exchange, 200, "{}");
            } else if (hubDown.get()) {
                answer(exchange, 503, "{}");
            } else if (path.equals("/api/v1/federation/nodes")) {
                answer(exchange, 200, "{\"nodes\":[" + String.join(",", node("acme", 18080), node("beta", BETA),
                        node("slow", SLOW), node("down", DOWN), node("locked", LOCKED), node("broken", BROKEN)) + "]}");
            } else if (exchange.getRequestURI().getPath().equals("/api/v1/federation/cards")) {
                answer(exchange, 200, "{\"cards\":[{\"node\":\"beta\",\"datasetId\":\"d-1\",\"version\":3,\"title\":"
                        + "\"Oxides\",\"licence\":\"CC-BY-4.0\",\"doi\":null,\"ownerOrg\":\"beta\",\"visibility\":"
                        + "\"SHARED\",\"sharedWith\":[\"acme\"],\"embargoUntil\":null,\"embargoVisibility\":null,"
                        + "\"rowCount\":120,\"elements\":[\"Fe\",\"O\"],\"properties\":[{\"name\":\"band_gap\",\"unit\":"
                        + "\"eV\",\"count\":118,\"min\":0.1,\"max\":3.2}],\"updatedAt\":\"2026-12-07T15:00:00Z\","
                        + "\"tombstone\":false,\"somethingNew\":1}],\"nextCursor\":\"c2\",\"q\":\""
                        + query(exchange).getOrDefault("q", "") + "\"}");
            } else {
                answer(exchange, 404, "{}");
            }
        });
        serve(BETA, exchange -> {
            Map<String, String> seen = new ConcurrentHashMap<>(query(exchange));
            seen.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            seen.put("requesting-node", String.valueOf(exchange.getRequestHeaders().getFirst("X-Mihub-Requesting-Node")));
            betaRequests.add(seen);
            int offset = Integer.parseInt(query(exchange).getOrDefault("cursor", "0"));
            int limit = Integer.parseInt(query(exchange).getOrDefault("limit", "50"));
            List<String[]> rows = BETA_ROWS.subList(Math.min(offset, BETA_ROWS.size()),
                    Math.min(offset + limit, BETA_ROWS.size()));
            String next = offset + limit < BETA_ROWS.size() ? "\"" + (offset + limit) + "\"" : "null";
            answer(exchange, 200, "{\"materials\":[" + rows.stream().map(row -> "{\"id\":\"" + row[0]
                    + "\",\"ownerOrg\":\"beta\",\"reducedFormula\":\"" + row[1] + "\",\"formula\":\"" + row[1]
                    + "\",\"nelements\":2,\"datasetVersion\":1,\"futureField\":true}").collect(Collectors.joining(","))
                    + "],\"nextCursor\":" + next + "}");
        });
        serve(SLOW, exchange -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "{\"materials\":[],\"nextCursor\":null}");
        });
        serve(LOCKED, exchange -> answer(exchange, 401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":"
                + "\"issuer https://server.example.com may not assert organisation acme at this node\"}"));
        serve(BROKEN, exchange -> answer(exchange, 200, "{\"materials\":[{\"id\":"));
        ServerInterceptor metadata = new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                    ServerCallHandler<ReqT, RespT> next) {
                String node = headers.get(Metadata.Key.of("mihub-requesting-node", Metadata.ASCII_STRING_MARSHALLER));
                localMetadata.put("last", node == null ? "none" : node);
                String authorization = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                localMetadata.put("authorization", authorization == null ? "none" : authorization);
                return Contexts.interceptCall(io.grpc.Context.current(), call, headers, next);
            }
        };
        catalog = ServerBuilder.forPort(18081).addService(ServerInterceptors.intercept(
                new CatalogServiceGrpc.CatalogServiceImplBase() {
                    @Override
                    public void searchMaterials(SearchMaterialsRequest request,
                            StreamObserver<SearchMaterialsResponse> response) {
                        // the local catalog: by reduced formula, offset cursors
                        int offset = request.getPage().getPageToken().isEmpty() ? 0
                                : Integer.parseInt(request.getPage().getPageToken());
                        int limit = request.getPage().getPageSize();
                        var page = SearchMaterialsResponse.newBuilder();
                        ACME.stream().skip(offset).limit(limit).forEach(row -> page.addMaterials(Material.newBuilder()
                                .setId(row[0]).setOwnerOrg("acme").setFormula(row[1]).setReducedFormula(row[1])
                                .setNelements(2)));
                        page.setPageInfo(PageInfo.newBuilder().setNextPageToken(offset + limit < ACME.size()
                                ? Integer.toString(offset + limit) : ""));
                        response.onNext(page.build());
                        response.onCompleted();
                    }
                }, metadata)).build().start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        servers.forEach(server -> server.stop(0));
        catalog.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    private JsonPath search(String cursor, int limit) {
        var request = given().auth().oauth2(token()).queryParam("scope", "federation").queryParam("sort", "formula")
                .queryParam("limit", limit).queryParam("elements", "O");
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return request.get("/api/v1/materials").then().statusCode(200).extract().jsonPath();
    }

    private static String status(JsonPath page, String node) {
        return page.getString("nodes.find { it.node == '" + node + "' }.status");
    }

    private static String message(JsonPath page, String node) {
        return page.getString("nodes.find { it.node == '" + node + "' }.message");
    }

    @Test
    @Order(1) // first: before the breakers of the slow and the dead node open
    void nodesAreMergedInOrderAndEachNodeSaysHowItAnswered() {
        JsonPath page = search(null, 4);
        assertEquals(List.of("Al2O3", "BaTiO3", "CoO", "CuO"), page.getList("materials.reducedFormula"));
        assertEquals(List.of("acme", "beta", "beta", "acme"), page.getList("materials.node"));
        assertEquals("http://127.0.0.1:18191/api/v1/materials/b1", page.getString("materials[1].homeUrl"));
        assertEquals("http://127.0.0.1:18080/api/v1/materials/a1", page.getString("materials[0].homeUrl"));
        assertEquals("ok", status(page, "acme"));
        assertEquals("ok", status(page, "beta"));
        assertEquals(2, page.getInt("nodes.find { it.node == 'beta' }.count"));
        assertEquals("timeout", status(page, "slow"));
        assertEquals("unavailable", status(page, "down"));
        assertTrue(message(page, "down").contains("connection refused"), message(page, "down"));
        assertEquals("refused", status(page, "locked"));
        assertTrue(message(page, "locked").contains("may not assert organisation acme"), message(page, "locked"));
        assertEquals("unavailable", status(page, "broken"));
        assertTrue(message(page, "broken").contains("malformed"), message(page, "broken"));
        assertTrue(page.getString("nextCursor") != null);

        assertTrue(localMetadata.get("authorization").startsWith("Bearer ey"), "this node's catalog is asked with "
                + "the caller's token: " + localMetadata.get("authorization"));
        Map<String, String> sent = betaRequests.get(betaRequests.size() - 1);
        assertEquals("acme", sent.get("requesting-node"));
        assertTrue(sent.get("authorization").startsWith("Bearer ey"), sent.get("authorization"));
        assertEquals("O", sent.get("elements"));
        assertEquals("formula", sent.get("sort"));
        assertTrue(!sent.containsKey("scope"), "scope is not passed on: " + sent);
    }

    @Test
    void theCompositeCursorPagesThroughEveryNodeOnceInOrder() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = search(cursor, 3);
            assertTrue(page.getList("materials").size() <= 3);
            seen.addAll(page.getList("materials.reducedFormula"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        List<String> expected = Stream.concat(ACME.stream(), BETA_ROWS.stream()).map(row -> row[1])
                .sorted(Comparator.naturalOrder()).toList();
        assertEquals(expected, seen);
        assertEquals(4, pages);
    }

    @Test
    @Order(2)
    void aFailingNodeOpensItsBreaker() {
        search(null, 2);
        JsonPath page = search(null, 2);
        assertEquals("unavailable", status(page, "down"));
        assertTrue(message(page, "down").contains("circuit breaker open"), message(page, "down"));
        assertEquals("unavailable", status(page, "slow"));
        assertTrue(message(page, "slow").contains("circuit breaker open"), message(page, "slow"));
        // a refusal is an answer: the breaker of the refusing node stays closed
        assertEquals("refused", status(page, "locked"));
    }

    @Test
    void badScopeAndCursorAreRefusedNamingThem() {
        given().queryParam("scope", "everywhere").get("/api/v1/materials").then().statusCode(400)
                .body("errors[0].field", is("scope"));
        given().queryParam("scope", "federation").queryParam("cursor", "not-a-cursor").get("/api/v1/materials")
                .then().statusCode(400).body("errors[0].field", is("cursor"));
        given().queryParam("scope", "federation").queryParam("sort", "created_at").get("/api/v1/materials")
                .then().statusCode(400).body("errors[0].field", is("sort"));
        given().queryParam("scope", "federation").queryParam("visibility", "public").get("/api/v1/datasets")
                .then().statusCode(400).body("errors[0].field", is("visibility"));
    }

    @Test
    void theRequestingNodeHeaderReachesTheCatalogAsMetadataWhenItIsANodeId() {
        given().header("X-Mihub-Requesting-Node", "kansai-u").get("/api/v1/materials").then().statusCode(200);
        assertEquals("kansai-u", localMetadata.get("last"));
        given().header("X-Mihub-Requesting-Node", "Not A Node!").get("/api/v1/materials").then().statusCode(200);
        assertEquals("none", localMetadata.get("last"));
        given().get("/api/v1/materials").then().statusCode(200).body("nodes", nullValue())
                .body("materials[0].node", nullValue());
    }

    @Test
    void federatedDatasetsAreTheHubsCards() {
        given().auth().oauth2(token()).queryParam("scope", "federation").queryParam("text", "oxi")
                .get("/api/v1/datasets").then().statusCode(200)
                .body("cards[0].datasetId", is("d-1")).body("cards[0].properties[0].max", is(3.2f))
                .body("cards[0].sharedWith[0]", is("acme")).body("nextCursor", is("c2"))
                .body("datasets", nullValue()).body("nodes[0].node", is("hub")).body("nodes[0].status", is("ok"));
    }

    @Test
    @Order(10) // last: the hub is down for it
    void withoutTheHubThisNodeAnswersAloneAndSaysSo() {
        hubDown.set(true);
        try {
            JsonPath page = search(null, 10);
            assertEquals(List.of("Al2O3", "CuO", "Fe2O3", "NiO", "ZnO"), page.getList("materials.reducedFormula"));
            assertEquals("unavailable", status(page, "hub"));
            assertTrue(message(page, "hub").contains("503"), message(page, "hub"));
            assertEquals("ok", status(page, "acme"));
            assertEquals(2, page.getList("nodes").size());
        } finally {
            hubDown.set(false);
        }
    }

    @Test
    void theNodeRegistersItselfAtTheHubWithItsClientToken() throws InterruptedException {
        for (int i = 0; i < 50 && registrations.isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertTrue(!registrations.isEmpty(), "no registration within 5 s");
        assertEquals("Bearer node-token {\"organisations\":[\"acme\"],\"gatewayUrl\":\"http://127.0.0.1:18080\","
                + "\"optimadeUrl\":\"http://127.0.0.1:18080/optimade\"}", registrations.get(0));
    }

    @Test
    void linksAtANodeNameTheHubAsRoot() {
        given().get("/optimade/v1/links").then().statusCode(200)
                .body("data.find { it.id == 'hub' }.attributes.link_type", is("root"))
                .body("data.find { it.id == 'hub' }.attributes.base_url", is("http://127.0.0.1:" + HUB + "/optimade"))
                .body("data.find { it.id == 'kansai' }.attributes.link_type", is("child"))
                .body("data.find { it.id == 'mihub' }", nullValue());
    }
}
