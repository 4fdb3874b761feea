package org.mihub.catalog.mapping;

import static org.mihub.catalog.mapping.FederationJson.array;
import static org.mihub.catalog.mapping.FederationJson.instant;
import static org.mihub.catalog.mapping.FederationJson.number;
import static org.mihub.catalog.mapping.FederationJson.object;
import static org.mihub.catalog.mapping.FederationJson.optionalNumber;
import static org.mihub.catalog.mapping.FederationJson.strings;
import static org.mihub.catalog.mapping.FederationJson.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.mihub.catalog.mapping.FederationJson.Malformed;
import org.mihub.catalog.service.Card;
import org.mihub.common.access.Visibility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The card JSON of the federation contract, written and read through Jackson's tree model (no
 * reflection): {@code {"node","datasetId","version","title",...,"updatedAt","tombstone"}}; a tombstone
 * has only {@code node, datasetId, version, tombstone, updatedAt}. Reading is strict: a missing or
 * mistyped field is a {@link FederationJson.Malformed} naming it.
 */
public final class CardJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CardJson() {
    }

    public static String write(Card card) {
        ObjectNode node = JSON.createObjectNode();
        node.put("node", card.node());
        node.put("datasetId", card.datasetId().toString());
        node.put("version", card.version());
        if (!card.tombstone()) {
            node.put("title", card.title());
            node.put("description", card.description());
            node.put("licence", card.licence());
            node.put("doi", card.doi());
            node.put("ownerOrg", card.ownerOrg());
            node.put("visibility", card.visibility().name());
            ArrayNode shared = node.putArray("sharedWith");
            card.sharedWith().forEach(shared::add);
            node.put("embargoUntil", card.embargoUntil() == null ? null : card.embargoUntil().toString());
            node.put("embargoVisibility", card.embargoVisibility() == null ? null : card.embargoVisibility().name());
            node.put("rowCount", card.rowCount());
            ArrayNode elements = node.putArray("elements");
            card.elements().forEach(elements::add);
            ArrayNode properties = node.putArray("properties");
            for (Card.Property property : card.properties()) {
                ObjectNode entry = properties.addObject();
                entry.put("name", property.name());
                entry.put("unit", property.unit());
                entry.put("count", property.count());
                entry.put("min", property.min());
                entry.put("max", property.max());
            }
        }
        node.put("updatedAt", card.updatedAt().toString());
        node.put("tombstone", card.tombstone());
        return node.toString();
    }

    public static Card read(byte[] json) throws Malformed {
        JsonNode root = object(json);
        String node = text(root, "node", true);
        UUID datasetId;
        try {
            datasetId = UUID.fromString(text(root, "datasetId", true));
        } catch (IllegalArgumentException e) {
            throw new Malformed("datasetId: not a UUID");
        }
        int version = (int) number(root, "version");
        Instant updatedAt = instant(root, "updatedAt", true);
        JsonNode tombstone = root.get("tombstone");
        if (tombstone != null && !tombstone.isBoolean()) {
            throw new Malformed("tombstone: expected true or false");
        }
        if (tombstone != null && tombstone.booleanValue()) {
            return Card.tombstone(node, datasetId, version, updatedAt);
        }
        Visibility visibility = visibility(root, "visibility", true);
        if (visibility == Visibility.PRIVATE) {
            throw new Malformed("visibility: a PRIVATE dataset has no card");
        }
        List<Card.Property> properties = new ArrayList<>();
        JsonNode list = array(root, "properties");
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw new Malformed("properties[" + i + "]: expected an object");
            }
            properties.add(new Card.Property(text(entry, "name", true), text(entry, "unit", false),
                    number(entry, "count"), optionalNumber(entry, "min"), optionalNumber(entry, "max")));
        }
        return new Card(node, datasetId, version, text(root, "title", true), text(root, "description", false),
                text(root, "licence", true), text(root, "doi", false), text(root, "ownerOrg", true), visibility,
                strings(root, "sharedWith"), instant(root, "embargoUntil", false),
                visibility(root, "embargoVisibility", false), number(root, "rowCount"), strings(root, "elements"),
                properties, updatedAt, false);
    }

    private static Visibility visibility(JsonNode root, String field, boolean required) throws Malformed {
        String text = text(root, field, required);
        if (text == null) {
            return null;
        }
        try {
            return Visibility.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new Malformed(field + ": '" + text + "' is not PRIVATE, SHARED, CONSORTIUM or PUBLIC");
        }
    }
}
