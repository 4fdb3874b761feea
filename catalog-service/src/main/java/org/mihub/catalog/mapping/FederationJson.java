package org.mihub.catalog.mapping;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Strict reading of the federation's JSON messages (cards, vocabulary) through Jackson's tree model (no
 * reflection): each reader names the field that is missing or of the wrong type in a {@link Malformed}.
 */
public final class FederationJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FederationJson() {
    }

    /** A message that cannot be read, with the reason (which field). */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        public Malformed(String reason) {
            super(reason);
        }
    }

    /** The message as a JSON object. */
    static JsonNode object(byte[] json) throws Malformed {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Malformed("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Malformed("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("not a JSON object");
        }
        return root;
    }

    static String text(JsonNode root, String field, boolean required) throws Malformed {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Malformed(field + ": required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new Malformed(field + ": expected a string");
        }
        return value.textValue();
    }

    static long number(JsonNode root, String field) throws Malformed {
        JsonNode value = root.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new Malformed(field + ": expected an integer");
        }
        return value.longValue();
    }

    static Double optionalNumber(JsonNode root, String field) throws Malformed {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new Malformed(field + ": expected a number");
        }
        return value.doubleValue();
    }

    static Instant instant(JsonNode root, String field, boolean required) throws Malformed {
        String text = text(root, field, required);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Malformed(field + ": not an ISO-8601 instant");
        }
    }

    static JsonNode array(JsonNode root, String field) throws Malformed {
        JsonNode value = root.get(field);
        if (value == null || !value.isArray()) {
            throw new Malformed(field + ": expected an array");
        }
        return value;
    }

    static List<String> strings(JsonNode root, String field) throws Malformed {
        JsonNode value = array(root, field);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new Malformed(field + "[" + i + "]: expected a string");
            }
            items.add(value.get(i).textValue());
        }
        return items;
    }
}
