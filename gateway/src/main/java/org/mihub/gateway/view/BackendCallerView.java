package org.mihub.gateway.view;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one backend reported about the caller: the caller as that service sees it, or why the
 * gateway could not ask (the gRPC status code and its description).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendCallerView(String service, boolean ok, CallerView caller, String error) {
}
