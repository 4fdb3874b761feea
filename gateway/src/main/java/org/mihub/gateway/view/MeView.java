package org.mihub.gateway.view;

import java.util.List;

/** {@code GET /api/v1/me}: the caller as the gateway sees it, and as each backend sees it. */
public record MeView(CallerView gateway, List<BackendCallerView> backends) {
}
