package org.mihub.prediction.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model version in the registry. Hyper-parameters, lineage and metrics are kept as the JSON the
 * registry stores (written and read with Jackson trees, no reflection).
 */
public record ModelRecord(UUID id, String name, int version, String description, String ownerOrg, String visibility,
        List<String> sharedWith, String status, String targetProperty, String targetUnit, String featuriser,
        String featuriserVersion, int featureCount, String algorithm, String hyperParametersJson, long seed,
        String lineageJson, List<String> sources, String duplicates, long trainingRows, String metricsJson,
        int domainNeighbours, double domainQuantile, double domainThreshold, UUID jobId, String artifactSha256,
        long artifactSize, String createdBy, Instant createdAt, Instant archivedAt) {
}
