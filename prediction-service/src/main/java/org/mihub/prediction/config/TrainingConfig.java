package org.mihub.prediction.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How training jobs run ({@code training/TrainingService}, {@code client/CatalogClient}). */
@ConfigMapping(prefix = "mihub.prediction")
public interface TrainingConfig {

    /** Threads of a training job (jobs run one at a time per process). */
    @WithDefault("2")
    @Min(1)
    int trainingThreads();

    /** Deadline of the catalog export a training job reads its data from. */
    @WithDefault("10m")
    @DurationMin(millis = 1, message = ConfigRules.POSITIVE_DURATION)
    Duration catalogReadDeadline();
}
