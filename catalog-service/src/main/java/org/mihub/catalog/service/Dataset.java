package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A dataset: the unit of ownership, sharing, versioning and citation.
 *
 * @param visibility the visibility now in effect: an embargo that has passed is already applied
 *                   (the repository computes it on every read, so nobody has to act)
 * @param embargo    the pending embargo, or null
 */
public record Dataset(UUID id, String ownerOrg, String title, String description, String licence,
        Visibility visibility, List<String> sharedWith, Embargo embargo, String citation, String doi, int version,
        long rowCount, String createdBy, Instant createdAt, Instant updatedAt) {

    /** At {@code until} the dataset becomes {@code liftsTo}. */
    public record Embargo(Instant until, Visibility liftsTo) {
    }
}
