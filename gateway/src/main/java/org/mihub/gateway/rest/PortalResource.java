package org.mihub.gateway.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.mihub.gateway.config.FederationConfig;
import org.mihub.gateway.config.PortalConfig;

/**
 * What the web portal (static files under {@code META-INF/resources}, served at {@code /}) needs to
 * sign users in: the realm's public issuer URL and its public client. The portal then uses the
 * authorization code flow with PKCE against Keycloak and calls {@code /api/v1} with the token,
 * like any other client.
 */
@Path("/portal/config")
@PermitAll
public class PortalResource {

    @Inject
    PortalRealm realm;

    @Inject
    PortalConfig portal;

    @Inject
    FederationConfig federation;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true, summary = "The realm and client the web portal signs users in with, and this "
            + "installation's federation node (empty for a single installation)")
    public Map<String, String> config() {
        String node = federation.node().isPresent() && federation.hubUrl().isPresent() ? federation.node().get() : "";
        return Map.of("issuer", realm.issuer(), "clientId", portal.clientId(), "federation", node);
    }
}
