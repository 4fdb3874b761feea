package org.mihub.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.ext.web.Router;

/**
 * Security headers for the web portal's pages and files: a Content-Security-Policy that lets
 * scripts come only from the gateway (no inline script, no eval) and lets the page talk only to the
 * gateway and the realm's Keycloak, no framing, no MIME sniffing, no referrer to other sites. The
 * portal keeps the user's token in sessionStorage, so keeping foreign scripts out is what protects
 * it.
 */
@ApplicationScoped
public class PortalSecurityHeaders {

    @Inject
    PortalRealm realm;

    void register(@Observes Router router) {
        String policy = policy();
        router.route().order(-2).handler(context -> {
            String path = context.request().path();
            if (path.equals("/") || path.equals("/index.html") || path.startsWith("/app/")) {
                context.response().putHeader("Content-Security-Policy", policy)
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("Referrer-Policy", "same-origin")
                        .putHeader("X-Frame-Options", "DENY");
            }
            context.next();
        });
    }

    String policy() {
        String keycloak = realm.origin();
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src 'self' " + keycloak + "; frame-ancestors 'none'; form-action 'self' " + keycloak
                + "; base-uri 'none'; object-src 'none'";
    }
}
