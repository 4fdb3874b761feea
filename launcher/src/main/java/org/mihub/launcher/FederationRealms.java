package org.mihub.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The identity realms of the federation demo, all derived from the single-installation realm
 * ({@code dev/keycloak/mihub-realm.json}, the one place users, roles, clients and token mappers are
 * written): the {@code consortium} realm at the hub — every member of every organisation, a third
 * organisation's member ({@code trent} of tohoku-lab), and one service account per node
 * ({@code mihub-node-<node>}, role {@code federation} only) — and one local realm per institution
 * node holding only that institution's staff and robots.
 */
final class FederationRealms {

    static final String CONSORTIUM = "consortium";
    static final String FEDERATION_ROLE = "federation";
    /** The member of an organisation that runs no node: sees what the consortium shares, nothing more. */
    static final String THIRD_ORG_USER = "trent";
    static final String THIRD_ORG = "tohoku-lab";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FederationRealms() {
    }

    /** The demo secret of a node's service-account client (never used outside a demo). */
    static String nodeClientSecret(String node) {
        return nodeClientId(node) + "-dev-secret";
    }

    static String nodeClientId(String node) {
        return "mihub-node-" + node;
    }

    /**
     * Realm file name → realm JSON: the consortium realm (portal redirects to the hub's gateway) and
     * each institution's local realm (portal redirects to its own gateway).
     */
    static Map<String, String> build(Path home, Federation.Member hub, List<Federation.Member> institutions)
            throws IOException {
        ObjectNode base = (ObjectNode) JSON.readTree(Files.readString(home.resolve("dev/keycloak/mihub-realm.json")));
        Map<String, String> realms = new LinkedHashMap<>();
        ObjectNode consortium = consortium(base, hub, institutions);
        realms.put(CONSORTIUM + "-realm.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(consortium));
        for (Federation.Member node : institutions) {
            realms.put(node.node() + "-realm.json", JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(local(base, node)));
        }
        return realms;
    }

    private static ObjectNode consortium(ObjectNode base, Federation.Member hub, List<Federation.Member> institutions) {
        ObjectNode realm = renamed(base, CONSORTIUM, "mihub consortium (the hub's realm)", hub.gatewayPort());
        ((ArrayNode) realm.path("roles").path("realm")).addObject().put("name", FEDERATION_ROLE)
                .put("description", "A node's machine identity towards the hub: registers the node, grants no data access");
        // the lab robot is acme's own: it lives in acme's local realm only
        removeWhere((ArrayNode) realm.get("clients"), client -> client.path("clientId").asText().equals("lab-robot"));
        removeWhere((ArrayNode) realm.get("users"), user -> user.path("serviceAccountClientId").asText().equals("lab-robot"));
        ObjectNode robot = (ObjectNode) find((ArrayNode) base.get("clients"), "clientId", "lab-robot");
        ObjectNode trent = ((ArrayNode) realm.get("users")).addObject();
        trent.put("username", THIRD_ORG_USER).put("enabled", true).put("emailVerified", true)
                .put("email", THIRD_ORG_USER + "@tohoku-lab.example.org").put("firstName", "Trent").put("lastName", "Tohoku");
        trent.putObject("attributes").putArray("org").add(THIRD_ORG);
        trent.putArray("credentials").addObject().put("type", "password").put("value", THIRD_ORG_USER)
                .put("temporary", false);
        trent.putArray("realmRoles").add("member");
        trent.putArray("requiredActions");
        for (Federation.Member node : concat(hub, institutions)) {
            ObjectNode client = robot.deepCopy();
            client.put("clientId", nodeClientId(node.node())).put("name", node.node() + " node (service account towards the hub)")
                    .put("secret", nodeClientSecret(node.node()));
            for (JsonNode mapper : client.get("protocolMappers")) {
                if (mapper.path("name").asText().equals("org")) {
                    ((ObjectNode) mapper.get("config")).put("claim.value", node.org());
                }
            }
            ((ArrayNode) realm.get("clients")).add(client);
            ObjectNode account = ((ArrayNode) realm.get("users")).addObject();
            account.put("username", "service-account-" + nodeClientId(node.node())).put("enabled", true)
                    .put("serviceAccountClientId", nodeClientId(node.node()));
            account.putArray("realmRoles").add(FEDERATION_ROLE);
        }
        return realm;
    }

    private static ObjectNode local(ObjectNode base, Federation.Member node) {
        ObjectNode realm = renamed(base, node.node(), node.org() + " (local realm)", node.gatewayPort());
        removeWhere((ArrayNode) realm.get("users"), user -> {
            String client = user.path("serviceAccountClientId").asText("");
            if (!client.isEmpty()) {
                // a robot belongs to the organisation its client's org claim names
                return !orgOfClient(base, client).equals(node.org());
            }
            return !user.path("attributes").path("org").path(0).asText().equals(node.org());
        });
        removeWhere((ArrayNode) realm.get("clients"), client -> client.path("serviceAccountsEnabled").asBoolean(false)
                && !orgOfClient(base, client.path("clientId").asText()).equals(node.org()));
        return realm;
    }

    private static String orgOfClient(ObjectNode base, String clientId) {
        JsonNode client = find((ArrayNode) base.get("clients"), "clientId", clientId);
        for (JsonNode mapper : client.path("protocolMappers")) {
            if (mapper.path("name").asText().equals("org")) {
                return mapper.path("config").path("claim.value").asText("");
            }
        }
        return "";
    }

    /** A copy of the base realm with another name, its portal redirects on {@code gatewayPort}. */
    private static ObjectNode renamed(ObjectNode base, String name, String displayName, int gatewayPort) {
        String text = base.toString()
                .replace("//localhost:8080/", "//localhost:" + gatewayPort + "/")
                .replace("//127.0.0.1:8080/", "//127.0.0.1:" + gatewayPort + "/");
        try {
            ObjectNode realm = (ObjectNode) JSON.readTree(text);
            realm.put("realm", name).put("displayName", displayName);
            return realm;
        } catch (IOException e) {
            throw new IllegalStateException("re-reading the realm", e);
        }
    }

    private static JsonNode find(ArrayNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        throw new IllegalStateException("dev/keycloak/mihub-realm.json has no " + field + " " + value);
    }

    private static void removeWhere(ArrayNode array, java.util.function.Predicate<JsonNode> drop) {
        for (Iterator<JsonNode> it = array.elements(); it.hasNext();) {
            if (drop.test(it.next())) {
                it.remove();
            }
        }
    }

    private static List<Federation.Member> concat(Federation.Member hub, List<Federation.Member> institutions) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(hub), institutions.stream()).toList();
    }
}
