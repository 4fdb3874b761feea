package org.mihub.common.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.mihub.common.identity.Caller;

/**
 * Who may read, write and curate an artifact: the one rule of the suite, in Java and as SQL.
 *
 * <p>Reads, at the visibility in effect (an embargo that has passed is applied): {@code admin}
 * reads everything; the owner organisation always reads its own; SHARED is readable by the named
 * organisations; CONSORTIUM by every member organisation (any authenticated caller); PUBLIC by
 * anyone, anonymous callers included. No other role matters for reading, but a caller holding none
 * of {@code member}, {@code contributor}, {@code curator}, {@code admin} (a node's service account,
 * role {@code federation}) reads as anonymous callers do: PUBLIC only, not even its own organisation's.
 *
 * <p>Writes need {@code contributor} in the owner organisation, sharing and deletion
 * ({@code curate}) {@code curator} in the owner organisation; {@code admin} may do both.
 *
 * <p>{@link #canRead} and {@link #readCondition} are built from the same parts ({@link #openTo}
 * and the owner and named-organisation clauses), so lists and searches filtered in SQL show what a
 * single read shows.
 */
public final class AccessRule {

    private AccessRule() {
    }

    /** Whether {@code caller} (empty: anonymous) may read an artifact shared as {@code sharing} at {@code now}. */
    public static boolean canRead(Optional<Caller> caller, Sharing sharing, Instant now) {
        Optional<Caller> who = reader(caller);
        Visibility effective = sharing.effectiveAt(now);
        if (who.isPresent() && who.get().hasRole(Caller.ADMIN)) {
            return true;
        }
        if (openTo(who).contains(effective)) {
            return true;
        }
        if (who.isEmpty()) {
            return false;
        }
        String org = who.get().org();
        return org.equals(sharing.ownerOrg())
                || effective == Visibility.SHARED && sharing.sharedWith().contains(org);
    }

    public static boolean canRead(Optional<Caller> caller, Sharing sharing) {
        return canRead(caller, sharing, Instant.now());
    }

    /**
     * {@link #canRead} as a SQL condition over {@code columns}, for lists and searches; the
     * condition is true exactly for the rows the caller may read (embargo end against the
     * database's {@code now()}).
     */
    public static SqlCondition readCondition(Optional<Caller> caller, SharingColumns columns) {
        Optional<Caller> who = reader(caller);
        if (who.isPresent() && who.get().hasRole(Caller.ADMIN)) {
            return new SqlCondition("TRUE", List.of());
        }
        String effective = columns.effectiveVisibility();
        String open = effective + " IN (" + openTo(who).stream().map(level -> "'" + level.name() + "'")
                .collect(Collectors.joining(", ")) + ")";
        if (who.isEmpty()) {
            return new SqlCondition(open, List.of());
        }
        String org = who.get().org();
        return new SqlCondition("(" + columns.ownerOrg() + " = ? OR " + open + " OR (" + effective + " = '"
                + Visibility.SHARED.name() + "' AND ? = ANY(" + columns.sharedWith() + ")))", List.of(org, org));
    }

    /** Adding rows, ingesting, changing content: {@code contributor} in the owner organisation, or {@code admin}. */
    public static boolean canWrite(Caller caller, String ownerOrg) {
        return caller.hasRole(Caller.ADMIN) || caller.hasRole(Caller.CONTRIBUTOR) && caller.org().equals(ownerOrg);
    }

    /**
     * Running an owner's work (proposing and reporting in a campaign, a lab session, cancelling a
     * job): {@code member} in the owner organisation, or {@code admin}.
     */
    public static boolean canOperate(Caller caller, String ownerOrg) {
        return caller.hasRole(Caller.ADMIN) || caller.hasRole(Caller.MEMBER) && caller.org().equals(ownerOrg);
    }

    /** Sharing, archiving, deleting: {@code curator} in the owner organisation, or {@code admin}. */
    public static boolean canCurate(Caller caller, String ownerOrg) {
        return caller.hasRole(Caller.ADMIN) || caller.hasRole(Caller.CURATOR) && caller.org().equals(ownerOrg);
    }

    /** Whether a read is by another organisation than the owner (anonymous reads count): what the access log records. */
    public static boolean isCrossOrg(Optional<Caller> caller, String ownerOrg) {
        return caller.map(who -> !who.org().equals(ownerOrg)).orElse(true);
    }

    /** Who reads: the caller, or anonymous when no role of the caller grants data access. */
    private static Optional<Caller> reader(Optional<Caller> caller) {
        return caller.filter(Caller::hasDataRole);
    }

    /** The levels readable by the caller whoever owns the artifact and whoever it is shared with. */
    private static Set<Visibility> openTo(Optional<Caller> caller) {
        return caller.isEmpty() ? EnumSet.of(Visibility.PUBLIC) : EnumSet.of(Visibility.CONSORTIUM, Visibility.PUBLIC);
    }
}
