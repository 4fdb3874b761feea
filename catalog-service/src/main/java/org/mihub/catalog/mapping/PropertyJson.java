package org.mihub.catalog.mapping;

import static org.mihub.catalog.mapping.FederationJson.instant;
import static org.mihub.catalog.mapping.FederationJson.number;
import static org.mihub.catalog.mapping.FederationJson.object;
import static org.mihub.catalog.mapping.FederationJson.optionalNumber;
import static org.mihub.catalog.mapping.FederationJson.strings;
import static org.mihub.catalog.mapping.FederationJson.text;

import org.mihub.catalog.mapping.FederationJson.Malformed;
import org.mihub.catalog.service.Property;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A vocabulary property as the hub publishes it on {@code mihub.vocabulary.<name>} (federation
 * contract): {@code {"publisher","name","displayName","displayNameJa","description","valueType",
 * "canonicalUnit","quantityKind","minimum","maximum","labels","addedBy","addedByOrg","addedAt",
 * "updatedAt","version","deprecated","deprecationReason"}}, the whole definition every time, so the
 * latest message of a property is all a node needs. Read strictly: a missing or mistyped field is a
 * {@link Malformed} naming it; whether the definition makes sense is the vocabulary's to check.
 */
public final class PropertyJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PropertyJson() {
    }

    /** A definition and the node that published it. */
    public record Published(String publisher, Property property) {
    }

    public static String write(String publisher, Property property) {
        ObjectNode node = JSON.createObjectNode();
        node.put("publisher", publisher);
        node.put("name", property.name());
        node.put("displayName", property.displayName());
        node.put("displayNameJa", property.displayNameJa());
        node.put("description", property.description());
        node.put("valueType", property.valueType().wire());
        node.put("canonicalUnit", property.canonicalUnit());
        node.put("quantityKind", property.quantityKind());
        node.put("minimum", property.minimum());
        node.put("maximum", property.maximum());
        ArrayNode labels = node.putArray("labels");
        property.labels().forEach(labels::add);
        node.put("addedBy", property.addedBy());
        node.put("addedByOrg", property.addedByOrg());
        node.put("addedAt", property.addedAt().toString());
        node.put("updatedAt", property.updatedAt().toString());
        node.put("version", property.version());
        node.put("deprecated", property.deprecated());
        node.put("deprecationReason", property.deprecationReason());
        return node.toString();
    }

    public static Published read(byte[] json) throws Malformed {
        JsonNode root = object(json);
        String type = text(root, "valueType", true);
        Property.ValueType valueType;
        try {
            valueType = Property.ValueType.ofWire(type);
        } catch (IllegalArgumentException e) {
            throw new Malformed("valueType: '" + type + "' is not numeric, categorical, boolean or text");
        }
        long version = number(root, "version");
        if (version < 1 || version > Integer.MAX_VALUE) {
            throw new Malformed("version: " + version + " is not a version (1 or more)");
        }
        JsonNode deprecated = root.get("deprecated");
        if (deprecated == null || !deprecated.isBoolean()) {
            throw new Malformed("deprecated: expected true or false");
        }
        Property property = new Property(text(root, "name", true), text(root, "displayName", true),
                orEmpty(text(root, "displayNameJa", false)), orEmpty(text(root, "description", false)), valueType,
                orEmpty(text(root, "canonicalUnit", false)), orEmpty(text(root, "quantityKind", false)),
                optionalNumber(root, "minimum"), optionalNumber(root, "maximum"), strings(root, "labels"),
                text(root, "addedBy", true), orEmpty(text(root, "addedByOrg", false)), instant(root, "addedAt", true),
                instant(root, "updatedAt", true), (int) version, deprecated.booleanValue(),
                orEmpty(text(root, "deprecationReason", false)));
        return new Published(text(root, "publisher", true), property);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
