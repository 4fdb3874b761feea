package org.mihub.gateway.view;

import java.util.List;

/** A caller as one component of mihub sees it. */
public record CallerView(String subject, String org, List<String> roles, String username, String clientId) {
}
