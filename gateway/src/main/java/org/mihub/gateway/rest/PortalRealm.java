package org.mihub.gateway.rest;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The realm the web portal signs users in at: its public issuer URL, as tokens carry it. */
@ApplicationScoped
public class PortalRealm {

    /** The issuer tokens carry (the realm's public URL); without it, the URL keys are fetched from. */
    @ConfigProperty(name = "quarkus.oidc.token.issuer")
    Optional<String> issuer;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String authServer;

    public String issuer() {
        return issuer.filter(url -> !url.isBlank() && !url.equals("any")).orElse(authServer);
    }

    /** The realm's origin (scheme, host and port), e.g. for a Content-Security-Policy. */
    public String origin() {
        URI realm = URI.create(issuer());
        return realm.getScheme() + "://" + realm.getAuthority();
    }
}
