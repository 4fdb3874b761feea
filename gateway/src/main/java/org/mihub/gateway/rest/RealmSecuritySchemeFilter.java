package org.mihub.gateway.rest;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Points the OpenAPI document's OpenID Connect scheme (Swagger UI's "Authorize") at the realm the
 * gateway is configured with when it starts, the one the portal signs in at ({@link PortalRealm}).
 * {@code quarkus.smallrye-openapi.oidc-open-id-connect-url} is read when the application is built, so
 * it kept the build's default realm (port 8090) wherever the realm really was.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class RealmSecuritySchemeFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSecuritySchemes() == null) {
            return;
        }
        String discovery = discoveryUrl(Arc.container().instance(PortalRealm.class).get().issuer());
        openAPI.getComponents().getSecuritySchemes().values().stream()
                .filter(scheme -> scheme.getType() == SecurityScheme.Type.OPENIDCONNECT)
                .forEach(scheme -> scheme.setOpenIdConnectUrl(discovery));
    }

    /** The realm's OpenID Connect discovery document. */
    static String discoveryUrl(String issuer) {
        return issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
    }
}
