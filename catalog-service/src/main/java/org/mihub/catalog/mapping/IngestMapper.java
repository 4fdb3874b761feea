package org.mihub.catalog.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;

import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestMode;
import org.mihub.api.catalog.v1.IngestOutcome;
import org.mihub.api.catalog.v1.IngestPropertyUse;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.IngestRecord;
import org.mihub.api.catalog.v1.IngestRejected;
import org.mihub.api.catalog.v1.ListIngestsResponse;
import org.mihub.api.catalog.v1.RejectionCode;
import org.mihub.api.catalog.v1.RowRejection;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.catalog.ingest.IngestRejectedException;
import org.mihub.catalog.ingest.IngestService;
import org.mihub.catalog.ingest.Rejection;
import org.mihub.catalog.service.Ingest;
import org.mihub.catalog.service.IngestHistory;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.GrpcErrors;
import org.mihub.common.grpc.Work;
import org.mihub.common.identity.Caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The client-streaming ingest: header message, then document chunks, read on a worker thread one
 * message at a time as the parser needs them (see {@link ClientStream}): memory is bounded by a
 * message, not by the upload, and every way the call can end (closed with an error such as a
 * message over the size limit, cancelled, idle past {@code idleTimeout}) ends the ingest and its
 * transaction.
 */
public final class IngestMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IngestMapper() {
    }

    /**
     * @param call        the call's flow control, from {@link InboundCall#KEY} (null: none, gRPC
     *                    then delivers messages as they come)
     * @param idleTimeout how long to wait for the next message before giving the ingest up
     */
    public static Uni<IngestRecordsResponse> ingest(IngestService service, Caller caller,
            Multi<IngestRecordsRequest> requests, InboundCall call, Duration idleTimeout) {
        ClientStream<IngestRecordsRequest> messages = new ClientStream<>(requests,
                call == null ? InboundCall.unmanaged() : call, idleTimeout);
        return Work.blocking(() -> {
            try {
                IngestRecordsRequest first = header(messages);
                boolean records = first.getHeader().getFormat() == IngestFormat.INGEST_FORMAT_RECORDS;
                return toProto(service.ingest(caller, header(first.getHeader()),
                        new MessageStream(messages, records ? RecordsJson::ndjson : IngestMapper::chunk)));
            } catch (IngestRejectedException rejected) {
                throw GrpcErrors.toStatus(rejected, toProto(rejected));
            } finally {
                messages.cancel();
            }
        });
    }

    private static IngestRecordsRequest header(ClientStream<IngestRecordsRequest> messages) {
        IngestRecordsRequest first;
        try {
            first = messages.next();
        } catch (IOException e) {
            throw IngestService.interrupted(e);
        }
        if (first == null || !first.hasHeader()) {
            throw ApiException.invalid("header", "the first message of an ingest must be its header");
        }
        return first;
    }

    private static IngestService.Header header(org.mihub.api.catalog.v1.IngestHeader header) {
        IngestService.Format format = switch (header.getFormat()) {
            case INGEST_FORMAT_CSV -> IngestService.Format.CSV;
            case INGEST_FORMAT_JSON -> IngestService.Format.JSON;
            case INGEST_FORMAT_NDJSON, INGEST_FORMAT_RECORDS -> IngestService.Format.NDJSON;
            default -> throw ApiException.invalid("header.format", "a format is required: RECORDS, CSV, JSON or "
                    + "NDJSON");
        };
        IngestService.Mode mode = switch (header.getMode()) {
            case INGEST_MODE_UNSPECIFIED, INGEST_MODE_STRICT -> IngestService.Mode.STRICT;
            case INGEST_MODE_SKIP_INVALID -> IngestService.Mode.SKIP_INVALID;
            default -> throw ApiException.invalid("header.mode", "STRICT or SKIP_INVALID");
        };
        return new IngestService.Header(DatasetMapper.id("header.dataset_id", header.getDatasetId()),
                header.getIdempotencyKey(), format, header.getDryRun(), header.getMaxRejections(),
                header.getSourceName(), mode);
    }

    static IngestRecordsResponse toProto(IngestService.Result result) {
        var response = IngestRecordsResponse.newBuilder().setIngestId(result.ingestId().toString())
                .setDatasetId(result.datasetId().toString())
                .setOutcome(IngestOutcome.valueOf("INGEST_OUTCOME_" + result.outcome().name()))
                .setRowsReceived(result.rowsReceived()).setRowsWritten(result.rowsWritten())
                .setMeasurementsWritten(result.measurementsWritten()).setDatasetVersion(result.datasetVersion())
                .setContentSha256(result.contentSha256())
                .setCompletedAt(DatasetMapper.timestamp(result.completedAt()))
                .setMode(result.mode() == IngestService.Mode.SKIP_INVALID ? IngestMode.INGEST_MODE_SKIP_INVALID
                        : IngestMode.INGEST_MODE_STRICT)
                .setRowsSkipped(result.rowsSkipped()).setSkippedTruncated(result.skippedTruncated());
        result.skipped().forEach(problem -> response.addSkipped(row(problem)));
        result.warnings().forEach(warning -> response.addWarnings(row(warning)));
        for (IngestService.PropertyUse use : result.properties()) {
            var entry = IngestPropertyUse.newBuilder().setProperty(use.property().name())
                    .setValueType(PropertyMapper.type(use.property().valueType()))
                    .setCanonicalUnit(use.property().canonicalUnit()).addAllUnits(use.units())
                    .setMeasurements(use.measurements());
            response.addProperties(entry);
        }
        return response.build();
    }

    private static RowRejection row(Rejection rejection) {
        var row = RowRejection.newBuilder().setRow(rejection.row()).setLine(rejection.line())
                .setColumn(rejection.column()).setCode(RejectionCode.valueOf("REJECTION_CODE_" + rejection.code()))
                .setReason(rejection.reason()).setValue(rejection.value());
        if (rejection.position() != null) {
            row.setPosition(rejection.position());
        }
        return row.build();
    }

    /** A page of a dataset's ingest history. */
    public static ListIngestsResponse toProto(IngestHistory.Page page) {
        var response = ListIngestsResponse.newBuilder()
                .setPageInfo(PageInfo.newBuilder().setNextPageToken(page.nextPageToken()).setTotalSize(-1));
        for (Ingest entry : page.ingests()) {
            var ingest = IngestRecord.newBuilder().setIngestId(entry.id().toString())
                    .setMode("skip-invalid".equals(entry.mode()) ? IngestMode.INGEST_MODE_SKIP_INVALID
                            : IngestMode.INGEST_MODE_STRICT)
                    .setFormat(entry.format().toLowerCase(Locale.ROOT)).setSourceName(entry.sourceName())
                    .setRowsWritten(entry.rowsWritten()).setMeasurementsWritten(entry.measurementsWritten())
                    .setRowsSkipped(entry.rowsSkipped()).setDatasetVersion(entry.datasetVersion())
                    .setCreatedBy(entry.createdBy()).setCompletedAt(DatasetMapper.timestamp(entry.completedAt()))
                    .setContentSha256(entry.contentSha256());
            try {
                for (JsonNode problem : JSON.readTree(entry.skippedJson())) {
                    var row = RowRejection.newBuilder().setRow(problem.path("row").asLong())
                            .setLine(problem.path("line").asLong()).setColumn(problem.path("column").asText(""))
                            .setCode(RejectionCode.valueOf("REJECTION_CODE_" + problem.path("code").asText("invalid_value")
                                    .toUpperCase(Locale.ROOT)))
                            .setReason(problem.path("reason").asText(""));
                    if (problem.has("position")) {
                        row.setPosition(problem.path("position").asInt());
                    }
                    ingest.addSkipped(row);
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalStateException("ingest " + entry.id() + ": stored skipped rows unreadable", e);
            }
            response.addIngests(ingest);
        }
        return response.build();
    }

    static IngestRejected toProto(IngestRejectedException rejected) {
        var detail = IngestRejected.newBuilder().setDatasetId(rejected.datasetId().toString())
                .setRowsReceived(rejected.rowsReceived()).setRowsRejected(rejected.rowsRejected())
                .setTruncated(rejected.truncated());
        for (Rejection rejection : rejected.rejections()) {
            detail.addRejections(row(rejection));
        }
        return detail.build();
    }

    /** The bytes of a document chunk message. */
    private static byte[] chunk(IngestRecordsRequest message) throws IOException {
        if (!message.hasChunk()) {
            throw new IOException("after the header only document chunks may follow");
        }
        return message.getChunk().toByteArray();
    }

    /** The messages that follow the header, as one stream of document bytes. */
    private static final class MessageStream extends InputStream {

        /** The document bytes a message carries. */
        interface Content {
            byte[] bytes(IngestRecordsRequest message) throws IOException;
        }

        private final ClientStream<IngestRecordsRequest> messages;
        private final Content content;
        private byte[] current = new byte[0];
        private int offset;

        MessageStream(ClientStream<IngestRecordsRequest> messages, Content content) {
            this.messages = messages;
            this.content = content;
        }

        private boolean fill() throws IOException {
            while (offset >= current.length) {
                IngestRecordsRequest message = messages.next();
                if (message == null) {
                    return false;
                }
                // the message goes as soon as its bytes are taken: one chunk is held, never two
                current = content.bytes(message);
                offset = 0;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current[offset++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.length - offset);
            System.arraycopy(current, offset, buffer, off, n);
            offset += n;
            return n;
        }
    }
}
