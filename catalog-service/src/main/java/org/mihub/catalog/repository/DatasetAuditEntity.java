package org.mihub.catalog.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/**
 * A row of the {@code dataset_audit} table (V2): who created, re-shared or deleted a dataset, and
 * when; written in the transaction of the change. {@code detail} is JSON text, cast to
 * {@code jsonb} by the database on insert. Rows are never changed.
 */
@Entity
@Table(name = "dataset_audit")
public class DatasetAuditEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id", nullable = false)
    public Long id;

    @Column(name = "dataset_id", nullable = false, updatable = false)
    public UUID datasetId;

    @Column(name = "at", nullable = false, updatable = false, columnDefinition = "timestamptz")
    public Instant at;

    @Column(name = "actor_subject", nullable = false, updatable = false)
    public String actorSubject;

    @Column(name = "actor_org", nullable = false, updatable = false)
    public String actorOrg;

    @Column(name = "action", nullable = false, updatable = false)
    public String action;

    @ColumnTransformer(write = "?::jsonb")
    @Column(name = "detail", nullable = false, updatable = false, columnDefinition = "jsonb")
    public String detail;
}
