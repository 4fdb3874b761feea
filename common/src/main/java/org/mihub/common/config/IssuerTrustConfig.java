package org.mihub.common.config;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * Which organisations each token issuer (an OIDC tenant: {@code Default} for
 * {@code quarkus.oidc.auth-server-url}, {@code <tenant>} for {@code quarkus.oidc.<tenant>.auth-server-url})
 * may assert in a token's {@code org} claim: {@code mihub.auth.trust."<tenant>"=acme,kansai-u}, or {@code *}
 * for every organisation not listed for another tenant. No entries at all: the default tenant asserts every
 * organisation, and no other tenant any (a single installation). {@code identity.IssuerTrust} applies it.
 */
@ConfigMapping(prefix = "mihub.auth.trust")
public interface IssuerTrustConfig {

    /** Tenant id → the organisations (or {@code *}) its tokens may name. */
    @WithParentName
    Map<String, @NotEmpty(message = ConfigRules.TRUSTED_ORGS_MESSAGE) List<
            @Pattern(regexp = ConfigRules.TRUSTED_ORG, message = ConfigRules.TRUSTED_ORGS_MESSAGE) String>> tenants();
}
