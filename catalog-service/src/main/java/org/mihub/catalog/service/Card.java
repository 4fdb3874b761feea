package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.mihub.common.access.Embargo;
import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;

/**
 * A dataset card: what the federation learns of a dataset, without its rows (the shared contract's
 * card JSON). A tombstone says the dataset is gone from the federation (deleted, or PRIVATE now) and
 * carries only the node, dataset, version and time.
 *
 * @param visibility the visibility in effect when the card was made
 * @param embargoUntil a pending embargo's end, or null; {@code embargoVisibility} what it lifts to
 */
public record Card(String node, UUID datasetId, int version, String title, String description, String licence,
        String doi, String ownerOrg, Visibility visibility, List<String> sharedWith, Instant embargoUntil,
        Visibility embargoVisibility, long rowCount, List<String> elements, List<Property> properties,
        Instant updatedAt, boolean tombstone) {

    /** A property of the card: its canonical unit (null for labelled ones), count, and range when numeric. */
    public record Property(String name, String unit, long count, Double min, Double max) {
    }

    public Card {
        sharedWith = sharedWith == null ? List.of() : List.copyOf(sharedWith);
        elements = elements == null ? List.of() : List.copyOf(elements);
        properties = properties == null ? List.of() : List.copyOf(properties);
    }

    public static Card tombstone(String node, UUID datasetId, int version, Instant at) {
        return new Card(node, datasetId, version, null, null, null, null, null, null, List.of(), null, null, 0,
                List.of(), List.of(), at, true);
    }

    /** The card's own sharing, for the access rule (the pending embargo included). */
    public Sharing sharing() {
        return new Sharing(ownerOrg, visibility, sharedWith,
                embargoUntil == null ? null : new Embargo(embargoUntil, embargoVisibility));
    }
}
