package org.mihub.common.config;

import jakarta.validation.constraints.NotBlank;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The service's own name and version, as Quarkus records them (the module's artifact id and the
 * build's version): what {@code ServiceInfo} and the OPTIMADE {@code meta.implementation} report.
 */
@ConfigMapping(prefix = "quarkus.application")
public interface ApplicationConfig {

    /** The service's name, e.g. {@code catalog-service}. */
    @NotBlank
    String name();

    /** The build's version. */
    @WithDefault("unknown")
    String version();
}
