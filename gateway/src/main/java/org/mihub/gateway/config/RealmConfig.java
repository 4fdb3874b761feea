package org.mihub.gateway.config;

import java.util.Optional;

import org.hibernate.validator.constraints.URL;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;

/**
 * The two quarkus-oidc keys the portal's realm is read from ({@code rest/PortalRealm}); quarkus-oidc
 * itself reads and checks the rest.
 */
@ConfigMapping(prefix = "quarkus.oidc")
public interface RealmConfig {

    /** The realm tokens are checked against (its keys are fetched from here). */
    @URL(message = ConfigRules.URL_MESSAGE)
    String authServerUrl();

    Token token();

    interface Token {

        /**
         * The issuer tokens carry (the realm's public URL) when it differs from the auth server URL;
         * {@code any}: not checked.
         */
        Optional<String> issuer();
    }
}
