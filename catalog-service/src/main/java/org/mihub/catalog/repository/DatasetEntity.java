package org.mihub.catalog.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.mihub.common.access.Visibility;

/**
 * A row of the {@code dataset} table (V1, V2), as Hibernate maps it. Flyway owns the table: every
 * column is named as the migrations name it, and the tests validate this mapping against the
 * migrated schema. The visibility and embargo are stored as set; the visibility in effect is the
 * repository's to compute ({@link DatasetRepository#toDomain}). {@code version} is the dataset's
 * data version (bumped by an ingest), not an optimistic lock.
 */
@Entity
@Table(name = "dataset")
public class DatasetEntity {

    @Id
    @Column(name = "id", nullable = false)
    public UUID id;

    @Column(name = "owner_org", nullable = false, updatable = false)
    public String ownerOrg;

    @Column(name = "title", nullable = false)
    public String title;

    @Column(name = "description", nullable = false)
    public String description;

    @Column(name = "licence", nullable = false)
    public String licence;

    @Enumerated(EnumType.STRING)
    @Column(name = "visibility", nullable = false)
    public Visibility visibility;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "shared_with", nullable = false, columnDefinition = "text[]")
    public List<String> sharedWith;

    @Column(name = "embargo_until", columnDefinition = "timestamptz")
    public Instant embargoUntil;

    @Enumerated(EnumType.STRING)
    @Column(name = "embargo_visibility")
    public Visibility embargoVisibility;

    @Column(name = "citation", nullable = false)
    public String citation;

    @Column(name = "doi")
    public String doi;

    /** The data version: 1 when created, one more with every committed ingest (written by the ingest over JDBC). */
    @Column(name = "version", nullable = false)
    public int dataVersion;

    /** Materials in the dataset (written by the ingest over JDBC). */
    @Column(name = "row_count", nullable = false)
    public long rowCount;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false, columnDefinition = "timestamptz")
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false, columnDefinition = "timestamptz")
    public Instant updatedAt;

    @Column(name = "deleted_at", columnDefinition = "timestamptz")
    public Instant deletedAt;

    @Column(name = "deleted_by")
    public String deletedBy;

    @Column(name = "delete_reason")
    public String deleteReason;
}
