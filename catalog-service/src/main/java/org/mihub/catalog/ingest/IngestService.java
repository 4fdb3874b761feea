package org.mihub.catalog.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.config.IngestConfig;
import org.mihub.catalog.repository.DatasetSql;
import org.mihub.catalog.service.Dataset;
import org.mihub.catalog.service.CardOutbox;
import org.mihub.catalog.service.DatasetService;
import org.mihub.catalog.service.Property;
import org.mihub.catalog.service.PropertyService;
import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;

/**
 * Appends a document of materials to a dataset as one new version, atomically: every row is
 * validated, every problem reported, and a document with any bad row writes nothing. The content
 * streams from the client through the parser into the database; only the current batch is held.
 * An idempotency key makes a retried upload of the same content a no-op.
 */
@ApplicationScoped
public class IngestService {

    private static final int DEFAULT_MAX_REJECTIONS = 1000;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    /** Most rejections reported (and held) for one document, whatever the header asks. */
    static final int MAX_REJECTIONS = 10_000;

    @Inject
    DatasetService datasetService;

    @Inject
    DatasetSql datasets;

    @Inject
    PropertyService properties;

    @Inject
    TableMaintenance maintenance;

    @Inject
    CardOutbox cards;

    /** Materials of one ingest written row by row before the rest go to a segment of their own. */
    @Inject
    IngestConfig config;

    public enum Format {
        CSV, JSON, NDJSON
    }

    public enum Outcome {
        COMMITTED, REPLAYED, VALIDATED
    }

    /** STRICT: any bad row writes nothing; SKIP_INVALID: the valid rows are written, the bad ones listed. */
    public enum Mode {
        STRICT, SKIP_INVALID
    }

    public record Header(UUID datasetId, String idempotencyKey, Format format, boolean dryRun, int maxRejections,
            String sourceName, Mode mode) {

        public Header(UUID datasetId, String idempotencyKey, Format format, boolean dryRun, int maxRejections,
                String sourceName) {
            this(datasetId, idempotencyKey, format, dryRun, maxRejections, sourceName, Mode.STRICT);
        }
    }

    /** A property the valid rows use: the units its values came in and how many there are. */
    public record PropertyUse(Property property, java.util.SortedSet<String> units, long measurements) {
    }

    /**
     * The report of an ingest: {@code skipped} lists the problems of the rows skipped in SKIP_INVALID mode
     * ({@code rowsSkipped} of them), {@code warnings} what was let pass in written rows, {@code properties}
     * what the valid rows use.
     */
    public record Result(UUID ingestId, UUID datasetId, Outcome outcome, long rowsReceived, long rowsWritten,
            long measurementsWritten, int datasetVersion, String contentSha256, Instant completedAt, Mode mode,
            long rowsSkipped, List<Rejection> skipped, boolean skippedTruncated, List<Rejection> warnings,
            List<PropertyUse> properties) {

        public Result(UUID ingestId, UUID datasetId, Outcome outcome, long rowsReceived, long rowsWritten,
                long measurementsWritten, int datasetVersion, String contentSha256, Instant completedAt) {
            this(ingestId, datasetId, outcome, rowsReceived, rowsWritten, measurementsWritten, datasetVersion,
                    contentSha256, completedAt, Mode.STRICT, 0, List.of(), false, List.of(), List.of());
        }
    }

    public Result ingest(Caller caller, Header header, InputStream content) {
        String key = header.idempotencyKey() == null ? "" : header.idempotencyKey();
        if (key.length() > 200) {
            throw ApiException.invalid("idempotency_key", "at most 200 characters");
        }
        int maxRejections = header.maxRejections() <= 0 ? DEFAULT_MAX_REJECTIONS
                : Math.min(header.maxRejections(), MAX_REJECTIONS);
        Result outcome = datasetService.inTransaction(connection -> {
            statementTimeout(connection);
            Dataset dataset = datasets.lockForIngest(connection, header.datasetId())
                    .filter(found -> AccessRule.canRead(Optional.of(caller), found.sharing()))
                    .orElseThrow(() -> ApiException.notFound("dataset", header.datasetId().toString()));
            if (!AccessRule.canWrite(caller, dataset.ownerOrg())) {
                throw ApiException.denied("role 'contributor' in organisation '" + dataset.ownerOrg() + "' is required");
            }
            Optional<Result> earlier = key.isEmpty() ? Optional.empty() : find(connection, dataset.id(), key);
            MessageDigest sha256 = sha256();
            DigestInputStream hashed = new DigestInputStream(content, sha256);
            int version = dataset.version() + 1;
            boolean write = earlier.isEmpty() && !header.dryRun();
            boolean skip = header.mode() == Mode.SKIP_INVALID;
            Collector collector = new Collector(maxRejections);
            Uses uses = new Uses();
            long rowsReceived;
            try (MaterialWriter writer = new MaterialWriter(connection, dataset.id(), version, caller.subject(),
                    collector::reject, dataset.rowCount() > 0, config.segmentAfterRows(), skip)) {
                Reader text = utf8(hashed);
                var vocabulary = properties.current();
                uses.vocabulary = vocabulary;
                RecordReader reader = switch (header.format()) {
                    case CSV -> new CsvRecordReader(text, vocabulary);
                    case JSON -> new JsonRecordReader(text, true, vocabulary);
                    case NDJSON -> new JsonRecordReader(text, false, vocabulary);
                };
                reader.read(new RecordSink() {
                    @Override
                    public void accept(MaterialRecord material) {
                        uses.add(material);
                        if (write && (skip || collector.clean())) {
                            SqlErrors.run(() -> writer.add(material));
                        }
                    }

                    @Override
                    public void reject(Rejection rejection) {
                        collector.reject(rejection);
                    }

                    @Override
                    public void warn(Rejection warning) {
                        collector.warn(warning);
                    }

                    @Override
                    public void key(long row, long line, String column, String key, boolean rejected) {
                        SqlErrors.run(() -> writer.key(row, line, column, key, rejected));
                    }
                });
                SqlErrors.run(() -> writer.finish(write && (skip || collector.clean())));
                rowsReceived = reader.rows();
                hashed.transferTo(OutputStream.nullOutputStream());
                // a problem of the whole document, or one that stopped the reading, refuses it in either mode;
                // so does a document of which no row is valid
                boolean refused = skip ? collector.documentProblem || reader.stopped()
                        || collector.rowsRejected >= rowsReceived : !collector.clean();
                if (refused) {
                    throw new IngestRejectedException(dataset.id(), rowsReceived, collector.rowsRejected,
                            collector.inDocumentOrder(), collector.truncated);
                }
                String digest = HexFormat.of().formatHex(sha256.digest());
                if (earlier.isPresent()) {
                    if (!earlier.get().contentSha256().equals(digest)) {
                        throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "idempotency key '" + key
                                + "' was used before for different content", List.of());
                    }
                    Result original = earlier.get();
                    return new Result(original.ingestId(), original.datasetId(), Outcome.REPLAYED, rowsReceived,
                            original.rowsWritten(), original.measurementsWritten(), original.datasetVersion(), digest,
                            original.completedAt());
                }
                long skipped = skip ? collector.rowsRejected : 0;
                List<Rejection> problems = skip ? collector.inDocumentOrder() : List.of();
                if (header.dryRun()) {
                    return new Result(UUID.randomUUID(), dataset.id(), Outcome.VALIDATED, rowsReceived, 0, 0,
                            dataset.version(), digest, Instant.now(), header.mode(), skipped, problems,
                            skip && collector.truncated, collector.warnings, uses.list());
                }
                datasets.addVersion(connection, dataset.id(), version, writer.materialsWritten());
                cards.changed(connection, dataset.id());
                Result result = new Result(UUID.randomUUID(), dataset.id(), Outcome.COMMITTED, rowsReceived,
                        writer.materialsWritten(), writer.measurementsWritten(), version, digest, Instant.now(),
                        header.mode(), skipped, problems, skip && collector.truncated, collector.warnings,
                        uses.list());
                record(connection, result, key, header, caller);
                return result;
            } catch (IOException e) {
                throw unreadable(e);
            } catch (UncheckedIOException e) {
                throw unreadable(e.getCause());
            }
        });
        if (outcome.outcome() == Outcome.COMMITTED) {
            maintenance.afterBulkWrite(outcome.rowsWritten() + outcome.measurementsWritten());
        }
        return outcome;
    }

    /** How a document that could not be read is refused; an interrupted upload as {@link #interrupted}. */
    private static ApiException unreadable(IOException e) {
        if (e instanceof UploadInterruptedException) {
            return interrupted(e);
        }
        return ApiException.invalid("content", "the upload could not be read: " + e.getMessage());
    }

    /**
     * The refusal of an upload that stopped arriving: DEADLINE_EXCEEDED when the client went quiet,
     * ABORTED when the call ended (its client has had its answer already, e.g. RESOURCE_EXHAUSTED
     * for a message over the size limit). Nothing was written either way.
     */
    public static ApiException interrupted(IOException e) {
        ApiException.Kind kind = e instanceof UploadInterruptedException stopped
                && stopped.reason() == UploadInterruptedException.Reason.IDLE ? ApiException.Kind.DEADLINE_EXCEEDED
                        : ApiException.Kind.ABORTED;
        ApiException refusal = new ApiException(kind, "content: the upload was abandoned and nothing was written: "
                + e.getMessage(), List.of(new ApiException.FieldViolation("content", e.getMessage())));
        refusal.initCause(e);
        return refusal;
    }

    /** The ingest's own statement timeout, for this transaction only (see {@code IngestConfig}). */
    private void statementTimeout(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("SET LOCAL statement_timeout = " + config.statementTimeout().toMillis());
        }
    }

    /** The properties valid rows use, with their units (read once per measurement, a map lookup). */
    private static final class Uses {
        private Map<String, Property> vocabulary = Map.of();
        private final Map<String, java.util.SortedSet<String>> units = new java.util.TreeMap<>();
        private final Map<String, long[]> counts = new java.util.HashMap<>();

        void add(MaterialRecord material) {
            for (MaterialRecord.Measurement measurement : material.measurements()) {
                long[] count = counts.get(measurement.property());
                if (count == null) {
                    count = new long[1];
                    counts.put(measurement.property(), count);
                    units.put(measurement.property(), new java.util.TreeSet<>());
                }
                count[0]++;
                if (!measurement.reportedUnit().isEmpty()) {
                    units.get(measurement.property()).add(measurement.reportedUnit());
                }
            }
        }

        List<PropertyUse> list() {
            List<PropertyUse> list = new ArrayList<>();
            units.forEach((name, given) -> list.add(new PropertyUse(vocabulary.get(name), given, counts.get(name)[0])));
            return list;
        }
    }

    /** Collects rejections in document order, counting rejected rows and keeping at most {@code max}. */
    private static final class Collector {
        private final List<Rejection> rejections = new ArrayList<>();
        private final List<Rejection> warnings = new ArrayList<>();
        private final int max;
        private long rowsRejected;
        private long lastRow = -1;
        private boolean truncated;
        /** A problem of the whole document (row 0): its header, its emptiness. */
        private boolean documentProblem;

        void warn(Rejection warning) {
            if (warnings.size() < max) {
                warnings.add(warning);
            }
        }

        Collector(int max) {
            this.max = max;
        }

        void reject(Rejection rejection) {
            reject(rejection, false);
        }

        /** {@code counted}: the row was rejected before, out of order (a repeated key found by the database). */
        void reject(Rejection rejection, boolean counted) {
            documentProblem |= rejection.row() == 0;
            if (!counted && rejection.row() != 0 && rejection.row() != lastRow) {
                rowsRejected++;
                lastRow = rejection.row();
            }
            if (rejections.size() < max) {
                rejections.add(rejection);
            } else {
                truncated = true;
            }
        }

        boolean clean() {
            return rejections.isEmpty() && !truncated;
        }

        /** Rows found in the database arrive after later rows were parsed: put them back in order. */
        List<Rejection> inDocumentOrder() {
            List<Rejection> ordered = new ArrayList<>(rejections);
            ordered.sort(Comparator.comparingLong(Rejection::row));
            return ordered;
        }
    }

    /**
     * Text as UTF-8; bytes that are not UTF-8 are an error, not replacement characters. A byte-order
     * mark at the start (as spreadsheet programs write) is skipped.
     */
    private static Reader utf8(InputStream in) throws IOException {
        PushbackReader text = new PushbackReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1);
        int first = text.read();
        if (first >= 0 && first != '\uFEFF') {
            text.unread(first);
        }
        return text;
    }

    private static Optional<Result> find(Connection connection, UUID datasetId, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, content_sha256, rows_written, "
                + "measurements_written, dataset_version, completed_at FROM ingest WHERE dataset_id = ? "
                + "AND idempotency_key = ?")) {
            select.setObject(1, datasetId);
            select.setString(2, key);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Result(rows.getObject(1, UUID.class), datasetId, Outcome.COMMITTED, 0,
                        rows.getLong(3), rows.getLong(4), rows.getInt(5), rows.getString(2),
                        rows.getTimestamp(6).toInstant()));
            }
        }
    }

    private static void record(Connection connection, Result result, String key, Header header, Caller caller)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ingest (id, dataset_id, "
                + "idempotency_key, content_sha256, format, source_name, rows_written, measurements_written, "
                + "dataset_version, created_by, completed_at, mode, rows_skipped, skipped) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            insert.setObject(1, result.ingestId());
            insert.setObject(2, result.datasetId());
            insert.setString(3, key.isEmpty() ? null : key);
            insert.setString(4, result.contentSha256());
            insert.setString(5, header.format().name());
            insert.setString(6, header.sourceName() == null ? "" : header.sourceName());
            insert.setLong(7, result.rowsWritten());
            insert.setLong(8, result.measurementsWritten());
            insert.setInt(9, result.datasetVersion());
            insert.setString(10, caller.subject());
            insert.setTimestamp(11, Timestamp.from(result.completedAt()));
            insert.setString(12, result.mode() == Mode.SKIP_INVALID ? "skip-invalid" : "strict");
            insert.setLong(13, result.rowsSkipped());
            insert.setString(14, skippedJson(result.skipped()));
            insert.executeUpdate();
        }
    }

    /** The problems of the skipped rows as the ingest table keeps them. */
    private static String skippedJson(List<Rejection> skipped) {
        var array = JSON.createArrayNode();
        for (Rejection problem : skipped) {
            var entry = array.addObject().put("row", problem.row()).put("line", problem.line())
                    .put("column", problem.column()).put("code", problem.code().name().toLowerCase(java.util.Locale.ROOT))
                    .put("reason", problem.reason());
            if (problem.position() != null) {
                entry.put("position", problem.position());
            }
        }
        return array.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
