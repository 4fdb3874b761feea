package org.mihub.catalog.grpc;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.mihub.api.catalog.v1.CountElementsRequest;
import org.mihub.api.catalog.v1.CountElementsResponse;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.CreatePropertyResponse;
import org.mihub.api.catalog.v1.DeprecatePropertyRequest;
import org.mihub.api.catalog.v1.DeleteDatasetRequest;
import org.mihub.api.catalog.v1.DeleteDatasetResponse;
import org.mihub.api.catalog.v1.ElementCount;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.GetPropertyRequest;
import org.mihub.api.catalog.v1.GetUsageSummaryRequest;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.ListAccessLogRequest;
import org.mihub.api.catalog.v1.ListAccessLogResponse;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.ListIngestsRequest;
import org.mihub.api.catalog.v1.ListIngestsResponse;
import org.mihub.api.catalog.v1.RecordDerivedReadsRequest;
import org.mihub.api.catalog.v1.RecordDerivedReadsResponse;
import org.mihub.api.catalog.v1.ListDatasetsResponse;
import org.mihub.api.catalog.v1.ListPropertiesRequest;
import org.mihub.api.catalog.v1.ListPropertiesResponse;
import org.mihub.api.catalog.v1.ListStructureFieldsRequest;
import org.mihub.api.catalog.v1.ListStructureFieldsResponse;
import org.mihub.api.catalog.v1.MutinyCatalogServiceGrpc;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.QueryReferencesRequest;
import org.mihub.api.catalog.v1.QueryReferencesResponse;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.QueryStructuresResponse;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.SearchMaterialsResponse;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.catalog.v1.UpdatePropertyRequest;
import org.mihub.api.catalog.v1.UsageSummary;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.catalog.config.IngestConfig;
import org.mihub.catalog.ingest.IngestService;
import org.mihub.catalog.mapping.DatasetMapper;
import org.mihub.catalog.mapping.ExportMapper;
import org.mihub.catalog.mapping.InboundCall;
import org.mihub.catalog.mapping.IngestMapper;
import org.mihub.catalog.mapping.MaterialMapper;
import org.mihub.catalog.mapping.OptimadeMapper;
import org.mihub.catalog.mapping.PropertyMapper;
import org.mihub.catalog.mapping.UsageMapper;
import org.mihub.catalog.repository.DatasetSql;
import org.mihub.catalog.service.DatasetService;
import org.mihub.catalog.service.ExportService;
import org.mihub.catalog.service.IngestHistory;
import org.mihub.catalog.service.MaterialService;
import org.mihub.catalog.service.PropertyConflictException;
import org.mihub.catalog.service.PropertyService;
import org.mihub.catalog.service.OptimadeService;
import org.mihub.catalog.service.UsageService;
import org.mihub.common.error.GrpcErrors;
import org.mihub.common.grpc.Work;
import org.mihub.common.identity.Caller;
import org.mihub.common.identity.CallerContext;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The catalog over gRPC. The caller is read from the gRPC context here, on the calling thread,
 * and handed to the domain services, which run on worker threads. Anonymous callers reach only the
 * methods listed in {@code mihub.grpc.anonymous-methods} and see PUBLIC data only.
 */
@GrpcService
@Singleton
@RegisterInterceptor(IngestFlowControl.class)
public class CatalogGrpcService extends MutinyCatalogServiceGrpc.CatalogServiceImplBase {

    @Inject
    DatasetService datasets;

    @Inject
    PropertyService properties;

    @Inject
    IngestService ingest;

    @Inject
    IngestConfig ingestConfig;

    @Inject
    MaterialService materials;

    @Inject
    UsageService usage;

    @Inject
    IngestHistory ingestHistory;

    @Inject
    OptimadeService optimade;

    @Inject
    ExportService exports;

    @Override
    public Uni<QueryStructuresResponse> queryStructures(QueryStructuresRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> OptimadeMapper.toProto(optimade.query(caller, request.getFilter(),
                OptimadeMapper.sort(request.getSortList()), request.getLimit(), request.getOffset())));
    }

    @Override
    public Uni<QueryReferencesResponse> queryReferences(QueryReferencesRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> OptimadeMapper.toProto(optimade.references(caller, request.getFilter(),
                OptimadeMapper.sort(request.getSortList()), request.getLimit(), request.getOffset())));
    }

    @Override
    public Uni<ListStructureFieldsResponse> listStructureFields(ListStructureFieldsRequest request) {
        return Work.blocking(() -> OptimadeMapper.toProto(optimade.fields(request.getEntryType())));
    }

    @Override
    public Uni<org.mihub.api.catalog.v1.Dataset> createDataset(CreateDatasetRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> DatasetMapper.toProto(datasets.create(caller, DatasetMapper.toDraft(request))));
    }

    @Override
    public Uni<org.mihub.api.catalog.v1.Dataset> getDataset(GetDatasetRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> DatasetMapper.toProto(
                datasets.get(caller, DatasetMapper.id("id", request.getId()))));
    }

    @Override
    public Uni<ListDatasetsResponse> listDatasets(ListDatasetsRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> {
            var filter = new DatasetSql.ListFilter(request.getOwnerOrg(),
                    DatasetMapper.visibilityOrNull("visibility", request.getVisibility()), request.getText(),
                    DatasetMapper.ids(request.getIdsList()));
            var page = datasets.list(caller, filter, request.getPage().getPageToken(), request.getPage().getPageSize());
            var response = ListDatasetsResponse.newBuilder();
            page.datasets().forEach(dataset -> response.addDatasets(DatasetMapper.toProto(dataset)));
            return response.setPageInfo(PageInfo.newBuilder().setTotalSize(-1)
                    .setNextPageToken(page.nextCursor() == null ? "" : page.nextCursor())).build();
        });
    }

    @Override
    public Uni<org.mihub.api.catalog.v1.Dataset> updateDatasetSharing(UpdateDatasetSharingRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> DatasetMapper.toProto(datasets.updateSharing(caller,
                DatasetMapper.id("dataset_id", request.getDatasetId()),
                DatasetMapper.visibilityOrNull("visibility", request.getVisibility()), request.getSharedWithList(),
                DatasetMapper.embargo(request.hasEmbargo() ? request.getEmbargo() : null))));
    }

    @Override
    public Uni<DeleteDatasetResponse> deleteDataset(DeleteDatasetRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> {
            var deletion = datasets.delete(caller, DatasetMapper.id("id", request.getId()), request.getReason());
            return DeleteDatasetResponse.newBuilder().setId(deletion.id().toString())
                    .setDeletedAt(DatasetMapper.timestamp(deletion.deletedAt())).setDeletedBy(deletion.deletedBy())
                    .build();
        });
    }

    @Override
    public Uni<ListPropertiesResponse> listProperties(ListPropertiesRequest request) {
        return Work.blocking(() -> {
            var response = ListPropertiesResponse.newBuilder();
            properties.list(request.getText()).forEach(property -> response.addProperties(PropertyMapper.toProto(property)));
            return response.setPageInfo(PageInfo.newBuilder().setTotalSize(response.getPropertiesCount())).build();
        });
    }

    @Override
    public Uni<PropertyDefinition> getProperty(GetPropertyRequest request) {
        return Work.blocking(() -> PropertyMapper.toProto(properties.get(request.getName())));
    }

    /** A name taken with another type or unit is ALREADY_EXISTS with the existing definition as a detail. */
    @Override
    public Uni<CreatePropertyResponse> createProperty(CreatePropertyRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> {
            try {
                var created = properties.create(caller, PropertyMapper.draft(request));
                return CreatePropertyResponse.newBuilder().setProperty(PropertyMapper.toProto(created.property()))
                        .setCreated(created.created()).build();
            } catch (PropertyConflictException conflict) {
                throw GrpcErrors.toStatus(conflict, PropertyMapper.toProto(conflict.existing()));
            }
        });
    }

    @Override
    public Uni<PropertyDefinition> updateProperty(UpdatePropertyRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> PropertyMapper.toProto(properties.update(caller, request.getName(),
                PropertyMapper.change(request))));
    }

    @Override
    public Uni<PropertyDefinition> deprecateProperty(DeprecatePropertyRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> PropertyMapper.toProto(properties.deprecate(caller, request.getName(),
                request.getReason())));
    }

    @Override
    public Uni<CountElementsResponse> countElements(CountElementsRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> {
            var response = CountElementsResponse.newBuilder();
            materials.elementCounts(caller).forEach((element, count) -> response.addCounts(
                    ElementCount.newBuilder().setElement(element).setMaterials(count)));
            return response.build();
        });
    }

    @Override
    public Uni<SearchMaterialsResponse> searchMaterials(SearchMaterialsRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> {
            var page = materials.search(caller, MaterialMapper.query(request.getQuery()),
                    MaterialMapper.sort(request.getSortList()), request.getPage().getPageToken(),
                    request.getPage().getPageSize());
            var response = SearchMaterialsResponse.newBuilder();
            boolean full = MaterialMapper.full(request);
            page.materials().forEach(material -> response.addMaterials(MaterialMapper.toProto(material, full)));
            return response.setPageInfo(PageInfo.newBuilder().setTotalSize(-1)
                    .setNextPageToken(page.nextCursor() == null ? "" : page.nextCursor())).build();
        });
    }

    @Override
    public Uni<org.mihub.api.catalog.v1.Material> getMaterial(GetMaterialRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> MaterialMapper.toProto(
                materials.get(caller, DatasetMapper.id("id", request.getId())), true));
    }

    @Override
    public Uni<ListAccessLogResponse> listAccessLog(ListAccessLogRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> UsageMapper.toProto(usage.accessLog(caller,
                request.getDatasetId().isEmpty() ? null : DatasetMapper.id("dataset_id", request.getDatasetId()),
                request.getReaderOrg(), UsageMapper.instantOrNull(request.hasSince(), request.getSince()),
                UsageMapper.instantOrNull(request.hasUntil(), request.getUntil()), request.getPage().getPageToken(),
                request.getPage().getPageSize())));
    }

    @Override
    public Uni<ListIngestsResponse> listIngests(ListIngestsRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> IngestMapper.toProto(ingestHistory.list(caller,
                DatasetMapper.id("dataset_id", request.getDatasetId()), request.getPage().getPageToken(),
                request.getPage().getPageSize())));
    }

    @Override
    public Uni<RecordDerivedReadsResponse> recordDerivedReads(RecordDerivedReadsRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> RecordDerivedReadsResponse.newBuilder()
                .setLogged(datasets.recordDerivedReads(caller, UsageMapper.derivedReads(request))).build());
    }

    @Override
    public Uni<UsageSummary> getUsageSummary(GetUsageSummaryRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> UsageMapper.toProto(usage.summary(caller, request.getOrg(),
                UsageMapper.instantOrNull(request.hasSince(), request.getSince()),
                UsageMapper.instantOrNull(request.hasUntil(), request.getUntil()))));
    }

    @Override
    public Multi<ExportDatasetResponse> exportDataset(ExportDatasetRequest request) {
        return ExportMapper.export(exports, CallerContext.current(), request);
    }

    /** Read one message at a time as the parser needs it ({@link IngestFlowControl}). */
    @Override
    public Uni<IngestRecordsResponse> ingestRecords(Multi<IngestRecordsRequest> requests) {
        Caller caller = CallerContext.require();
        return IngestMapper.ingest(ingest, caller, requests, InboundCall.KEY.get(), ingestConfig.idleTimeout());
    }
}
