package org.mihub.prediction.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of the {@code model} table (Flyway's V1, V2 and V4), mapped column by column. Hyper-parameters,
 * lineage and metrics are {@code jsonb}, kept as the JSON text the registry writes; the organisations
 * shared with and the sources are {@code text[]}. Rows are written once; archiving is an update query
 * ({@link ModelRepository#archive}). The service works on {@link ModelRecord}s, made by {@link #toRecord}.
 */
@Entity
@Table(name = "model")
public class ModelEntity {

    @Id
    @Column(name = "id", nullable = false)
    UUID id;

    @Column(name = "name", nullable = false)
    String name;

    @Column(name = "version", nullable = false)
    int version;

    @Column(name = "description", nullable = false)
    String description;

    @Column(name = "owner_org", nullable = false)
    String ownerOrg;

    @Column(name = "visibility", nullable = false)
    String visibility;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "shared_with", nullable = false)
    List<String> sharedWith;

    @Column(name = "status", nullable = false)
    String status;

    @Column(name = "target_property", nullable = false)
    String targetProperty;

    @Column(name = "target_unit", nullable = false)
    String targetUnit;

    @Column(name = "featuriser", nullable = false)
    String featuriser;

    @Column(name = "featuriser_version", nullable = false)
    String featuriserVersion;

    @Column(name = "feature_count", nullable = false)
    int featureCount;

    @Column(name = "algorithm", nullable = false)
    String algorithm;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "hyper_parameters", nullable = false)
    String hyperParameters;

    @Column(name = "seed", nullable = false)
    long seed;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "lineage", nullable = false)
    String lineage;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "sources", nullable = false)
    List<String> sources;

    @Column(name = "duplicates", nullable = false)
    String duplicates;

    @Column(name = "training_rows", nullable = false)
    long trainingRows;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "metrics", nullable = false)
    String metrics;

    @Column(name = "domain_neighbours", nullable = false)
    int domainNeighbours;

    @Column(name = "domain_quantile", nullable = false)
    double domainQuantile;

    @Column(name = "domain_threshold", nullable = false)
    double domainThreshold;

    /** The job that trained the model ({@code job.id}); kept as the id, the job is read on its own. */
    @Column(name = "job_id")
    UUID jobId;

    @Column(name = "artifact_sha256", nullable = false)
    String artifactSha256;

    @Column(name = "artifact_size", nullable = false)
    long artifactSize;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "archived_at")
    Instant archivedAt;

    @Column(name = "archive_reason")
    String archiveReason;

    @Column(name = "task", nullable = false)
    String task;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "classes", nullable = false)
    List<String> classes;

    protected ModelEntity() {
    }

    /** The row for {@code model}, as version {@code version} of its name. */
    static ModelEntity of(ModelRecord model, int version) {
        ModelEntity row = new ModelEntity();
        row.id = model.id();
        row.name = model.name();
        row.version = version;
        row.description = model.description();
        row.ownerOrg = model.ownerOrg();
        row.visibility = model.visibility();
        row.sharedWith = List.copyOf(model.sharedWith());
        row.status = model.status();
        row.targetProperty = model.targetProperty();
        row.targetUnit = model.targetUnit();
        row.featuriser = model.featuriser();
        row.featuriserVersion = model.featuriserVersion();
        row.featureCount = model.featureCount();
        row.algorithm = model.algorithm();
        row.hyperParameters = model.hyperParametersJson();
        row.seed = model.seed();
        row.lineage = model.lineageJson();
        row.sources = List.copyOf(model.sources());
        row.duplicates = model.duplicates();
        row.trainingRows = model.trainingRows();
        row.metrics = model.metricsJson();
        row.domainNeighbours = model.domainNeighbours();
        row.domainQuantile = model.domainQuantile();
        row.domainThreshold = model.domainThreshold();
        row.jobId = model.jobId();
        row.artifactSha256 = model.artifactSha256();
        row.artifactSize = model.artifactSize();
        row.createdBy = model.createdBy();
        row.createdAt = model.createdAt();
        row.archivedAt = model.archivedAt();
        row.task = model.task();
        row.classes = List.copyOf(model.classes());
        return row;
    }

    ModelRecord toRecord() {
        return new ModelRecord(id, name, version, description, ownerOrg, visibility, texts(sharedWith), status,
                targetProperty, targetUnit, featuriser, featuriserVersion, featureCount, algorithm, hyperParameters,
                seed, lineage, texts(sources), duplicates, trainingRows, metrics, domainNeighbours, domainQuantile,
                domainThreshold, jobId, artifactSha256, artifactSize, createdBy, createdAt, archivedAt, task,
                texts(classes));
    }

    private static List<String> texts(List<String> array) {
        return array == null ? List.of() : List.copyOf(array);
    }
}
