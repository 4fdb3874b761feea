package org.mihub.catalog.service;

/** Who may read a dataset, from most to least restrictive. */
public enum Visibility {
    PRIVATE, SHARED, CONSORTIUM, PUBLIC;

    public boolean lessRestrictiveThan(Visibility other) {
        return ordinal() > other.ordinal();
    }
}
