package org.mihub.prediction.config;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How predictions are made ({@code inference/InferenceService}). */
@ConfigMapping(prefix = "mihub.prediction")
public interface InferenceConfig {

    /** Inputs one {@code Predict} call may carry (a stream takes more). */
    @WithDefault("10000")
    @Min(1)
    int maxBatch();

    /** Threads one prediction batch is shared out among. */
    @WithDefault("2")
    @Min(1)
    int inferenceThreads();
}
