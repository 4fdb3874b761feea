package org.mihub.catalog.service;

import java.util.Optional;

import org.mihub.common.identity.Caller;

/**
 * The catalog's access rules, the same on every path. Reads: PRIVATE → owner org; SHARED → owner
 * and named orgs; CONSORTIUM → every member org; PUBLIC → anyone. Writes need {@code contributor}
 * in the owner org, sharing and deletion {@code curator} in the owner org; {@code admin} may do
 * everything. The repository applies the same read rule in SQL for lists and searches.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static boolean canRead(Optional<Caller> caller, Dataset dataset) {
        if (dataset.visibility() == Visibility.PUBLIC) {
            return true;
        }
        if (caller.isEmpty()) {
            return false;
        }
        Caller who = caller.get();
        return who.hasRole(Caller.ADMIN) || who.org().equals(dataset.ownerOrg())
                || dataset.visibility() == Visibility.CONSORTIUM
                || (dataset.visibility() == Visibility.SHARED && dataset.sharedWith().contains(who.org()));
    }

    public static boolean canWrite(Caller caller, String ownerOrg) {
        return caller.hasRole(Caller.ADMIN) || (caller.hasRole(Caller.CONTRIBUTOR) && caller.org().equals(ownerOrg));
    }

    public static boolean canCurate(Caller caller, String ownerOrg) {
        return caller.hasRole(Caller.ADMIN) || (caller.hasRole(Caller.CURATOR) && caller.org().equals(ownerOrg));
    }

    /** Reads by another organisation than the owner are written to the owner's access log. */
    public static boolean isCrossOrg(Optional<Caller> caller, String ownerOrg) {
        return caller.map(who -> !who.org().equals(ownerOrg)).orElse(true);
    }
}
