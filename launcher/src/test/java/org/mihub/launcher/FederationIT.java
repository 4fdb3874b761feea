package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The federation end to end, in separate processes: one NATS server with JetStream, one Keycloak
 * (consortium realm, a local realm per node), the hub and two institution nodes (acme, kansai-u), each
 * a whole suite with its own PostgreSQL, on their own ports (hub gateway 29100) and state folder. It
 * reads the card stream itself, as a hub operator could, to prove what never travels.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Federation federation;
    private static Federation.Layout layout;
    /** node → the demo dataset ids in the order of {@link Federation#demoDatasets()}. */
    private static Map<String, List<String>> datasets;

    @BeforeAll
    static void startFederation() throws Exception {
        try {
            org.mihub.launcher.Nats.binary();
        } catch (IllegalStateException e) {
            Assumptions.abort("FederationIT skipped: " + e.getMessage());
        }
        Path home = Path.of(System.getProperty("mihub.home", "..")).toAbsolutePath().normalize();
        layout = new Federation.Layout(home, home.resolve("launcher/target/federation-state"), 29100);
        Folders.deleteTree(layout.stateDir());
        federation = Federation.start(layout, message -> System.out.println("[federation-it] " + message));
        datasets = federation.loadDemoData();
    }

    @AfterAll
    static void stopFederation() {
        if (federation != null) {
            federation.close();
        }
    }

    private static String acmeConsortium() {
        return datasets.get("acme").get(0);
    }

    private static String acmeShared() {
        return datasets.get("acme").get(1);
    }

    private static String acmePrivate() {
        return datasets.get("acme").get(2);
    }

    @Test
    @Order(1)
    void aConsortiumDatasetAtAcmeIsFoundFromKansaiThroughTheHub() throws Exception {
        String bob = consortiumToken("bob");
        JsonNode cards = awaitCards(bob, list -> ids(list).contains(acmeConsortium()));
        JsonNode card = cardOf(cards, acmeConsortium());
        assertEquals("acme", card.path("node").asText());
        assertEquals("CONSORTIUM", card.path("visibility").asText().toUpperCase());
        assertTrue(card.path("rowCount").asLong() > 0, card.toString());
        assertTrue(card.path("properties").toString().contains("band_gap"), card.toString());

        // acme's consortium rows come back from acme itself, named and linked to their home
        JsonNode all = getJson(layout.hub().gatewayUrl() + "/api/v1/materials?scope=federation&limit=200", bob);
        assertEquals("ok", nodeStatus(all, "acme"), all.path("nodes").toString());
        List<JsonNode> fromAcme = itemsFrom(all, "acme");
        assertFalse(fromAcme.isEmpty(), all.toString());
        for (JsonNode item : fromAcme) {
            assertTrue(item.path("homeUrl").asText().startsWith(layout.member("acme").gatewayUrl()), item.toString());
        }
        // the portal of a node offers the whole-consortium search
        HttpResponse<String> portal = HTTP.send(HttpRequest.newBuilder(URI.create(layout.member("kansai-u").gatewayUrl()
                + "/portal/config")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("kansai-u", JSON.readTree(portal.body()).path("federation").asText(), portal.body());
    }

    @Test
    @Order(2)
    void aPrivateDatasetIsFoundByNobodyOutsideAcmeAndNeverTravels() throws Exception {
        for (String user : List.of("bob", "trent", "carol")) {
            String token = consortiumToken(user);
            JsonNode cards = getJson(layout.hub().gatewayUrl() + "/api/v1/federation/cards?limit=200", token);
            assertFalse(ids(cards).contains(acmePrivate()), user + " sees the private card: " + cards);
            HttpResponse<String> direct = get(layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmePrivate(), token);
            assertTrue(direct.statusCode() == 403 || direct.statusCode() == 404,
                    user + " read acme's private dataset at acme: " + direct.statusCode() + " " + direct.body());
        }
        // acme's own curator, signed in at acme, still has it
        String alice = localToken("acme", "alice");
        assertEquals(200, get(layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmePrivate(), alice).statusCode());
        // and not one message on the card stream names it
        for (String body : streamBodies()) {
            assertFalse(body.contains(acmePrivate()), "the private dataset travelled: " + body);
        }
    }

    @Test
    @Order(3)
    void aSharedDatasetIsSeenByKansaiAndNotByAThirdOrganisation() throws Exception {
        JsonNode bobCards = awaitCards(consortiumToken("bob"), list -> ids(list).contains(acmeShared()));
        assertEquals("kansai-u", cardOf(bobCards, acmeShared()).path("sharedWith").path(0).asText());
        String trent = consortiumToken("trent");
        assertFalse(ids(getJson(layout.hub().gatewayUrl() + "/api/v1/federation/cards?limit=200", trent))
                .contains(acmeShared()));
        // live, at acme, with each caller's own rights
        assertEquals(200, get(layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmeShared(),
                consortiumToken("bob")).statusCode());
        int third = get(layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmeShared(), trent).statusCode();
        assertTrue(third == 403 || third == 404, "tohoku-lab read acme's dataset shared with kansai-u: " + third);
    }

    @Test
    @Order(4)
    void unsharingRemovesTheCardWithinFiveSeconds() throws Exception {
        String alice = localToken("acme", "alice");
        HttpResponse<String> unshared = send("PUT", layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmeShared()
                + "/sharing", alice, "{\"visibility\":\"private\",\"sharedWith\":[]}");
        assertEquals(200, unshared.statusCode(), unshared.body());
        long started = System.nanoTime();
        awaitCards(consortiumToken("bob"), list -> !ids(list).contains(acmeShared()), Duration.ofSeconds(5));
        System.out.printf("[federation-it] unshared card gone from the hub after %.2f s%n", (System.nanoTime() - started) / 1e9);
    }

    @Test
    @Order(5)
    void theHubsRealmCannotActAsAcmeInsideAcmesNode() throws Exception {
        // alice exists in the consortium realm too; her consortium token claims acme, which only acme's realm asserts at acme
        String forged = consortiumToken("alice");
        HttpResponse<String> refused = get(layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmePrivate(), forged);
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("acme"), refused.body());
        HttpResponse<String> write = send("POST", layout.member("acme").gatewayUrl() + "/api/v1/datasets", forged,
                "{\"title\":\"forged\",\"licence\":\"CC0-1.0\",\"visibility\":\"private\"}");
        assertEquals(401, write.statusCode(), write.body());
        // the hub's admin is no admin inside acme's node: acme's private data stays hidden from her
        HttpResponse<String> admin = get(layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmePrivate(),
                consortiumToken("carol"));
        assertTrue(admin.statusCode() == 403 || admin.statusCode() == 404, admin.statusCode() + " " + admin.body());
        // a node's service account (role federation) reads nothing at another node
        String machine = Tokens.clientToken(layout.issuer(FederationRealms.CONSORTIUM),
                FederationRealms.nodeClientId("kansai-u"), FederationRealms.nodeClientSecret("kansai-u"));
        HttpResponse<String> machineRead = get(layout.member("acme").gatewayUrl() + "/api/v1/datasets/" + acmeConsortium(),
                machine);
        assertTrue(machineRead.statusCode() == 403 || machineRead.statusCode() == 404,
                machineRead.statusCode() + " " + machineRead.body());
    }

    @Test
    @Order(6)
    void aStoppedNodeIsReportedUnavailableAndItsMissedChangesArriveAfterwards() throws Exception {
        String bob = consortiumToken("bob");
        federation.stopNode("acme");
        try {
            JsonNode found = getJson(layout.hub().gatewayUrl() + "/api/v1/materials?scope=federation&limit=20", bob);
            assertEquals("unavailable", nodeStatus(found, "acme"), found.path("nodes").toString());
            assertEquals("ok", nodeStatus(found, "hub"), found.path("nodes").toString());
        } finally {
            federation.startNode("acme", message -> System.out.println("[federation-it] acme: " + message));
        }
        // acme changes while the stream is unreachable: its outbox keeps the card until NATS is back
        federation.stopNats();
        String created;
        try {
            created = DemoData.load(layout.home(), layout.member("acme").gatewayUrl(), localToken("acme", "alice"),
                    new DemoData.Spec("acme", "acme: made while the federation was offline", "consortium", List.of(),
                            "Published once the stream is back.", 5, 0));
        } finally {
            federation.startNats();
        }
        awaitCards(bob, list -> ids(list).contains(created), Duration.ofSeconds(60));
    }

    @Test
    @Order(7)
    void aPropertyAddedAtTheHubReachesEveryNodeWhichTakesValuesOfItAndChangesNothingItself() throws Exception {
        String name = "tc_onset_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        HttpResponse<String> created = send("POST", layout.hub().gatewayUrl() + "/api/v1/properties",
                consortiumToken("frank"), "{\"name\":\"" + name + "\",\"displayName\":\"Tc onset\","
                        + "\"canonicalUnit\":\"K\",\"quantityKind\":\"temperature\",\"minimum\":0}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode atHub = JSON.readTree(created.body()).path("property");
        if (atHub.isMissingNode()) {
            atHub = JSON.readTree(created.body());
        }
        assertFalse(atHub.path("addedBy").asText().isEmpty(), created.body());
        long started = System.nanoTime();
        for (String node : List.of("acme", "kansai-u")) {
            JsonNode there = awaitProperty(node, name, 1);
            assertEquals("K", there.path("canonicalUnit").asText(), there.toString());
            // who added it, as the hub recorded it (frank's subject, his organisation)
            assertEquals(atHub.path("addedBy").asText(), there.path("addedBy").asText(), there.toString());
            assertEquals("kansai-u", there.path("addedByOrg").asText(), there.toString());
        }
        System.out.printf("[federation-it] a new property reached both nodes %.2f s after its creation at the hub%n",
                (System.nanoTime() - started) / 1e9);

        // acme's members store values of it at once
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(URI.create(layout.member("acme").gatewayUrl()
                + "/api/v1/datasets/" + acmeConsortium() + "/records?sourceName=tc.csv")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + localToken("acme", "alice")).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("formula," + name + " [K]\nNb3Sn,18.1\nMgB2,39\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(upload.statusCode() / 100 == 2, upload.statusCode() + " " + upload.body());

        // a node changes nothing of the vocabulary itself: its curators are sent to the hub
        HttpResponse<String> local = send("POST", layout.member("acme").gatewayUrl() + "/api/v1/properties",
                localToken("acme", "alice"), "{\"name\":\"tc_local\",\"displayName\":\"Tc\","
                        + "\"canonicalUnit\":\"K\",\"quantityKind\":\"temperature\"}");
        assertEquals(409, local.statusCode(), local.body());
        assertTrue(local.body().contains("hub"), local.body());

        // a change at the hub follows
        HttpResponse<String> patched = send("PATCH", layout.hub().gatewayUrl() + "/api/v1/properties/" + name,
                consortiumToken("frank"), "{\"displayNameJa\":\"転移開始温度\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("転移開始温度", awaitProperty("kansai-u", name, 2).path("displayNameJa").asText());
    }

    /** Polls a node's vocabulary (as its local curator) until the property has this version. */
    private static JsonNode awaitProperty(String node, String name, int version) throws Exception {
        String token = localToken(node, node.equals("acme") ? "alice" : "frank");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> reply;
        do {
            reply = get(layout.member(node).gatewayUrl() + "/api/v1/properties/" + name, token);
            if (reply.statusCode() == 200 && JSON.readTree(reply.body()).path("version").asInt() == version) {
                return JSON.readTree(reply.body());
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + " version " + version + " did not reach " + node + " within 20 s: "
                + reply.statusCode() + " " + reply.body());
    }

    // --- helpers

    private static String consortiumToken(String user) throws Exception {
        return Tokens.passwordToken(layout.issuer(FederationRealms.CONSORTIUM), user);
    }

    private static String localToken(String realm, String user) throws Exception {
        return Tokens.passwordToken(layout.issuer(realm), user);
    }

    private static JsonNode awaitCards(String token, Predicate<JsonNode> until) throws Exception {
        return awaitCards(token, until, Duration.ofSeconds(30));
    }

    /** Polls the hub's card directory (as the token's caller) until the answer satisfies {@code until}. */
    private static JsonNode awaitCards(String token, Predicate<JsonNode> until, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode cards;
        do {
            cards = getJson(layout.hub().gatewayUrl() + "/api/v1/federation/cards?limit=200", token);
            if (until.test(cards)) {
                return cards;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the hub's cards did not change as expected within " + limit.toSeconds() + " s: " + cards);
    }

    private static Set<String> ids(JsonNode cards) {
        Set<String> ids = new HashSet<>();
        cards.path("cards").forEach(card -> ids.add(card.path("datasetId").asText()));
        return ids;
    }

    private static JsonNode cardOf(JsonNode cards, String datasetId) {
        for (JsonNode card : cards.path("cards")) {
            if (card.path("datasetId").asText().equals(datasetId)) {
                return card;
            }
        }
        throw new AssertionError("no card for " + datasetId + ": " + cards);
    }

    private static String nodeStatus(JsonNode answer, String node) {
        for (JsonNode status : answer.path("nodes")) {
            if (status.path("node").asText().equals(node)) {
                return status.path("status").asText();
            }
        }
        return "(not listed)";
    }

    private static List<JsonNode> itemsFrom(JsonNode answer, String node) {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : answer.path("materials")) {
            if (item.path("node").asText().equals(node)) {
                items.add(item);
            }
        }
        return items;
    }

    /** Every message body on the hub's card stream, read from its start as the hub's NATS user. */
    private static List<String> streamBodies() throws Exception {
        Options options = new Options.Builder().server(layout.natsUrl())
                .userInfo("hub", org.mihub.launcher.Nats.demoPassword("hub")).connectionTimeout(Duration.ofSeconds(5)).build();
        List<String> bodies = new ArrayList<>();
        try (Connection connection = Nats.connect(options)) {
            PullSubscribeOptions pull = PullSubscribeOptions.builder().stream("MIHUB_CARDS")
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build();
            JetStreamSubscription subscription = connection.jetStream().subscribe("mihub.cards.*", pull);
            while (true) {
                List<Message> batch = subscription.fetch(100, Duration.ofSeconds(1));
                if (batch.isEmpty()) {
                    break;
                }
                for (Message message : batch) {
                    bodies.add(new String(message.getData(), StandardCharsets.UTF_8));
                    message.ack();
                }
            }
        }
        assertFalse(bodies.isEmpty(), "the card stream is empty: nothing was published at all");
        return bodies;
    }

    private static JsonNode getJson(String url, String token) throws Exception {
        HttpResponse<String> reply = get(url, token);
        assertEquals(200, reply.statusCode(), url + ": " + reply.body());
        return JSON.readTree(reply.body());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
