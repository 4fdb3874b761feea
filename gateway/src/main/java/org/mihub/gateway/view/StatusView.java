package org.mihub.gateway.view;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code GET /api/v1/status}: each backend's readiness as seen from the gateway. */
public record StatusView(boolean ready, List<BackendStatus> backends) {

    /** One backend: reachable or not, ready or not, with its own checks (database, services it calls). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackendStatus(String service, boolean reachable, boolean ready, List<Check> checks, String error) {
    }

    public record Check(String name, boolean up, String detail) {
    }
}
