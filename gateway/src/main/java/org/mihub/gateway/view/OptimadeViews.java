package org.mihub.gateway.view;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the OPTIMADE API gets from the catalog: the fields of an entry type (structures,
 * references), entries and pages of entries.
 */
public final class OptimadeViews {

    private OptimadeViews() {
    }

    /** A field of an entry type: whether it is served, can be sorted on and filtered by. */
    public record EntryField(String name, String description, String type, String unit, boolean sortable,
            boolean filterable, boolean served) {
    }

    /**
     * An entry of {@code type}: a material as a {@code structures} entry, a dataset as a
     * {@code references} entry; its id and every attribute mihub holds for it, by OPTIMADE name (a
     * standard field without a value is a JSON null).
     */
    public record Entry(String type, String id, Map<String, JsonNode> attributes) {

        /**
         * The JSON:API resource object: {@code id}, {@code type} and the attributes named in {@code
         * fields} (all when null); a named field without a value is null, as the specification asks.
         */
        public ObjectNode resource(Set<String> fields, String selfUrl) {
            JsonNodeFactory json = JsonNodeFactory.instance;
            ObjectNode selected = json.objectNode();
            if (fields == null) {
                attributes.forEach(selected::set);
            } else {
                for (String field : fields) {
                    if (!field.equals("id") && !field.equals("type")) {
                        selected.set(field, attributes.getOrDefault(field, json.nullNode()));
                    }
                }
            }
            ObjectNode entry = json.objectNode().put("id", id).put("type", type);
            entry.set("attributes", selected);
            entry.putObject("links").put("self", selfUrl);
            return entry;
        }
    }

    /** One page of a filter's matches, as many as the caller may see, and the catalog's warnings. */
    public record EntryPage(List<Entry> entries, boolean moreDataAvailable, long dataReturned,
            long dataAvailable, List<String> warnings) {
    }
}
