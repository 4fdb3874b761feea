package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;

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

    /**
     * At {@code until} the dataset becomes {@code liftsTo}. Either may be missing in a request,
     * which validation refuses before anything is stored.
     */
    public record Embargo(Instant until, Visibility liftsTo) {
    }

    /** The dataset's sharing, for the access rule. */
    public Sharing sharing() {
        return new Sharing(ownerOrg, visibility, sharedWith,
                embargo == null ? null : new org.mihub.common.access.Embargo(embargo.until(), embargo.liftsTo()));
    }
}
