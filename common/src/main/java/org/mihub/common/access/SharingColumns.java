package org.mihub.common.access;

import java.util.Objects;

/**
 * Where a table keeps a {@link Sharing}: the SQL expressions (usually qualified column names) of
 * the owner organisation, the visibility (the level's name as text), the organisations shared with
 * (a {@code text[]}) and, if the table has an embargo, its end and target visibility. They are
 * written into SQL as given, so they come from code, never from a request.
 *
 * @param embargoUntil      a {@code timestamptz} column, or null without embargo
 * @param embargoVisibility the level the embargo lifts to, or null without embargo
 */
public record SharingColumns(String ownerOrg, String visibility, String sharedWith, String embargoUntil,
        String embargoVisibility) {

    public SharingColumns {
        Objects.requireNonNull(ownerOrg, "ownerOrg");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(sharedWith, "sharedWith");
        if ((embargoUntil == null) != (embargoVisibility == null)) {
            throw new IllegalArgumentException("an embargo needs both its end and its target visibility");
        }
    }

    /** {@code alias.owner_org}, {@code alias.visibility}, {@code alias.shared_with}; no embargo. */
    public static SharingColumns of(String alias) {
        return new SharingColumns(alias + ".owner_org", alias + ".visibility", alias + ".shared_with", null, null);
    }

    /** The same columns with an embargo kept in {@code until} and {@code liftsTo}. */
    public SharingColumns withEmbargo(String until, String liftsTo) {
        return new SharingColumns(ownerOrg, visibility, sharedWith, until, liftsTo);
    }

    /**
     * The visibility in effect as a SQL expression: the embargo's target once its end has passed,
     * exactly as {@link Sharing#effectiveAt} with the database's {@code now()}.
     */
    public String effectiveVisibility() {
        if (embargoUntil == null) {
            return visibility;
        }
        return "(CASE WHEN " + embargoUntil + " IS NOT NULL AND " + embargoUntil + " <= now() THEN "
                + embargoVisibility + " ELSE " + visibility + " END)";
    }
}
