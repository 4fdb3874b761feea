package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestOutcome;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.IngestRejected;
import org.mihub.api.catalog.v1.RejectionCode;
import org.mihub.api.catalog.v1.RowRejection;
import org.mihub.api.common.v1.Visibility;
import org.mihub.common.testing.PostgresResource;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;

/**
 * An ingest ends, with its transaction, whichever way its call ends (issue #23); memory is bounded
 * by a message, not by the upload; bad input is refused with what and where, never INTERNAL.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestReliabilityTest {

    static final String ALICE = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    static final String BOB = CatalogClient.token("bob", "kansai-u", "member", "contributor");
    private static final String IDLE_IN_TRANSACTION = "SELECT count(*) FROM pg_stat_activity WHERE datname = "
            + "current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()";

    @Inject
    DataSource dataSource;

    @Inject
    Vertx vertx;

    private CatalogClient client;
    private ManagedChannel channel;

    @BeforeAll
    void open() {
        client = new CatalogClient();
        channel = ManagedChannelBuilder.forAddress("localhost", 18081).usePlaintext().build();
    }

    @AfterAll
    void close() {
        client.close();
        channel.shutdownNow();
    }

    private String newDataset() {
        return client.as(ALICE).createDataset(CreateDatasetRequest.newBuilder().setTitle("reliability")
                .setLicence("CC-BY-4.0").setVisibility(Visibility.CONSORTIUM).build()).getId();
    }

    private long query(String sql) throws SQLException {
        try (var connection = dataSource.getConnection(); var select = connection.createStatement();
                var rows = select.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Waits (at most 10 s) until no session of the catalog's database is idle in a transaction. */
    private void noSessionIdleInTransaction() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long open;
        while ((open = query(IDLE_IN_TRANSACTION)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, open, "a session is still idle in transaction");
    }

    private CatalogServiceGrpc.CatalogServiceStub stub(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return CatalogServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static IngestRecordsRequest header(String datasetId) {
        return IngestRecordsRequest.newBuilder().setHeader(IngestHeader.newBuilder().setDatasetId(datasetId)
                .setFormat(IngestFormat.INGEST_FORMAT_CSV)).build();
    }

    private static IngestRecordsRequest chunk(String text) {
        return IngestRecordsRequest.newBuilder().setChunk(ByteString.copyFromUtf8(text)).build();
    }

    /** The response of a call, as a future. */
    private static final class Answer implements StreamObserver<IngestRecordsResponse> {
        final CompletableFuture<IngestRecordsResponse> result = new CompletableFuture<>();

        @Override
        public void onNext(IngestRecordsResponse value) {
            result.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
        }

        StatusRuntimeException failure(int seconds) throws Exception {
            try {
                IngestRecordsResponse unexpected = result.get(seconds, TimeUnit.SECONDS);
                throw new AssertionError("the ingest succeeded: " + unexpected);
            } catch (ExecutionException e) {
                return (StatusRuntimeException) e.getCause();
            }
        }
    }

    /** After the call is gone the dataset serves others at once: reads, exports and a new ingest. */
    private void theDatasetIsFree(String id) throws Exception {
        noSessionIdleInTransaction();
        var bob = client.as(BOB).withDeadlineAfter(20, TimeUnit.SECONDS);
        assertEquals(id, bob.getDataset(GetDatasetRequest.newBuilder().setId(id).build()).getId());
        bob.exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(id).build()).forEachRemaining(part -> {
        });
        var result = client.ingestCsv(ALICE, id, null, "formula,band_gap [eV]\nSi,1.12\n", 8);
        assertEquals(IngestOutcome.INGEST_OUTCOME_COMMITTED, result.getOutcome());
    }

    /**
     * Issue #23.1: a chunk over the 4 MiB message limit is answered RESOURCE_EXHAUSTED by the
     * transport; the ingest that was reading the call must end with it instead of holding its
     * transaction (and the dataset's lock) open for ever.
     */
    @Test
    void aChunkOverTheSizeLimitEndsTheIngestAndItsTransaction() throws Exception {
        String id = newDataset();
        Answer answer = new Answer();
        StreamObserver<IngestRecordsRequest> requests = stub(ALICE).ingestRecords(answer);
        requests.onNext(header(id));
        requests.onNext(chunk("formula,band_gap [eV]\n"));
        requests.onNext(chunk("Fe2O3,2.1\n".repeat(520_000)));
        StatusRuntimeException error = answer.failure(60);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, error.getStatus().getCode(), error.toString());
        theDatasetIsFree(id);
        // a client that holds its upload open after the answer (grpc-java's resets the stream, which
        // the reader hears as a cancel; a plain HTTP/2 client need not)
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        try {
            CompletableFuture<String> status = new CompletableFuture<>();
            http.request(HttpMethod.POST, 18081, "localhost", "/mihub.catalog.v1.CatalogService/IngestRecords")
                    .onFailure(status::completeExceptionally).onSuccess(request -> {
                        request.putHeader("content-type", "application/grpc").putHeader("te", "trailers")
                                .putHeader("authorization", "Bearer " + ALICE).setChunked(true);
                        request.response().onFailure(status::completeExceptionally).onSuccess(response -> {
                            if (response.getHeader("grpc-status") != null) {
                                status.complete(response.getHeader("grpc-status"));
                            }
                            response.endHandler(ended -> status.complete(response.getTrailer("grpc-status")));
                        });
                        request.write(frame(header(id)));
                        request.write(frame(chunk("formula,band_gap [eV]\n")));
                        request.write(frame(chunk("Fe2O3,2.1\n".repeat(520_000))));
                    });
            assertEquals(String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value()), status.get(30, TimeUnit.SECONDS));
            theDatasetIsFree(id);
        } finally {
            http.close();
        }
    }

    /** A gRPC message on the wire: uncompressed flag, length, bytes. */
    private static Buffer frame(IngestRecordsRequest message) {
        byte[] bytes = message.toByteArray();
        return Buffer.buffer(bytes.length + 5).appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
    }

    /** A client that cancels its upload half way: the ingest ends at once and writes nothing. */
    @Test
    void aCancelledUploadEndsTheIngestAndItsTransaction() throws Exception {
        String id = newDataset();
        Answer answer = new Answer();
        StreamObserver<IngestRecordsRequest> requests = stub(ALICE).ingestRecords(answer);
        requests.onNext(header(id));
        requests.onNext(chunk("formula,band_gap [eV]\nFe2O3,2.1\n"));
        Thread.sleep(500);
        requests.onError(new IllegalStateException("the user pressed cancel"));
        assertEquals(Status.Code.CANCELLED, answer.failure(30).getStatus().getCode());
        theDatasetIsFree(id);
        assertEquals(1, query("SELECT count(*) FROM material WHERE dataset_id = '" + id + "'"), "only the new row");
    }

    /** Issue #23.1b: a client that goes quiet is given up after the idle timeout (10 s in tests). */
    @Test
    void aClientThatGoesQuietIsGivenUpAfterTheIdleTimeout() throws Exception {
        String id = newDataset();
        Answer answer = new Answer();
        StreamObserver<IngestRecordsRequest> requests = stub(ALICE).ingestRecords(answer);
        requests.onNext(header(id));
        requests.onNext(chunk("formula,band_gap [eV]\nFe2O3,2.1\n"));
        StatusRuntimeException error = answer.failure(60);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, error.getStatus().getCode(), error.toString());
        assertTrue(error.getStatus().getDescription().contains("mihub.catalog.ingest.idle-timeout"),
                error.getStatus().getDescription());
        requests.onCompleted();
        theDatasetIsFree(id);
    }

    /** Issue #23.2: every pooled connection carries the guards of application.properties. */
    @Test
    void pooledConnectionsCarryTheLockStatementAndIdleTimeouts() throws SQLException {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            for (var expected : List.of(List.of("lock_timeout", "10s"), List.of("statement_timeout", "2min"),
                    List.of("idle_in_transaction_session_timeout", "5min"))) {
                try (var rows = statement.executeQuery("SHOW " + expected.get(0))) {
                    rows.next();
                    assertEquals(expected.get(1), rows.getString(1), expected.get(0));
                }
            }
        }
    }

    /** Streams the header and then the chunks, each only when the transport is ready for it. */
    private IngestRecordsResponse upload(String token, IngestRecordsRequest header, Iterator<ByteString> chunks)
            throws Exception {
        CompletableFuture<IngestRecordsResponse> result = new CompletableFuture<>();
        stub(token).withDeadlineAfter(5, TimeUnit.MINUTES).ingestRecords(
                new ClientResponseObserver<IngestRecordsRequest, IngestRecordsResponse>() {
                    private boolean headerSent;
                    private boolean done;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<IngestRecordsRequest> requests) {
                        requests.setOnReadyHandler(() -> {
                            while (requests.isReady() && !done) {
                                if (!headerSent) {
                                    headerSent = true;
                                    requests.onNext(header);
                                } else if (chunks.hasNext()) {
                                    requests.onNext(IngestRecordsRequest.newBuilder().setChunk(chunks.next()).build());
                                } else {
                                    done = true;
                                    requests.onCompleted();
                                }
                            }
                        });
                    }

                    @Override
                    public void onNext(IngestRecordsResponse value) {
                        result.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        try {
            return result.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /**
     * Issue #23.3: a 184 MB CSV with a bad last row, generated as it is sent, is read with memory
     * bounded by a message and a batch: the heap that stays live (measured after a full collection
     * twice a second) grows by far less than the upload.
     */
    @Test
    void aLargeUploadIsReadWithBoundedMemory() throws Exception {
        String id = newDataset();
        // -Dmihub.test.large-upload-rows=2330000 makes it a 1 GiB upload (bench/README.md)
        long rows = Long.getLong("mihub.test.large-upload-rows", 400_000);
        String method = "x".repeat(440);
        Iterator<ByteString> chunks = new Iterator<>() {
            private long row;
            private boolean last;

            @Override
            public boolean hasNext() {
                return !last;
            }

            @Override
            public ByteString next() {
                StringBuilder text = new StringBuilder(300_000);
                if (row == 0) {
                    text.append("sample_id,formula,band_gap [eV],method\n");
                }
                while (text.length() < 256 * 1024 && row < rows) {
                    row++;
                    text.append('k').append(row).append(",Fe").append(1 + row % 5).append("O3,").append(row % 7)
                            .append(',').append(method).append('\n');
                }
                if (row == rows) {
                    text.append("last,Qq2O,1,").append(method).append('\n');
                    last = true;
                }
                return ByteString.copyFrom(text.toString(), StandardCharsets.UTF_8);
            }
        };
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                System.gc();
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.start();
        StatusRuntimeException error;
        long start = System.nanoTime();
        try {
            error = assertThrows(StatusRuntimeException.class, () -> upload(ALICE, header(id), chunks));
        } finally {
            running.set(false);
            sampler.join();
        }
        long growth = peak.get() - baseline;
        System.out.printf("ingest of %d rows (%.0f MB) with a bad last row: %.1f s, live heap %.0f MB before, "
                + "peak growth %.1f MB%n", rows + 1, rows * (method.length() + 20) / 1e6,
                (System.nanoTime() - start) / 1e9, baseline / 1e6, growth / 1e6);
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), error.toString());
        IngestRejected rejected = CatalogClient.rejected(error);
        assertEquals(rows + 1, rejected.getRowsReceived());
        assertEquals(rows + 1, rejected.getRejections(0).getRow());
        assertTrue(growth < 100_000_000L, "live heap grew by " + growth / 1_000_000 + " MB for an upload of " + rows + " rows");
        assertEquals(0, query("SELECT count(*) FROM material WHERE dataset_id = '" + id + "'"));
    }

    private IngestRejected rejectedCsv(String csv) throws Exception {
        String id = newDataset();
        var error = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, id, null, csv, 4096));
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), error.toString());
        return CatalogClient.rejected(error);
    }

    /** Issue #23.4: spreadsheet programs start UTF-8 CSV with a byte-order mark. */
    @Test
    void aByteOrderMarkAtTheStartIsSkipped() throws Exception {
        String id = newDataset();
        var result = client.ingestCsv(ALICE, id, null, "\uFEFFformula,band_gap [eV]\nSi,1.12\nGaAs,1.42\n", 3);
        assertEquals(2, result.getRowsWritten());
        var json = client.ingest(ALICE, id, null, IngestFormat.INGEST_FORMAT_NDJSON, "\uFEFF{\"formula\": \"Ge\"}\n", 4);
        assertEquals(1, json.getRowsWritten());
    }

    /** Issue #23.5: a NUL byte is refused on its row and column, in CSV and in JSON. */
    @Test
    void aNulCharacterIsRefusedWithItsRowAndColumn() throws Exception {
        RowRejection csv = rejectedCsv("sample_id,formula,method\na,Si,ok\nb,Ge,bad\0value\n").getRejections(0);
        assertEquals(2, csv.getRow());
        assertEquals("method", csv.getColumn());
        assertEquals(RejectionCode.REJECTION_CODE_INVALID_VALUE, csv.getCode());
        assertTrue(csv.getReason().contains("NUL"), csv.getReason());
        String id = newDataset();
        var error = assertThrows(StatusRuntimeException.class, () -> client.ingest(ALICE, id, null,
                IngestFormat.INGEST_FORMAT_NDJSON, "{\"formula\": \"Si\", \"tags\": [\"a\", \"b\\u0000\"]}\n", 16));
        RowRejection json = CatalogClient.rejected(error).getRejections(0);
        assertEquals(1, json.getRow());
        assertEquals("tags[1]", json.getColumn());
    }

    /** Issue #23.5: a header of a million columns is refused naming the limit, not read into memory. */
    @Test
    void aHeaderOfAMillionColumnsIsRefusedNamingTheLimit() throws Exception {
        StringBuilder header = new StringBuilder("formula");
        for (int i = 0; i < 1_000_000; i++) {
            header.append(",c").append(i);
        }
        RowRejection refused = rejectedCsv(header + "\nSi\n").getRejections(0);
        assertEquals(RejectionCode.REJECTION_CODE_MALFORMED, refused.getCode());
        assertTrue(refused.getReason().contains("at most 10000 columns"), refused.getReason());
        RowRejection twice = rejectedCsv("formula,formula\nSi,Si\n").getRejections(0);
        assertTrue(twice.getReason().contains("appears twice"), twice.getReason());
    }

    /** Formulas nested 5 000 levels deep are a rejection of their row, not an internal error. */
    @Test
    void aFormulaNestedFiveThousandLevelsIsARowRejection() throws Exception {
        String deep = "(".repeat(5000) + "Fe" + ")".repeat(5000);
        RowRejection refused = rejectedCsv("formula\nSi\n" + deep + "\n").getRejections(0);
        assertEquals(2, refused.getRow());
        assertEquals("formula", refused.getColumn());
        assertEquals(RejectionCode.REJECTION_CODE_BAD_FORMULA, refused.getCode());
    }

    /** Sample keys the document repeats are still found, now by the database: each later row names the first. */
    @Test
    void aRepeatedSampleKeyNamesTheRowItRepeats() throws Exception {
        StringBuilder csv = new StringBuilder("sample_id,formula\n");
        for (int i = 1; i <= 12_000; i++) {
            csv.append(i == 11_000 ? "k7" : "k" + i).append(i == 5 ? ",Qq\n" : ",Fe2O3\n");
        }
        csv.append("k5,Si\n");
        IngestRejected rejected = rejectedCsv(csv.toString());
        List<String> found = rejected.getRejectionsList().stream().map(r -> r.getRow() + ":" + r.getCode()).toList();
        assertEquals(List.of("5:REJECTION_CODE_UNKNOWN_ELEMENT", "11000:REJECTION_CODE_DUPLICATE_KEY",
                "12001:REJECTION_CODE_DUPLICATE_KEY"), found);
        assertEquals(3, rejected.getRowsRejected());
        assertTrue(rejected.getRejections(1).getReason().contains("(row 7)"), rejected.getRejections(1).getReason());
    }

    /** Issue #23.5: an export format this service does not know is INVALID_ARGUMENT naming the field. */
    @Test
    void anUnknownExportFormatIsRefusedNamingTheField() {
        String id = newDataset();
        var error = assertThrows(StatusRuntimeException.class, () -> client.as(ALICE).exportDataset(
                ExportDatasetRequest.newBuilder().setDatasetId(id).setFormatValue(42).build()).forEachRemaining(part -> {
                }));
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), error.toString());
        assertTrue(error.getStatus().getDescription().contains("format"), error.getStatus().getDescription());
    }
}
