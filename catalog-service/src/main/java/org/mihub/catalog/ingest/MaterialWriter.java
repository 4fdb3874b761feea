package org.mihub.catalog.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes validated materials and their measurements with PostgreSQL {@code COPY}, a batch at a
 * time, inside the caller's transaction. Sample keys that already exist in the dataset are
 * reported as rejections before a batch is written.
 */
final class MaterialWriter {

    private static final int BATCH = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COPY_MATERIALS = "COPY material (id, dataset_id, row_number, sample_key, formula, "
            + "reduced_formula, elements, nelements, composition, tags, process_steps, dataset_version, created_by) "
            + "FROM STDIN WITH (FORMAT csv)";
    private static final String COPY_MEASUREMENTS = "COPY measurement (id, material_id, dataset_id, property, value, "
            + "uncertainty, reported_value, reported_unit, method, instrument, conditions, source, campaign_id, "
            + "proposal_id) FROM STDIN WITH (FORMAT csv)";

    private final Connection connection;
    private final CopyManager copy;
    private final UUID datasetId;
    private final int version;
    private final String createdBy;
    private final Consumer<Rejection> reject;
    private final List<MaterialRecord> pending = new ArrayList<>();
    private long materialsWritten;
    private long measurementsWritten;

    MaterialWriter(Connection connection, UUID datasetId, int version, String createdBy, Consumer<Rejection> reject)
            throws SQLException {
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.datasetId = datasetId;
        this.version = version;
        this.createdBy = createdBy;
        this.reject = reject;
    }

    void add(MaterialRecord material) throws SQLException {
        pending.add(material);
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    /** Writes the pending batch; false when a sample key already existed (those rows are rejected instead). */
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
            write();
        }
        pending.clear();
        return clean;
    }

    private void write() throws SQLException {
        StringBuilder materials = new StringBuilder(pending.size() * 160);
        StringBuilder measurements = new StringBuilder(pending.size() * 160);
        for (MaterialRecord material : pending) {
            UUID id = UUID.randomUUID();
            var composition = material.composition();
            row(materials, id, datasetId, material.row(), material.sampleKey(), material.formula(),
                    composition.reducedFormula(), array(composition.elements()), composition.elementCount(),
                    json(new LinkedHashMap<>(composition.amounts())), array(material.tags()),
                    json(material.processSteps()), version, createdBy);
            materialsWritten++;
            for (MaterialRecord.Measurement measurement : material.measurements()) {
                row(measurements, UUID.randomUUID(), id, datasetId, measurement.property(), measurement.value(),
                        measurement.uncertainty(), measurement.reportedValue(), measurement.reportedUnit(),
                        measurement.method(), measurement.instrument(), json(measurement.conditions()),
                        measurement.source(), measurement.campaignId(), measurement.proposalId());
                measurementsWritten++;
            }
        }
        try {
            copy.copyIn(COPY_MATERIALS, new StringReader(materials.toString()));
            if (!measurements.isEmpty()) {
                copy.copyIn(COPY_MEASUREMENTS, new StringReader(measurements.toString()));
            }
        } catch (IOException e) {
            throw new SQLException("COPY failed", e);
        }
    }

    /** One CSV line of COPY: null as an empty unquoted field, everything else quoted. */
    private static void row(StringBuilder out, Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            Object field = fields[i];
            if (field == null) {
                continue;
            }
            String text = field.toString();
            out.append('"').append(text.replace("\"", "\"\"")).append('"');
        }
        out.append('\n');
    }

    /** A PostgreSQL text[] literal with every element quoted. */
    private static String array(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
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

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value instanceof Map<?, ?> map ? new LinkedHashMap<>(map) : value);
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
}
