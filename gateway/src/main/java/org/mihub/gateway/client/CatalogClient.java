package org.mihub.gateway.client;

import static org.mihub.gateway.client.CommonMapper.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.catalog.v1.CountElementsRequest;
import org.mihub.api.catalog.v1.DeleteDatasetRequest;
import org.mihub.api.catalog.v1.DeprecatePropertyRequest;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.GetPropertyRequest;
import org.mihub.api.catalog.v1.GetUsageSummaryRequest;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.ListAccessLogRequest;
import org.mihub.api.catalog.v1.ListIngestsRequest;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.ListPropertiesRequest;
import org.mihub.api.catalog.v1.ListStructureFieldsRequest;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.MutinyCatalogServiceGrpc.MutinyCatalogServiceStub;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.QueryReferencesRequest;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.StructureSort;
import org.mihub.gateway.config.BackendsConfig;
import org.mihub.gateway.view.DatasetViews.DatasetInput;
import org.mihub.gateway.view.DatasetViews.DatasetPage;
import org.mihub.gateway.view.DatasetViews.DatasetView;
import org.mihub.gateway.view.DatasetViews.DeletionView;
import org.mihub.gateway.view.DatasetViews.IngestResultView;
import org.mihub.gateway.view.DatasetViews.PropertyCreated;
import org.mihub.gateway.view.DatasetViews.PropertyInput;
import org.mihub.gateway.view.DatasetViews.PropertyPatch;
import org.mihub.gateway.view.DatasetViews.PropertyView;
import org.mihub.gateway.view.DatasetViews.RecordUpload;
import org.mihub.gateway.view.DatasetViews.SharingInput;
import org.mihub.gateway.view.MaterialViews;
import org.mihub.gateway.view.MaterialViews.ElementCountsView;
import org.mihub.gateway.view.MaterialViews.MaterialPage;
import org.mihub.gateway.view.MaterialViews.MaterialSearch;
import org.mihub.gateway.view.OptimadeViews.Entry;
import org.mihub.gateway.view.OptimadeViews.EntryField;
import org.mihub.gateway.view.OptimadeViews.EntryPage;
import org.mihub.gateway.view.UsageViews;
import org.mihub.gateway.view.UsageViews.AccessPage;
import org.mihub.gateway.view.UsageViews.UsageSummaryView;

import com.google.protobuf.ByteString;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The catalog over gRPC, with the caller's token (relayed by mihub-common) and a deadline per call:
 * views and plain values in, views out; a refusal comes back as a {@link BackendFailure}.
 */
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

    /** Creates an empty dataset. */
    public Uni<DatasetView> create(DatasetInput input) {
        return write(stub().createDataset(CatalogMapper.create(input))).map(CatalogMapper::view);
    }

    public Uni<DatasetView> get(String id) {
        return getDataset(id).map(CatalogMapper::view);
    }

    /** Datasets the caller may see; {@code visibility} in any case (private... or empty), refused when unknown. */
    public Uni<DatasetPage> list(String owner, String visibility, String text, int limit, String cursor) {
        var request = ListDatasetsRequest.newBuilder().setOwnerOrg(text(owner))
                .setVisibility(CatalogMapper.visibility("visibility", visibility)).setText(text(text))
                .setPage(CommonMapper.page(limit, cursor)).build();
        return read(stub().listDatasets(request)).map(page -> new DatasetPage(
                page.getDatasetsList().stream().map(CatalogMapper::view).toList(),
                CommonMapper.nextCursor(page.getPageInfo())));
    }

    public Uni<DatasetView> updateSharing(String id, SharingInput input) {
        return write(stub().updateDatasetSharing(CatalogMapper.sharing(id, input))).map(CatalogMapper::view);
    }

    public Uni<DeletionView> delete(String id, String reason) {
        return write(stub().deleteDataset(DeleteDatasetRequest.newBuilder().setId(id).setReason(text(reason))
                .build())).map(CatalogMapper::view);
    }

    public Uni<MaterialPage> search(MaterialSearch search) {
        return read(stub().searchMaterials(MaterialMapper.search(search))).map(page -> new MaterialPage(
                page.getMaterialsList().stream().map(MaterialMapper::view).toList(),
                CommonMapper.nextCursor(page.getPageInfo())));
    }

    public Uni<MaterialViews.MaterialView> material(String id) {
        return getMaterial(id).map(MaterialMapper::view);
    }

    /**
     * One page of the materials an OPTIMADE filter matches, parsed and run by the catalog.
     *
     * @param sort comma-separated OPTIMADE property names, each with '-' for descending
     */
    public Uni<EntryPage> queryStructures(String filter, String sort, int limit, long offset) {
        var request = QueryStructuresRequest.newBuilder().setFilter(text(filter)).addAllSort(structureSort(sort))
                .setLimit(limit).setOffset(offset).build();
        return read(stub().queryStructures(request)).map(page -> new EntryPage(
                page.getMaterialsList().stream().map(OptimadeMapper::entry).toList(), page.getMoreDataAvailable(),
                page.getDataReturned(), page.getDataAvailable(), page.getWarningsList()));
    }

    /** One page of the datasets an OPTIMADE filter matches, as references; as {@link #queryStructures}. */
    public Uni<EntryPage> queryReferences(String filter, String sort, int limit, long offset) {
        var request = QueryReferencesRequest.newBuilder().setFilter(text(filter)).addAllSort(structureSort(sort))
                .setLimit(limit).setOffset(offset).build();
        return read(stub().queryReferences(request)).map(page -> new EntryPage(
                page.getDatasetsList().stream().map(OptimadeMapper::reference).toList(), page.getMoreDataAvailable(),
                page.getDataReturned(), page.getDataAvailable(), page.getWarningsList()));
    }

    /** The fields of an OPTIMADE entry type ({@code structures}, {@code references}), served or not. */
    public Uni<List<EntryField>> fields(String entryType) {
        return read(stub().listStructureFields(ListStructureFieldsRequest.newBuilder().setEntryType(entryType)
                .build())).map(fields -> fields.getFieldsList().stream().map(OptimadeMapper::field).toList());
    }

    /** A material as an OPTIMADE structures entry. */
    public Uni<Entry> structure(String id) {
        return getMaterial(id).map(OptimadeMapper::entry);
    }

    /** A dataset as an OPTIMADE references entry. */
    public Uni<Entry> reference(String id) {
        return getDataset(id).map(OptimadeMapper::reference);
    }

    private Uni<org.mihub.api.catalog.v1.Dataset> getDataset(String id) {
        return read(stub().getDataset(GetDatasetRequest.newBuilder().setId(id).build()));
    }

    private Uni<Material> getMaterial(String id) {
        return read(stub().getMaterial(GetMaterialRequest.newBuilder().setId(id).build()));
    }

    /**
     * The document bytes of a streamed export (CSV or JSON Lines), as the catalog sends them.
     *
     * @param version the dataset version to export, or null for the current one
     * @param properties only measurements of these properties (none: all)
     * @param sources only measurements from these sources: experiment, simulation or prediction (none: all)
     */
    public Multi<byte[]> export(String id, boolean jsonl, Integer version, List<String> properties,
            List<String> sources) {
        var request = ExportDatasetRequest.newBuilder().setDatasetId(id)
                .setFormat(jsonl ? ExportFormat.EXPORT_FORMAT_JSONL : ExportFormat.EXPORT_FORMAT_CSV)
                .addAllProperties(properties);
        if (version != null) {
            request.setAsOfVersion(version);
        }
        sources.forEach(source -> request.addSources(MaterialMapper.source(source)));
        return guards.of(Backend.CATALOG).stream(guards.bind(stub, config.ingestDeadline())
                .exportDataset(request.build()))
                .filter(ExportDatasetResponse::hasData).map(message -> message.getData().toByteArray());
    }

    /** Reads of a dataset by other organisations, newest first; {@code since} and {@code until} may be null. */
    public Uni<AccessPage> accessLog(String datasetId, String readerOrg, Instant since, Instant until, int limit,
            String cursor) {
        var request = ListAccessLogRequest.newBuilder().setDatasetId(datasetId).setReaderOrg(text(readerOrg))
                .setPage(CommonMapper.page(limit, cursor));
        if (since != null) {
            request.setSince(CommonMapper.timestamp(since));
        }
        if (until != null) {
            request.setUntil(CommonMapper.timestamp(until));
        }
        return read(stub().listAccessLog(request.build())).map(page -> new AccessPage(
                page.getEntriesList().stream().map(CatalogMapper::view).toList(),
                CommonMapper.nextCursor(page.getPageInfo())));
    }

    /** A dataset's ingest history, newest first (members of the owner organisation). */
    public Uni<UsageViews.IngestHistoryPage> ingests(String datasetId, int limit, String cursor) {
        var request = ListIngestsRequest.newBuilder().setDatasetId(datasetId).setPage(CommonMapper.page(limit, cursor));
        return read(stub().listIngests(request.build())).map(page -> new UsageViews.IngestHistoryPage(
                page.getIngestsList().stream().map(CatalogMapper::view).toList(),
                CommonMapper.nextCursor(page.getPageInfo())));
    }

    /** An organisation's usage summary; {@code since} and {@code until} may be null. */
    public Uni<UsageSummaryView> usage(String org, Instant since, Instant until) {
        var request = GetUsageSummaryRequest.newBuilder().setOrg(text(org));
        if (since != null) {
            request.setSince(CommonMapper.timestamp(since));
        }
        if (until != null) {
            request.setUntil(CommonMapper.timestamp(until));
        }
        return read(stub().getUsageSummary(request.build())).map(CatalogMapper::view);
    }

    /** For each element, how many of the materials the caller may see contain it. */
    public Uni<ElementCountsView> elementCounts() {
        return read(stub().countElements(CountElementsRequest.getDefaultInstance())).map(answer -> {
            Map<String, Long> counts = new TreeMap<>();
            answer.getCountsList().forEach(count -> counts.put(count.getElement(), count.getMaterials()));
            return new ElementCountsView(counts);
        });
    }

    public Uni<List<PropertyView>> properties(String text) {
        return read(stub().listProperties(ListPropertiesRequest.newBuilder().setText(text(text)).build()))
                .map(page -> page.getPropertiesList().stream().map(CatalogMapper::view).toList());
    }

    public Uni<PropertyView> property(String name) {
        return read(stub().getProperty(GetPropertyRequest.newBuilder().setName(name).build())).map(CatalogMapper::view);
    }

    /** Adds a property; a name taken with another type or unit fails CONFLICT (the caller reads the existing one). */
    public Uni<PropertyCreated> createProperty(PropertyInput input) {
        return write(stub().createProperty(CatalogMapper.createProperty(input)))
                .map(answer -> new PropertyCreated(CatalogMapper.view(answer.getProperty()), answer.getCreated()));
    }

    /** Changes what may change, then deprecates when asked: two calls, each its own transaction. */
    public Uni<PropertyView> updateProperty(String name, PropertyPatch patch) {
        var update = CatalogMapper.updateProperty(name, patch);
        Uni<PropertyDefinition> changed = write(stub().updateProperty(update));
        if (Boolean.TRUE.equals(patch.deprecated())) {
            changed = changed.chain(ignored -> write(stub().deprecateProperty(DeprecatePropertyRequest.newBuilder()
                    .setName(name).setReason(text(patch.deprecationReason())).build())));
        }
        return changed.map(CatalogMapper::view);
    }

    /**
     * Streams an upload to the catalog: the header, then the body in chunks, read on worker threads
     * as the catalog asks for more (the body is never held whole).
     */
    public Uni<IngestResultView> ingest(RecordUpload upload, InputStream body) {
        IngestHeader header = CatalogMapper.ingestHeader(upload);
        Multi<IngestRecordsRequest> chunks = Multi.createFrom().iterable(() -> new ChunkIterator(body))
                .map(chunk -> IngestRecordsRequest.newBuilder().setChunk(chunk).build());
        Multi<IngestRecordsRequest> messages = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(IngestRecordsRequest.newBuilder().setHeader(header).build()), chunks)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return write(guards.bind(stub, config.ingestDeadline()).ingestRecords(messages)).map(CatalogMapper::view);
    }

    private static List<StructureSort> structureSort(String sort) {
        List<StructureSort> keys = new ArrayList<>();
        for (String key : text(sort).split(",")) {
            String trimmed = key.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            boolean descending = trimmed.startsWith("-");
            keys.add(StructureSort.newBuilder().setProperty(descending ? trimmed.substring(1) : trimmed)
                    .setDescending(descending).build());
        }
        return keys;
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
