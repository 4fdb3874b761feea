package org.mihub.planning.grpc;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.IngestOutcome;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.Material;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * A stand-in for the catalog's gRPC server in the planner's own tests: it records the datasets
 * created, the materials ingested (giving each material and measurement an id and its atomic fractions
 * from the formula, as the catalog does)
 * and the bearer token each call carried, exports a dataset's materials as records, and refuses an ingest
 * whose measurements name the instrument "refuse-me" (as the real catalog refuses a bad unit). The
 * real catalog is exercised end to end in the launcher's SuiteIT.
 */
final class CatalogStandIn extends CatalogServiceGrpc.CatalogServiceImplBase implements AutoCloseable {

    private static final Context.Key<String> AUTHORIZATION = Context.key("authorization");
    private static final Metadata.Key<String> HEADER = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    final List<CreateDatasetRequest> datasets = new CopyOnWriteArrayList<>();
    /** Datasets GetDataset finds, by id, with their owner organisation (the test decides what the caller sees). */
    final java.util.Map<String, String> visible = new java.util.concurrent.ConcurrentHashMap<>();
    final List<Material> materials = new CopyOnWriteArrayList<>();
    /** Materials ingested per dataset, in order; a dataset's version is the number of its ingests. */
    private final java.util.Map<String, List<List<Material>>> ingests = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> tokens = new CopyOnWriteArrayList<>();
    private final Server server;

    CatalogStandIn(int port) throws IOException {
        server = ServerBuilder.forPort(port).addService(ServerInterceptors.intercept(this,
                new io.grpc.ServerInterceptor() {
                    @Override
                    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
                            Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
                        String value = headers.get(HEADER);
                        return Contexts.interceptCall(Context.current().withValue(AUTHORIZATION,
                                value == null ? "" : value), call, headers, next);
                    }
                })).build().start();
    }

    @Override
    public void createDataset(CreateDatasetRequest request, StreamObserver<Dataset> response) {
        tokens.add(AUTHORIZATION.get());
        datasets.add(request);
        response.onNext(Dataset.newBuilder().setId(UUID.randomUUID().toString()).setOwnerOrg(request.getOwnerOrg())
                .setTitle(request.getTitle()).build());
        response.onCompleted();
    }

    /** The vocabulary the planner checks objective and constraint units against: three properties of the real one. */
    @Override
    public void listProperties(org.mihub.api.catalog.v1.ListPropertiesRequest request,
            StreamObserver<org.mihub.api.catalog.v1.ListPropertiesResponse> response) {
        response.onNext(org.mihub.api.catalog.v1.ListPropertiesResponse.newBuilder()
                .addProperties(org.mihub.api.catalog.v1.PropertyDefinition.newBuilder().setName("hardness")
                        .setCanonicalUnit("GPa"))
                .addProperties(org.mihub.api.catalog.v1.PropertyDefinition.newBuilder().setName("band_gap")
                        .setCanonicalUnit("eV"))
                .addProperties(org.mihub.api.catalog.v1.PropertyDefinition.newBuilder().setName("density")
                        .setCanonicalUnit("g/cm3"))
                .build());
        response.onCompleted();
    }

    @Override
    public void getDataset(org.mihub.api.catalog.v1.GetDatasetRequest request, StreamObserver<Dataset> response) {
        String owner = visible.get(request.getId());
        if (owner == null) {
            response.onError(Status.NOT_FOUND.withDescription("dataset " + request.getId() + " not found")
                    .asRuntimeException());
            return;
        }
        response.onNext(Dataset.newBuilder().setId(request.getId()).setOwnerOrg(owner).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<IngestRecordsRequest> ingestRecords(StreamObserver<IngestRecordsResponse> response) {
        tokens.add(AUTHORIZATION.get());
        List<Material> received = new CopyOnWriteArrayList<>();
        String[] dataset = {""};
        return new StreamObserver<>() {
            @Override
            public void onNext(IngestRecordsRequest request) {
                if (request.hasHeader()) {
                    dataset[0] = request.getHeader().getDatasetId();
                }
                if (request.hasRecords()) {
                    received.addAll(request.getRecords().getMaterialsList());
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                boolean refuse = received.stream().flatMap(m -> m.getMeasurementsList().stream())
                        .anyMatch(x -> x.getInstrument().equals("refuse-me"));
                if (refuse) {
                    response.onError(Status.INVALID_ARGUMENT.withDescription("row 1: instrument refused")
                            .asRuntimeException());
                    return;
                }
                List<Material> stored = received.stream().map(m -> {
                    Material.Builder material = m.toBuilder().setId(UUID.randomUUID().toString()).setDatasetId(dataset[0]);
                    if (!m.getFormula().isEmpty() && m.getAtomicFractionsCount() == 0) {
                        // as the catalog stores a material: its atomic fractions from the formula
                        material.putAllAtomicFractions(
                                org.mihub.common.chemistry.FormulaParser.parse(m.getFormula()).atomicFractions());
                    }
                    material.getMeasurementsBuilderList().forEach(x -> x.setId(UUID.randomUUID().toString()));
                    return material.build();
                }).toList();
                materials.addAll(stored);
                List<List<Material>> versions = ingests.computeIfAbsent(dataset[0], d -> new CopyOnWriteArrayList<>());
                versions.add(stored);
                response.onNext(IngestRecordsResponse.newBuilder().setOutcome(IngestOutcome.INGEST_OUTCOME_COMMITTED)
                        .setDatasetId(dataset[0]).setDatasetVersion(versions.size())
                        .setRowsWritten(received.size()).build());
                response.onCompleted();
            }
        };
    }

    /** The dataset's materials (as of a version when asked) as records, after a header. */
    @Override
    public void exportDataset(org.mihub.api.catalog.v1.ExportDatasetRequest request,
            StreamObserver<org.mihub.api.catalog.v1.ExportDatasetResponse> response) {
        tokens.add(AUTHORIZATION.get());
        List<List<Material>> versions = ingests.getOrDefault(request.getDatasetId(), List.of());
        int upTo = request.hasAsOfVersion() ? Math.min(request.getAsOfVersion(), versions.size()) : versions.size();
        response.onNext(org.mihub.api.catalog.v1.ExportDatasetResponse.newBuilder().setHeader(
                org.mihub.api.catalog.v1.ExportHeader.newBuilder().setDatasetVersion(upTo)).build());
        versions.subList(0, upTo).forEach(batch -> batch.forEach(m -> response.onNext(
                org.mihub.api.catalog.v1.ExportDatasetResponse.newBuilder().setMaterial(m).build())));
        response.onCompleted();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
