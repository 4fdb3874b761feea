package org.mihub.prediction.config;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may see a model ({@code registry/LineageAccess}, through {@code client/CatalogClient}). */
@ConfigMapping(prefix = "mihub.prediction")
public interface RegistryConfig {

    /** Deadline of the catalog call that checks the caller may still see a model's training datasets. */
    @WithDefault("10s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration lineageCheckDeadline();
}
