package org.mihub.planning.config;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Deadlines of the planning service's calls to the prediction service and the catalog ({@code client/}). */
@ConfigMapping(prefix = "mihub.planning")
public interface ClientsConfig {

    /** A call to the prediction service (a model's record, a batch of predictions for a model surrogate). */
    @WithDefault("2m")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration predictionDeadline();

    /** A read of the catalog: a recorded dataset (a simulation's oracle, prior data) or a search's materials. */
    @WithDefault("10m")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration catalogReadDeadline();

    /** A write to the catalog (results reported as measurements). */
    @WithDefault("30s")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration catalogDeadline();
}
