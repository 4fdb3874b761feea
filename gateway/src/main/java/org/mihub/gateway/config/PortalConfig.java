package org.mihub.gateway.config;

import jakarta.validation.constraints.NotBlank;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The web portal's sign-in ({@code rest/PortalResource}). */
@ConfigMapping(prefix = "mihub.portal")
public interface PortalConfig {

    /** The realm's public client the portal signs users in with (authorization code flow with PKCE). */
    @WithDefault("portal")
    @NotBlank
    String clientId();
}
