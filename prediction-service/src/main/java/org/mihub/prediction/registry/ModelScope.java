package org.mihub.prediction.registry;

import java.util.List;
import java.util.Optional;

import org.mihub.common.identity.Caller;

/**
 * The catalog's read rule applied to models (alias {@code m}): PRIVATE to the owner org, SHARED
 * also to the named orgs, CONSORTIUM to every member, PUBLIC to anyone; admins see all.
 */
public record ModelScope(String condition, List<Object> parameters) {

    public static ModelScope of(Optional<Caller> caller) {
        if (caller.isEmpty()) {
            return new ModelScope("m.visibility = 'PUBLIC'", List.of());
        }
        Caller who = caller.get();
        if (who.hasRole(Caller.ADMIN)) {
            return new ModelScope("TRUE", List.of());
        }
        return new ModelScope("(m.owner_org = ? OR m.visibility IN ('CONSORTIUM', 'PUBLIC') OR "
                + "(m.visibility = 'SHARED' AND ? = ANY(m.shared_with)))", List.of(who.org(), who.org()));
    }

    /** The same rule in Java, for a model already read. */
    public static boolean canRead(Optional<Caller> caller, ModelRecord model) {
        if (caller.isEmpty()) {
            return model.visibility().equals("PUBLIC");
        }
        Caller who = caller.get();
        return who.hasRole(Caller.ADMIN) || model.ownerOrg().equals(who.org())
                || model.visibility().equals("CONSORTIUM") || model.visibility().equals("PUBLIC")
                || model.visibility().equals("SHARED") && model.sharedWith().contains(who.org());
    }
}
