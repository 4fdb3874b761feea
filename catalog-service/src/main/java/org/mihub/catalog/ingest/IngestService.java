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
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.config.IngestConfig;
import org.mihub.catalog.repository.DatasetSql;
import org.mihub.catalog.service.Dataset;
import org.mihub.catalog.service.DatasetService;
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

    /** Materials of one ingest written row by row before the rest go to a segment of their own. */
    @Inject
    IngestConfig config;

    public enum Format {
        CSV, JSON, NDJSON
    }

    public enum Outcome {
        COMMITTED, REPLAYED, VALIDATED
    }

    public record Header(UUID datasetId, String idempotencyKey, Format format, boolean dryRun, int maxRejections,
            String sourceName) {
    }

    public record Result(UUID ingestId, UUID datasetId, Outcome outcome, long rowsReceived, long rowsWritten,
            long measurementsWritten, int datasetVersion, String contentSha256, Instant completedAt) {
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
            Collector collector = new Collector(maxRejections);
            long rowsReceived;
            try (MaterialWriter writer = new MaterialWriter(connection, dataset.id(), version, caller.subject(),
                    collector::reject, dataset.rowCount() > 0, config.segmentAfterRows())) {
                Reader text = utf8(hashed);
                var vocabulary = properties.current();
                RecordReader reader = switch (header.format()) {
                    case CSV -> new CsvRecordReader(text, vocabulary);
                    case JSON -> new JsonRecordReader(text, true, vocabulary);
                    case NDJSON -> new JsonRecordReader(text, false, vocabulary);
                };
                reader.read(new RecordSink() {
                    @Override
                    public void accept(MaterialRecord material) {
                        if (write && collector.clean()) {
                            SqlErrors.run(() -> writer.add(material));
                        }
                    }

                    @Override
                    public void reject(Rejection rejection) {
                        collector.reject(rejection);
                    }

                    @Override
                    public void key(long row, long line, String column, String key, boolean rejected) {
                        SqlErrors.run(() -> writer.key(row, line, column, key, rejected));
                    }
                });
                SqlErrors.run(() -> writer.finish(write && collector.clean()));
                rowsReceived = reader.rows();
                hashed.transferTo(OutputStream.nullOutputStream());
                if (!collector.clean()) {
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
                if (header.dryRun()) {
                    return new Result(UUID.randomUUID(), dataset.id(), Outcome.VALIDATED, rowsReceived, 0, 0,
                            dataset.version(), digest, Instant.now());
                }
                datasets.addVersion(connection, dataset.id(), version, writer.materialsWritten());
                Result result = new Result(UUID.randomUUID(), dataset.id(), Outcome.COMMITTED, rowsReceived,
                        writer.materialsWritten(), writer.measurementsWritten(), version, digest, Instant.now());
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

    /** Collects rejections in document order, counting rejected rows and keeping at most {@code max}. */
    private static final class Collector {
        private final List<Rejection> rejections = new ArrayList<>();
        private final int max;
        private long rowsRejected;
        private long lastRow = -1;
        private boolean truncated;

        Collector(int max) {
            this.max = max;
        }

        void reject(Rejection rejection) {
            reject(rejection, false);
        }

        /** {@code counted}: the row was rejected before, out of order (a repeated key found by the database). */
        void reject(Rejection rejection, boolean counted) {
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
                + "dataset_version, created_by, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            insert.executeUpdate();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
