package org.mihub.gateway.rest;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.gateway.config.RealmConfig;

/** The realm the web portal signs users in at: its public issuer URL, as tokens carry it. */
@ApplicationScoped
public class PortalRealm {

    @Inject
    RealmConfig realm;

    /** The issuer tokens carry (the realm's public URL); without it, the URL keys are fetched from. */
    public String issuer() {
        return realm.token().issuer().filter(url -> !url.isBlank() && !url.equals("any"))
                .orElse(realm.authServerUrl());
    }

    /** The realm's origin (scheme, host and port), e.g. for a Content-Security-Policy. */
    public String origin() {
        URI realm = URI.create(issuer());
        return realm.getScheme() + "://" + realm.getAuthority();
    }
}
