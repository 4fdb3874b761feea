package org.mihub.gateway.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.mihub.gateway.error.InvalidInput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The opaque cursor of a federated search: base64url of JSON holding one position per node. A
 * position is the node's own cursor where its last answer began ({@code c}, null: its first page),
 * how many items of that answer earlier pages already took ({@code s}), and whether the node has
 * nothing more ({@code done}: it is not asked again).
 */
public final class FederatedCursor {

    /** One node's place. */
    @RegisterForReflection
    public record Position(String c, int s, boolean done) {

        static final Position START = new Position(null, 0, false);
    }

    @RegisterForReflection
    record Composite(int v, Map<String, Position> nodes) {
    }

    private FederatedCursor() {
    }

    /** The positions a cursor holds, by node; refused with 400 naming {@code cursor} when it is not one of ours. */
    public static Map<String, Position> decode(ObjectMapper json, String cursor) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            Composite composite = json.readValue(bytes, Composite.class);
            if (composite == null || composite.v() != 1 || composite.nodes() == null || composite.nodes().isEmpty()) {
                throw new IllegalArgumentException("no positions");
            }
            composite.nodes().forEach((node, position) -> {
                if (position == null || position.s() < 0 || !node.matches("[a-z0-9-]{1,40}")) {
                    throw new IllegalArgumentException("bad position");
                }
            });
            return new LinkedHashMap<>(composite.nodes());
        } catch (IllegalArgumentException | java.io.IOException bad) {
            throw new InvalidInput("cursor", "not a cursor of a federated search (give back the nextCursor of the "
                    + "previous page unchanged)");
        }
    }

    public static String encode(ObjectMapper json, Map<String, Position> positions) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsString(
                    new Composite(1, positions)).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
