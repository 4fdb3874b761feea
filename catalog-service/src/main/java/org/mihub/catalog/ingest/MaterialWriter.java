package org.mihub.catalog.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes validated materials and their measurements in JDBC batches, inside the caller's
 * transaction. Sample keys that already exist in the dataset are reported as rejections before a
 * batch is written.
 */
final class MaterialWriter implements AutoCloseable {

    private static final int BATCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final UUID datasetId;
    private final int version;
    private final String createdBy;
    private final Consumer<Rejection> reject;
    private final PreparedStatement materials;
    private final PreparedStatement measurements;
    private final List<MaterialRecord> pending = new ArrayList<>();
    private long materialsWritten;
    private long measurementsWritten;

    MaterialWriter(Connection connection, UUID datasetId, int version, String createdBy, Consumer<Rejection> reject)
            throws SQLException {
        this.connection = connection;
        this.datasetId = datasetId;
        this.version = version;
        this.createdBy = createdBy;
        this.reject = reject;
        materials = connection.prepareStatement("INSERT INTO material (id, dataset_id, row_number, sample_key, "
                + "formula, reduced_formula, elements, nelements, composition, tags, process_steps, dataset_version, "
                + "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?)");
        measurements = connection.prepareStatement("INSERT INTO measurement (id, material_id, dataset_id, property, "
                + "value, uncertainty, reported_value, reported_unit, method, instrument, conditions, source, "
                + "source_ref, campaign_id, proposal_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, '', ?, ?)");
    }

    void add(MaterialRecord material) throws SQLException {
        pending.add(material);
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    /** Writes the pending batch; false when a sample key already existed (the rows were rejected instead). */
    boolean flush() throws SQLException {
        if (pending.isEmpty()) {
            return true;
        }
        Set<String> existing = existingKeys();
        boolean clean = true;
        for (MaterialRecord material : pending) {
            if (material.sampleKey() != null && existing.contains(material.sampleKey())) {
                reject.accept(new Rejection(material.row(), 0, "sample_id", Rejection.Code.DUPLICATE_KEY,
                        "sample_id already exists in the dataset", material.sampleKey(), null));
                clean = false;
            }
        }
        if (clean) {
            for (MaterialRecord material : pending) {
                addMaterial(material);
            }
            materials.executeBatch();
            measurements.executeBatch();
        }
        pending.clear();
        return clean;
    }

    private Set<String> existingKeys() throws SQLException {
        List<String> keys = pending.stream().map(MaterialRecord::sampleKey).filter(key -> key != null).toList();
        Set<String> existing = new HashSet<>();
        if (keys.isEmpty()) {
            return existing;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT sample_key FROM material WHERE dataset_id = ? AND sample_key = ANY(?)")) {
            select.setObject(1, datasetId);
            select.setArray(2, connection.createArrayOf("text", keys.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getString(1));
                }
            }
        }
        return existing;
    }

    private void addMaterial(MaterialRecord material) throws SQLException {
        UUID id = UUID.randomUUID();
        var composition = material.composition();
        materials.setObject(1, id);
        materials.setObject(2, datasetId);
        materials.setLong(3, material.row());
        materials.setString(4, material.sampleKey());
        materials.setString(5, material.formula());
        materials.setString(6, composition.reducedFormula());
        materials.setArray(7, connection.createArrayOf("text", composition.elements().toArray()));
        materials.setInt(8, composition.elementCount());
        materials.setString(9, json(composition.amounts()));
        materials.setArray(10, connection.createArrayOf("text", material.tags().toArray()));
        materials.setString(11, json(material.processSteps()));
        materials.setInt(12, version);
        materials.setString(13, createdBy);
        materials.addBatch();
        materialsWritten++;
        for (MaterialRecord.Measurement measurement : material.measurements()) {
            measurements.setObject(1, UUID.randomUUID());
            measurements.setObject(2, id);
            measurements.setObject(3, datasetId);
            measurements.setString(4, measurement.property());
            measurements.setDouble(5, measurement.value());
            if (measurement.uncertainty() == null) {
                measurements.setNull(6, Types.DOUBLE);
            } else {
                measurements.setDouble(6, measurement.uncertainty());
            }
            measurements.setDouble(7, measurement.reportedValue());
            measurements.setString(8, measurement.reportedUnit());
            measurements.setString(9, measurement.method());
            measurements.setString(10, measurement.instrument());
            measurements.setString(11, json(measurement.conditions()));
            measurements.setString(12, measurement.source());
            measurements.setString(13, measurement.campaignId());
            measurements.setString(14, measurement.proposalId());
            measurements.addBatch();
            measurementsWritten++;
        }
    }

    private static String json(Object value) {
        try {
            if (value instanceof Map<?, ?> map) {
                return JSON.writeValueAsString(new LinkedHashMap<>(map));
            }
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    long materialsWritten() {
        return materialsWritten;
    }

    long measurementsWritten() {
        return measurementsWritten;
    }

    @Override
    public void close() throws SQLException {
        materials.close();
        measurements.close();
    }
}
