package org.mihub.prediction.registry;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code model_out_of_fold} (Flyway's V2): one training row's out-of-fold prediction, keyed by
 * its model and its position among the model's training rows. Written once with its model.
 */
@Entity
@Table(name = "model_out_of_fold")
@IdClass(OutOfFoldEntity.Key.class)
public class OutOfFoldEntity {

    /** The primary key: {@code (model_id, position)}. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        UUID modelId;
        int position;

        public Key() {
        }

        public Key(UUID modelId, int position) {
            this.modelId = modelId;
            this.position = position;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && position == key.position && Objects.equals(modelId, key.modelId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(modelId, position);
        }
    }

    @Id
    @Column(name = "model_id", nullable = false)
    UUID modelId;

    @Id
    @Column(name = "position", nullable = false)
    int position;

    @Column(name = "material_ids", nullable = false)
    String materialIds;

    @Column(name = "dataset_id", nullable = false)
    UUID datasetId;

    @Column(name = "reduced_formula", nullable = false)
    String reducedFormula;

    @Column(name = "fold", nullable = false)
    int fold;

    @Column(name = "observed", nullable = false)
    double observed;

    @Column(name = "mean", nullable = false)
    double mean;

    @Column(name = "std", nullable = false)
    double std;

    /** A classifier's calibrated probability of each class; null for a regression model (V4). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "probabilities")
    double[] probabilities;

    protected OutOfFoldEntity() {
    }

    static OutOfFoldEntity of(UUID modelId, OutOfFold row) {
        OutOfFoldEntity entity = new OutOfFoldEntity();
        entity.modelId = modelId;
        entity.position = row.position();
        entity.materialIds = row.materialIds();
        entity.datasetId = row.datasetId();
        entity.reducedFormula = row.reducedFormula();
        entity.fold = row.fold();
        entity.observed = row.observed();
        entity.mean = row.mean();
        entity.std = row.std();
        entity.probabilities = row.probabilities() == null ? null
                : row.probabilities().stream().mapToDouble(Double::doubleValue).toArray();
        return entity;
    }

    OutOfFold toRecord() {
        return new OutOfFold(position, materialIds, datasetId, reducedFormula, fold, observed, mean, std,
                probabilities == null ? null : java.util.Arrays.stream(probabilities).boxed().toList());
    }
}
