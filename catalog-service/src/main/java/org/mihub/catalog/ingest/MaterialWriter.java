package org.mihub.catalog.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Writes validated materials and their measurements with PostgreSQL {@code COPY}, a batch at a
 * time, inside the caller's transaction. While PostgreSQL stores one batch (on a writer thread
 * that alone uses the connection until {@link #finish()}), the caller parses and encodes the
 * next: parsing and storing overlap instead of taking turns. Sample keys that already exist in the
 * dataset are reported as rejections instead of writing their batch.
 *
 * <p>Ids are UUID version 7 (time-ordered), so every index keyed by id grows at its right edge.
 *
 * <p>Large ingests get a segment of their own (migration V7). The first {@code segmentAfter}
 * materials go to segment 0, each paying its index insertions; once more arrive, the writer
 * creates {@code material_s<n>} and {@code measurement_s<n>}, plain tables without indexes with a
 * check on their segment number, COPYs the rest into them and, in {@link #finish()}, attaches them
 * to {@code material} and {@code measurement}, where PostgreSQL builds their indexes in bulk in a few
 * seconds per million rows (no foreign key: attaching one would lock the dataset table). Everything happens
 * in the caller's transaction: a rolled-back ingest leaves no segment behind.
 *
 * <p>Sample keys repeated within the document are found by PostgreSQL, not in memory: the key of
 * every row (valid or not, written or not) goes with the batches into a temporary table
 * {@code ingest_key} of this transaction, and {@link #finish} reports each later occurrence of a key
 * with the row it repeats. The writer's memory is bounded by a batch whatever the document's size.
 */
public final class MaterialWriter implements AutoCloseable {

    private static final int BATCH = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();
    private static final String COPY_MATERIALS = "COPY %s (id, dataset_id, row_number, sample_key, formula, "
            + "reduced_formula, elements, nelements, composition, tags, process_steps, dataset_version, created_by, "
            + "structure, external_ids, formula_alphabetical, formula_anonymous, elements_ratios) FROM STDIN "
            + "WITH (FORMAT csv)";
    private static final String COPY_MEASUREMENTS = "COPY %s (id, material_id, dataset_id, property, value, "
            + "uncertainty, reported_value, reported_unit, method, instrument, conditions, source, campaign_id, "
            + "proposal_id, label) FROM STDIN WITH (FORMAT csv)";
    /** Memory for building a new segment's indexes, for this transaction only. */
    private static final String INDEX_BUILD_MEMORY = "256MB";

    private static final String COPY_KEYS = "COPY ingest_key (sample_key, row_number, line, rejected) FROM STDIN "
            + "WITH (FORMAT csv)";
    /** Each later row of a key the document repeats, with the first row that has it. */
    private static final String REPEATED_KEYS = "SELECT sample_key, row_number, line, rejected, first_row FROM ("
            + "SELECT sample_key, row_number, line, rejected, min(row_number) OVER (PARTITION BY sample_key) AS first_row "
            + "FROM ingest_key) k WHERE row_number > first_row ORDER BY row_number";

    /** A batch ready for COPY. */
    private record Batch(List<String> sampleKeys, List<Long> keyRows, String materials, String measurements,
            String keys) {
    }

    /** Where the writer reports a rejected row; {@code counted}: the row was rejected already. */
    interface Rejections {
        void reject(Rejection rejection, boolean counted);
    }

    private final Connection connection;
    private final CopyManager copy;
    private final UUID datasetId;
    private final int version;
    private final String createdBy;
    private final Rejections reject;
    private final boolean checkKeys;
    private final long segmentAfter;
    /** Skip-invalid mode: a row refused for its key is removed after its batch is written, the rest stays. */
    private final boolean skipInvalid;
    /** Rows (and their measurements) written and then removed again for a refused key (skip-invalid mode). */
    private long materialsRemoved;
    private long measurementsRemoved;
    private final ExecutorService writer;
    /** The segment this ingest writes to once past {@code segmentAfter} materials; 0 until then. */
    private long segment;
    private final List<MaterialRecord> pending = new ArrayList<>();
    private Future<List<Rejection>> inFlight;
    /** Keys of rows read since the last batch, as COPY lines for {@code ingest_key}. */
    private final StringBuilder keys = new StringBuilder();
    private int keyCount;
    private boolean keyTable;
    private String keyColumn = "sample_id";
    private long materialsWritten;
    private long measurementsWritten;

    /**
     * @param checkKeys    whether sample keys may already exist in the dataset (false when it has
     *                     no materials yet: the readers refuse keys repeated within the document)
     * @param segmentAfter materials written to segment 0 before the rest go to a segment of their own
     */
    MaterialWriter(Connection connection, UUID datasetId, int version, String createdBy, Rejections reject,
            boolean checkKeys, long segmentAfter) throws SQLException {
        this(connection, datasetId, version, createdBy, reject, checkKeys, segmentAfter, false);
    }

    /**
     * @param skipInvalid a row whose key the dataset or an earlier row has is removed and the others kept,
     *                    instead of the whole document being refused
     */
    MaterialWriter(Connection connection, UUID datasetId, int version, String createdBy, Rejections reject,
            boolean checkKeys, long segmentAfter, boolean skipInvalid) throws SQLException {
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.datasetId = datasetId;
        this.version = version;
        this.createdBy = createdBy;
        this.reject = reject;
        this.checkKeys = checkKeys;
        this.segmentAfter = segmentAfter;
        this.skipInvalid = skipInvalid;
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "ingest-writer-" + datasetId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The sample key of a row, valid or not: kept to find keys the document repeats.
     *
     * @param column   the key's column or field ({@code sample_id}, {@code sample_key})
     * @param rejected whether the row was already rejected for something else
     */
    void key(long row, long line, String column, String key, boolean rejected) throws SQLException {
        keyColumn = column;
        row(keys, key, row, line, rejected);
        keyCount++;
        if (keyCount >= 2 * BATCH) {
            // rows that are not written (a rejected document, a dry run): the keys go on their own
            submitKeys();
        }
    }

    void add(MaterialRecord material) throws SQLException {
        pending.add(material);
        // the batch that reaches the threshold is the last of segment 0
        if (pending.size() >= BATCH || segment == 0 && materialsWritten < segmentAfter
                && materialsWritten + pending.size() >= segmentAfter) {
            submit();
        }
    }

    /**
     * Writes what is pending and waits until everything is stored. False when a sample key already
     * existed in the dataset: those rows were rejected and their batch not written.
     */
    boolean finish(boolean materials) throws SQLException {
        boolean clean = awaitInFlight() || skipInvalid;
        if (materials && clean && !pending.isEmpty()) {
            submit();
            clean = awaitInFlight();
        }
        submitKeys();
        awaitInFlight();
        clean &= reportRepeatedKeys() || skipInvalid;
        if (materials && clean && segment > 0) {
            attachSegment();
        }
        return clean;
    }

    /** Hands the keys read so far to the writer thread, after what it is storing. */
    private void submitKeys() throws SQLException {
        if (keyCount == 0) {
            return;
        }
        String lines = takeKeys();
        awaitInFlight();
        inFlight = writer.submit(() -> {
            copyKeys(lines);
            return List.of();
        });
    }

    private String takeKeys() {
        String lines = keys.toString();
        keys.setLength(0);
        keyCount = 0;
        return lines;
    }

    /** On the writer thread: the keys into this transaction's {@code ingest_key}, created with the first. */
    private void copyKeys(String lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        if (!keyTable) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY TABLE ingest_key (sample_key text NOT NULL, row_number bigint "
                        + "NOT NULL, line bigint NOT NULL, rejected boolean NOT NULL) ON COMMIT DROP");
            }
            keyTable = true;
        }
        try {
            copy.copyIn(COPY_KEYS, new StringReader(lines));
        } catch (IOException e) {
            throw new SQLException("COPY failed", e);
        }
    }

    /** Reports every row whose key an earlier row of the document has; false if there is one. */
    private boolean reportRepeatedKeys() throws SQLException {
        if (!keyTable) {
            return true;
        }
        boolean clean = true;
        List<Long> repeated = new ArrayList<>();
        String reason = keyColumn + " repeats an earlier " + (keyColumn.equals("sample_id") ? "row" : "material")
                + " of the document";
        try (PreparedStatement select = connection.prepareStatement(REPEATED_KEYS)) {
            select.setFetchSize(1000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    clean = false;
                    repeated.add(rows.getLong(2));
                    reject.reject(new Rejection(rows.getLong(2), rows.getLong(3), keyColumn, Rejection.Code.DUPLICATE_KEY,
                            reason + " (row " + rows.getLong(5) + ")", rows.getString(1), null), rows.getBoolean(4));
                }
            }
        }
        if (skipInvalid && !repeated.isEmpty()) {
            remove("material", "measurement", repeated);
            if (segment > 0) {
                remove("material_s" + segment, "measurement_s" + segment, repeated);
            }
        }
        return clean;
    }

    /** Encodes the pending batch here and hands it to the writer thread, after the previous one. */
    private void submit() throws SQLException {
        boolean own = materialsWritten >= segmentAfter;
        Batch batch = encode(pending);
        pending.clear();
        if (!awaitInFlight() && !skipInvalid) {
            // a key of the last batch was in the dataset already: nothing more is written but the keys
            inFlight = writer.submit(() -> {
                copyKeys(batch.keys());
                return List.of();
            });
            return;
        }
        if (own && segment == 0) {
            openSegment();
        }
        String materials = segment == 0 ? "material" : "material_s" + segment;
        String measurements = segment == 0 ? "measurement" : "measurement_s" + segment;
        inFlight = writer.submit(() -> {
            copyKeys(batch.keys());
            return store(batch, materials, measurements);
        });
    }

    /** Creates this ingest's segment: two plain tables shaped as the parents, checked to their number. */
    private void openSegment() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet next = statement.executeQuery("SELECT nextval('material_segment')")) {
                next.next();
                segment = next.getLong(1);
            }
            for (String parent : List.of("material", "measurement")) {
                String table = parent + "_s" + segment;
                statement.execute("CREATE TABLE " + table + " (LIKE " + parent + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                statement.execute("ALTER TABLE " + table + " ALTER COLUMN segment SET DEFAULT " + segment
                        + ", ADD CONSTRAINT " + table + "_segment CHECK (segment = " + segment + ")");
            }
        }
    }

    /**
     * Attaches the segment: PostgreSQL builds its indexes in bulk; the
     * check constraint spares it a scan to prove the rows belong to the segment.
     */
    private void attachSegment() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL maintenance_work_mem = '" + INDEX_BUILD_MEMORY + "'");
            for (String parent : List.of("material", "measurement")) {
                statement.execute("ALTER TABLE " + parent + " ATTACH PARTITION " + parent + "_s" + segment
                        + " FOR VALUES IN (" + segment + ")");
            }
        }
    }

    /** Waits for the batch being stored; reports its rejections here, on the caller's thread. */
    private boolean awaitInFlight() throws SQLException {
        if (inFlight == null) {
            return true;
        }
        try {
            List<Rejection> rejections = inFlight.get();
            rejections.forEach(rejection -> reject.reject(rejection, false));
            return rejections.isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while storing a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("storing a batch failed", e.getCause());
        } finally {
            inFlight = null;
        }
    }

    private Batch encode(List<MaterialRecord> materials) {
        StringBuilder materialRows = new StringBuilder(materials.size() * 160);
        StringBuilder measurementRows = new StringBuilder(materials.size() * 160);
        List<String> sampleKeys = new ArrayList<>();
        List<Long> keyRows = new ArrayList<>();
        for (MaterialRecord material : materials) {
            UUID id = IDS.generate();
            var composition = material.composition();
            var optimade = composition.optimadeForms();
            row(materialRows, id, datasetId, material.row(), material.sampleKey(), material.formula(),
                    composition.reducedFormula(), array(composition.elements()), composition.elementCount(),
                    json(new LinkedHashMap<>(composition.amounts())), array(material.tags()),
                    json(material.processSteps()), version, createdBy, material.structureJson(),
                    material.externalIdsJson(), optimade.reduced(), optimade.anonymous(), numbers(optimade.ratios()));
            if (material.sampleKey() != null) {
                sampleKeys.add(material.sampleKey());
                keyRows.add(material.row());
            }
            materialsWritten++;
            for (MaterialRecord.Measurement measurement : material.measurements()) {
                row(measurementRows, IDS.generate(), id, datasetId, measurement.property(), measurement.value(),
                        measurement.uncertainty(), measurement.reportedValue(), measurement.reportedUnit(),
                        measurement.method(), measurement.instrument(), json(measurement.conditions()),
                        measurement.source(), measurement.campaignId(), measurement.proposalId(),
                        measurement.label());
                measurementsWritten++;
            }
        }
        return new Batch(sampleKeys, keyRows, materialRows.toString(), measurementRows.toString(), takeKeys());
    }

    /** On the writer thread: refuses keys the dataset already has, otherwise COPYs the batch. */
    private List<Rejection> store(Batch batch, String materials, String measurements) throws SQLException {
        Set<String> existing = checkKeys ? existingKeys(batch.sampleKeys()) : Set.of();
        if (!existing.isEmpty()) {
            List<Rejection> rejections = new ArrayList<>();
            for (int i = 0; i < batch.sampleKeys().size(); i++) {
                if (existing.contains(batch.sampleKeys().get(i))) {
                    rejections.add(new Rejection(batch.keyRows().get(i), 0, "sample_id", Rejection.Code.DUPLICATE_KEY,
                            "sample_id already exists in the dataset", batch.sampleKeys().get(i), null));
                }
            }
            if (!skipInvalid) {
                return rejections;
            }
        }
        try {
            copy.copyIn(COPY_MATERIALS.formatted(materials), new StringReader(batch.materials()));
            if (!batch.measurements().isEmpty()) {
                copy.copyIn(COPY_MEASUREMENTS.formatted(measurements), new StringReader(batch.measurements()));
            }
        } catch (IOException e) {
            throw new SQLException("COPY failed", e);
        }
        if (!existing.isEmpty()) {
            List<Long> rows = new ArrayList<>();
            for (int i = 0; i < batch.sampleKeys().size(); i++) {
                if (existing.contains(batch.sampleKeys().get(i))) {
                    rows.add(batch.keyRows().get(i));
                }
            }
            remove(materials, measurements, rows);
            return rows.stream().map(row -> new Rejection(row, 0, "sample_id", Rejection.Code.DUPLICATE_KEY,
                    "sample_id already exists in the dataset", batch.sampleKeys().get(batch.keyRows().indexOf(row)),
                    null)).toList();
        }
        return List.of();
    }

    /** Skip-invalid mode: removes rows of this ingest (by row number) written before their key was refused. */
    private void remove(String materials, String measurements, List<Long> rows) throws SQLException {
        Long[] numbers = rows.toArray(Long[]::new);
        String ofRows = " WHERE dataset_id = ? AND dataset_version = ? AND row_number = ANY(?)";
        try (PreparedStatement values = connection.prepareStatement("DELETE FROM " + measurements
                + " WHERE material_id IN (SELECT id FROM " + materials + ofRows + ")");
                PreparedStatement rowsOf = connection.prepareStatement("DELETE FROM " + materials + ofRows)) {
            for (PreparedStatement statement : List.of(values, rowsOf)) {
                statement.setObject(1, datasetId);
                statement.setInt(2, version);
                statement.setArray(3, connection.createArrayOf("int8", numbers));
            }
            measurementsRemoved += values.executeUpdate();
            materialsRemoved += rowsOf.executeUpdate();
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
            out.append('"');
            if (text.indexOf('"') < 0) {
                out.append(text);
            } else {
                out.append(text.replace("\"", "\"\""));
            }
            out.append('"');
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

    /** A PostgreSQL double precision[] literal. */
    public static String numbers(double[] values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            literal.append(i > 0 ? "," : "").append(values[i]);
        }
        return literal.append('}').toString();
    }

    private Set<String> existingKeys(List<String> keys) throws SQLException {
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
        return materialsWritten - materialsRemoved;
    }

    long measurementsWritten() {
        return measurementsWritten - measurementsRemoved;
    }

    /** Waits for the writer thread to stop; the connection is the caller's again. */
    @Override
    public void close() {
        if (inFlight != null) {
            try {
                inFlight.get();
            } catch (Exception e) {
                // the transaction is being rolled back; the failure was or will be reported
            }
        }
        writer.shutdownNow();
    }
}
