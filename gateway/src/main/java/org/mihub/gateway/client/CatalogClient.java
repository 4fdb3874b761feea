package org.mihub.gateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.DeleteDatasetRequest;
import org.mihub.api.catalog.v1.DeleteDatasetResponse;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.GetUsageSummaryRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.ListAccessLogRequest;
import org.mihub.api.catalog.v1.ListAccessLogResponse;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.ListDatasetsResponse;
import org.mihub.api.catalog.v1.ListPropertiesRequest;
import org.mihub.api.catalog.v1.ListPropertiesResponse;
import org.mihub.api.catalog.v1.ListStructureFieldsRequest;
import org.mihub.api.catalog.v1.ListStructureFieldsResponse;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.MutinyCatalogServiceGrpc.MutinyCatalogServiceStub;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.QueryStructuresResponse;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.SearchMaterialsResponse;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.catalog.v1.UsageSummary;
import org.mihub.gateway.config.BackendsConfig;

import com.google.protobuf.ByteString;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** The catalog over gRPC, with the caller's token (relayed by mihub-common) and a deadline per call. */
@ApplicationScoped
public class CatalogClient {

    /** Size of the document chunks an upload is streamed in. */
    static final int CHUNK = 64 * 1024;

    @Inject
    @GrpcClient("catalog")
    MutinyCatalogServiceStub stub;

    @Inject
    BackendGuards guards;

    @Inject
    BackendsConfig config;

    private MutinyCatalogServiceStub stub() {
        return guards.bind(stub, config.backendDeadline());
    }

    private <T> Uni<T> read(Uni<T> call) {
        return guards.of(Backend.CATALOG).read(call);
    }

    private <T> Uni<T> write(Uni<T> call) {
        return guards.of(Backend.CATALOG).write(call);
    }

    public Uni<Dataset> create(CreateDatasetRequest request) {
        return write(stub().createDataset(request));
    }

    public Uni<Dataset> get(String id) {
        return read(stub().getDataset(GetDatasetRequest.newBuilder().setId(id).build()));
    }

    public Uni<ListDatasetsResponse> list(ListDatasetsRequest request) {
        return read(stub().listDatasets(request));
    }

    public Uni<Dataset> updateSharing(UpdateDatasetSharingRequest request) {
        return write(stub().updateDatasetSharing(request));
    }

    public Uni<DeleteDatasetResponse> delete(String id, String reason) {
        return write(stub().deleteDataset(DeleteDatasetRequest.newBuilder().setId(id).setReason(reason).build()));
    }

    public Uni<SearchMaterialsResponse> search(SearchMaterialsRequest request) {
        return read(stub().searchMaterials(request));
    }

    public Uni<QueryStructuresResponse> queryStructures(QueryStructuresRequest request) {
        return read(stub().queryStructures(request));
    }

    public Uni<ListStructureFieldsResponse> structureFields() {
        return read(stub().listStructureFields(ListStructureFieldsRequest.getDefaultInstance()));
    }

    public Uni<Material> material(String id) {
        return read(stub().getMaterial(GetMaterialRequest.newBuilder().setId(id).build()));
    }

    /** The document bytes of a streamed export (CSV or JSONL), as the catalog sends them. */
    public Multi<byte[]> export(ExportDatasetRequest request) {
        return guards.of(Backend.CATALOG).stream(guards.bind(stub, config.ingestDeadline()).exportDataset(request))
                .filter(ExportDatasetResponse::hasData).map(message -> message.getData().toByteArray());
    }

    public Uni<ListAccessLogResponse> accessLog(ListAccessLogRequest request) {
        return read(stub().listAccessLog(request));
    }

    public Uni<UsageSummary> usage(GetUsageSummaryRequest request) {
        return read(stub().getUsageSummary(request));
    }

    public Uni<ListPropertiesResponse> properties(String text) {
        return read(stub().listProperties(ListPropertiesRequest.newBuilder().setText(text).build()));
    }

    /**
     * Streams an upload to the catalog: the header, then the body in chunks, read on worker threads
     * as the catalog asks for more (the body is never held whole).
     */
    public Uni<IngestRecordsResponse> ingest(IngestHeader header, InputStream body) {
        Multi<IngestRecordsRequest> chunks = Multi.createFrom().iterable(() -> new ChunkIterator(body))
                .map(chunk -> IngestRecordsRequest.newBuilder().setChunk(chunk).build());
        Multi<IngestRecordsRequest> messages = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(IngestRecordsRequest.newBuilder().setHeader(header).build()), chunks)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return write(guards.bind(stub, config.ingestDeadline()).ingestRecords(messages));
    }

    /** The ingest header for an upload of the given media type (text/csv, application/json, application/x-ndjson). */
    public static IngestHeader ingestHeader(String datasetId, String contentType, String idempotencyKey,
            boolean dryRun, String sourceName) {
        String media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        IngestFormat format = switch (media) {
            case "application/json" -> IngestFormat.INGEST_FORMAT_JSON;
            case "application/x-ndjson" -> IngestFormat.INGEST_FORMAT_NDJSON;
            default -> IngestFormat.INGEST_FORMAT_CSV;
        };
        return IngestHeader.newBuilder().setDatasetId(datasetId).setIdempotencyKey(idempotencyKey == null ? ""
                : idempotencyKey).setFormat(format).setDryRun(dryRun)
                .setSourceName(sourceName == null ? "" : sourceName).build();
    }

    /** The body in chunks of at most {@link #CHUNK} bytes. */
    private static final class ChunkIterator implements Iterator<ByteString> {
        private final InputStream body;
        private ByteString next;
        private boolean done;

        ChunkIterator(InputStream body) {
            this.body = body;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    byte[] buffer = body.readNBytes(CHUNK);
                    if (buffer.length == 0) {
                        done = true;
                    } else {
                        next = ByteString.copyFrom(buffer);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return next != null;
        }

        @Override
        public ByteString next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ByteString chunk = next;
            next = null;
            return chunk;
        }
    }
}
