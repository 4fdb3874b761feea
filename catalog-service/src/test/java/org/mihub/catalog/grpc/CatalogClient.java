package org.mihub.catalog.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.IngestRejected;
import org.mihub.api.catalog.v1.RecordBatch;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.smallrye.jwt.build.Jwt;

/** A gRPC client of the catalog under test, acting as a given caller (tokens from the OIDC test server). */
final class CatalogClient implements AutoCloseable {

    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 18081).usePlaintext().build();

    static String token(String subject, String org, String... roles) {
        return Jwt.subject(subject).preferredUserName(subject).claim("org", org)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(600))
                .sign();
    }

    CatalogServiceGrpc.CatalogServiceBlockingStub as(String token) {
        var stub = CatalogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        return token == null ? stub : stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
    }

    /** Streams a CSV document in chunks of {@code chunkSize} bytes after the header. */
    IngestRecordsResponse ingestCsv(String token, String datasetId, String key, String csv, int chunkSize)
            throws InterruptedException {
        return ingest(token, datasetId, key, IngestFormat.INGEST_FORMAT_CSV, csv, chunkSize);
    }

    /** Streams a document of the given format in chunks of {@code chunkSize} bytes after the header. */
    IngestRecordsResponse ingest(String token, String datasetId, String key, IngestFormat format, String document,
            int chunkSize) throws InterruptedException {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        List<IngestRecordsRequest> chunks = new java.util.ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += chunkSize) {
            chunks.add(IngestRecordsRequest.newBuilder()
                    .setChunk(ByteString.copyFrom(bytes, offset, Math.min(chunkSize, bytes.length - offset))).build());
        }
        return stream(token, IngestHeader.newBuilder().setDatasetId(datasetId).setIdempotencyKey(key == null ? "" : key)
                .setFormat(format).build(), chunks);
    }

    /** Streams a document in 64-byte chunks after the given header (its mode, dry run, format...). */
    IngestRecordsResponse ingest(String token, IngestHeader header, String document) throws InterruptedException {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        List<IngestRecordsRequest> chunks = new java.util.ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += 64) {
            chunks.add(IngestRecordsRequest.newBuilder()
                    .setChunk(ByteString.copyFrom(bytes, offset, Math.min(64, bytes.length - offset))).build());
        }
        return stream(token, header, chunks);
    }

    /** A structured ingest: the header, then each batch of materials as one message. */
    IngestRecordsResponse ingestRecords(String token, String datasetId, List<RecordBatch> batches)
            throws InterruptedException {
        return stream(token, IngestHeader.newBuilder().setDatasetId(datasetId)
                .setFormat(IngestFormat.INGEST_FORMAT_RECORDS).build(), batches.stream()
                .map(batch -> IngestRecordsRequest.newBuilder().setRecords(batch).build()).toList());
    }

    private IngestRecordsResponse stream(String token, IngestHeader header, List<IngestRecordsRequest> messages)
            throws InterruptedException {
        var stub = CatalogServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
        CompletableFuture<IngestRecordsResponse> result = new CompletableFuture<>();
        StreamObserver<IngestRecordsRequest> requests = stub.ingestRecords(new StreamObserver<>() {
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
        requests.onNext(IngestRecordsRequest.newBuilder().setHeader(header).build());
        messages.forEach(requests::onNext);
        requests.onCompleted();
        try {
            return result.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static IngestRejected rejected(StatusRuntimeException error) throws Exception {
        for (var detail : StatusProto.fromThrowable(error).getDetailsList()) {
            if (detail.is(IngestRejected.class)) {
                return detail.unpack(IngestRejected.class);
            }
        }
        throw new AssertionError("no IngestRejected detail in " + error);
    }

    private static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return headers;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
