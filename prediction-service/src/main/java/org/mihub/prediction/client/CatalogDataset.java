package org.mihub.prediction.client;

import java.util.List;

import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;

/**
 * A catalog dataset as the prediction service uses it: its id, owner organisation, visibility and the
 * organisations it is shared with, as the catalog reported them.
 *
 * @param visibility the catalog's level as given on the wire ({@code PRIVATE}... , or {@code UNSPECIFIED}
 *                   when the catalog set none): what a model's lineage records
 */
public record CatalogDataset(String id, String ownerOrg, String visibility, List<String> sharedWith) {

    public CatalogDataset {
        sharedWith = List.copyOf(sharedWith);
    }

    /** The dataset's sharing (an unset or unknown visibility reads as PRIVATE). */
    public Sharing sharing() {
        return new Sharing(ownerOrg, Visibility.ofNameOrPrivate(visibility), sharedWith);
    }
}
