package org.mihub.prediction.registry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A model version in the registry: a regression model or (task {@code CLASSIFICATION}) a classifier with
 * its classes in the order of its probabilities. Hyper-parameters, lineage and metrics are kept as the JSON the
 * registry stores (written and read with Jackson trees, no reflection).
 */
public record ModelRecord(UUID id, String name, int version, String description, String ownerOrg, String visibility,
        List<String> sharedWith, String status, String targetProperty, String targetUnit, String featuriser,
        String featuriserVersion, int featureCount, String algorithm, String hyperParametersJson, long seed,
        String lineageJson, List<String> sources, String duplicates, long trainingRows, String metricsJson,
        int domainNeighbours, double domainQuantile, double domainThreshold, UUID jobId, String artifactSha256,
        long artifactSize, String createdBy, Instant createdAt, Instant archivedAt, String task, List<String> classes) {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String REGRESSION = "REGRESSION";
    public static final String CLASSIFICATION = "CLASSIFICATION";

    public ModelRecord {
        classes = List.copyOf(classes);
    }

    /** A regression model (no classes). */
    public ModelRecord(UUID id, String name, int version, String description, String ownerOrg, String visibility,
            List<String> sharedWith, String status, String targetProperty, String targetUnit, String featuriser,
            String featuriserVersion, int featureCount, String algorithm, String hyperParametersJson, long seed,
            String lineageJson, List<String> sources, String duplicates, long trainingRows, String metricsJson,
            int domainNeighbours, double domainQuantile, double domainThreshold, UUID jobId, String artifactSha256,
            long artifactSize, String createdBy, Instant createdAt, Instant archivedAt) {
        this(id, name, version, description, ownerOrg, visibility, sharedWith, status, targetProperty, targetUnit,
                featuriser, featuriserVersion, featureCount, algorithm, hyperParametersJson, seed, lineageJson, sources,
                duplicates, trainingRows, metricsJson, domainNeighbours, domainQuantile, domainThreshold, jobId,
                artifactSha256, artifactSize, createdBy, createdAt, archivedAt, REGRESSION, List.of());
    }

    /** Whether the model is a classifier (its predictions are class probabilities). */
    public boolean classifier() {
        return CLASSIFICATION.equals(task);
    }

    /** The model's own sharing, as training derived it, for the access rule. */
    public Sharing sharing() {
        return new Sharing(ownerOrg, Visibility.valueOf(visibility), sharedWith);
    }

    /** The ids of the datasets the model was trained on, from its lineage. */
    public List<String> lineageDatasetIds() {
        return List.copyOf(lineageOwners().keySet());
    }

    /** The datasets the model was trained on, id to owner organisation, in lineage order. */
    public Map<String, String> lineageOwners() {
        try {
            Map<String, String> owners = new LinkedHashMap<>();
            JSON.readTree(lineageJson).forEach(dataset -> owners.put(dataset.path("dataset_id").asText(),
                    dataset.path("owner_org").asText()));
            return owners;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model " + id + " has unreadable lineage", e);
        }
    }
}
