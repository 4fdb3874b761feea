package org.mihub.common.access;

/**
 * Who may read an artifact (a dataset, a model, a campaign, a simulation), from most to least
 * restrictive: PRIVATE the owner organisation, SHARED also the named organisations, CONSORTIUM
 * every member organisation, PUBLIC anyone, anonymous readers included.
 */
public enum Visibility {
    PRIVATE, SHARED, CONSORTIUM, PUBLIC;

    public boolean lessRestrictiveThan(Visibility other) {
        return ordinal() > other.ordinal();
    }

    /** The more restrictive of the two. */
    public Visibility mostRestrictive(Visibility other) {
        return other.ordinal() < ordinal() ? other : this;
    }

    /**
     * The level of that name; anything else (an unset or unknown wire value) is PRIVATE, so an
     * unreadable level never opens an artifact wider than its owner.
     */
    public static Visibility ofNameOrPrivate(String name) {
        for (Visibility level : values()) {
            if (level.name().equals(name)) {
                return level;
            }
        }
        return PRIVATE;
    }
}
