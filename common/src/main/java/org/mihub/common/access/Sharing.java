package org.mihub.common.access;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How an artifact is shared: its owner organisation, its visibility, the organisations it is
 * shared with (used when the visibility in effect is SHARED) and an optional embargo.
 *
 * @param embargo null when there is none
 */
public record Sharing(String ownerOrg, Visibility visibility, List<String> sharedWith, Embargo embargo) {

    public Sharing {
        Objects.requireNonNull(ownerOrg, "ownerOrg");
        Objects.requireNonNull(visibility, "visibility");
        sharedWith = List.copyOf(sharedWith);
    }

    public Sharing(String ownerOrg, Visibility visibility, List<String> sharedWith) {
        this(ownerOrg, visibility, sharedWith, null);
    }

    /** The visibility in effect at {@code now}: the embargo's target once it has passed. */
    public Visibility effectiveAt(Instant now) {
        return embargo != null && embargo.liftedAt(now) ? embargo.liftsTo() : visibility;
    }

    /**
     * The sharing of an artifact that {@code owner} derives from {@code inputs} (a model from its
     * training datasets, a campaign or simulation from the datasets and models it uses): the most
     * restrictive visibility in effect among the inputs. When that is SHARED, it is shared with
     * the organisations every SHARED input allows (each input's named organisations and its owner),
     * except the new owner itself. CONSORTIUM and PUBLIC inputs narrow nothing. Without inputs the
     * artifact is PRIVATE. The derived artifact carries no embargo.
     */
    public static Sharing derived(String owner, Collection<Sharing> inputs, Instant now) {
        if (inputs.isEmpty()) {
            return new Sharing(owner, Visibility.PRIVATE, List.of());
        }
        Visibility level = Visibility.PUBLIC;
        Set<String> allowed = null;
        for (Sharing input : inputs) {
            Visibility effective = input.effectiveAt(now);
            level = level.mostRestrictive(effective);
            if (effective == Visibility.SHARED) {
                Set<String> orgs = new LinkedHashSet<>(input.sharedWith());
                orgs.add(input.ownerOrg());
                if (allowed == null) {
                    allowed = orgs;
                } else {
                    allowed.retainAll(orgs);
                }
            }
        }
        if (level != Visibility.SHARED) {
            return new Sharing(owner, level, List.of());
        }
        allowed.remove(owner);
        return new Sharing(owner, Visibility.SHARED, List.copyOf(allowed));
    }
}
