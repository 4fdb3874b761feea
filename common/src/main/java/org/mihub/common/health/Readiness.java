package org.mihub.common.health;

import java.util.List;

/**
 * A service's readiness as its own health checks report it: its database, the services it calls.
 *
 * @param ready  true when every check is up
 * @param checks each check with its detail
 */
public record Readiness(boolean ready, List<Check> checks) {

    public record Check(String name, boolean up, String detail) {
    }
}
