package org.mihub.prediction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mihub.common.testing.ConfigMappings;

/** The prediction service's mappings: today's defaults, and bad values refused with their keys. */
class PredictionConfigTest {

    @Test
    void defaults() {
        var inference = ConfigMappings.build(InferenceConfig.class, Map.of());
        assertEquals(10000, inference.maxBatch());
        assertEquals(2, inference.inferenceThreads());
        var training = ConfigMappings.build(TrainingConfig.class, Map.of());
        assertEquals(2, training.trainingThreads());
        assertEquals(Duration.ofMinutes(10), training.catalogReadDeadline());
        assertEquals(Duration.ofSeconds(10), ConfigMappings.build(RegistryConfig.class, Map.of()).lineageCheckDeadline());
    }

    @Test
    void zeroThreadsOrBatchStopTheStart() {
        assertEquals(List.of("mihub.prediction.inference-threads must be greater than or equal to 1",
                "mihub.prediction.max-batch must be greater than or equal to 1"),
                ConfigMappings.problems(InferenceConfig.class,
                        Map.of("mihub.prediction.max-batch", "0", "mihub.prediction.inference-threads", "0"))
                        .stream().sorted().toList());
        assertEquals(List.of("mihub.prediction.training-threads must be greater than or equal to 1"),
                ConfigMappings.problems(TrainingConfig.class, Map.of("mihub.prediction.training-threads", "-2")));
    }

    @Test
    void zeroDeadlinesStopTheStart() {
        assertEquals(List.of("mihub.prediction.catalog-read-deadline must be a positive duration, e.g. 5s"),
                ConfigMappings.problems(TrainingConfig.class, Map.of("mihub.prediction.catalog-read-deadline", "0s")));
        assertEquals(List.of("mihub.prediction.lineage-check-deadline must be a positive duration, e.g. 5s"),
                ConfigMappings.problems(RegistryConfig.class, Map.of("mihub.prediction.lineage-check-deadline", "-1s")));
    }
}
