package org.mihub.planning.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.api.catalog.v1.Parameter;
import org.mihub.api.catalog.v1.ProcessStep;
import org.mihub.api.catalog.v1.MutinyCatalogServiceGrpc.MutinyCatalogServiceStub;
import org.mihub.api.catalog.v1.RecordBatch;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.api.planning.v1.ParameterValue;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.api.planning.v1.ProposalResult;
import org.mihub.planning.config.ClientsConfig;
import org.mihub.planning.space.DesignSpace;
import org.mihub.planning.space.Point;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;

/**
 * Writes campaign results to the catalog as the caller (whose token mihub-common relays): creates
 * the campaign's PRIVATE results dataset on first use and ingests results as structured records.
 * Each write carries an idempotency key derived from its content, so a report that is retried after
 * the catalog committed it (but before the planner recorded it) is not stored twice.
 */
@ApplicationScoped
public class CatalogWriter {

    @Inject
    @GrpcClient("catalog")
    MutinyCatalogServiceStub stub;

    @Inject
    ClientsConfig config;

    private MutinyCatalogServiceStub stub() {
        return stub.withDeadlineAfter(config.catalogDeadline().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The owner organisation of a dataset the caller can see, asked of the catalog as the caller;
     * empty when the caller sees no such dataset (hidden and missing answer alike).
     */
    public Optional<String> visibleDatasetOwner(String datasetId) {
        try {
            return Optional.of(stub().getDataset(GetDatasetRequest.newBuilder().setId(datasetId).build())
                    .await().atMost(config.catalogDeadline().plusSeconds(1)).getOwnerOrg());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND
                    || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates the results dataset of a campaign (PRIVATE to its organisation); returns its id. */
    public String createResultsDataset(String ownerOrg, String campaignId, String campaignName) {
        return stub().createDataset(CreateDatasetRequest.newBuilder().setOwnerOrg(ownerOrg)
                .setTitle("Results of campaign " + campaignName)
                .setDescription("Measurements reported to planning campaign " + campaignId
                        + "; each measurement names its campaign and proposal.")
                .setLicence("LicenseRef-campaign-results").setVisibility(Visibility.PRIVATE).build())
                .await().atMost(config.catalogDeadline().plusSeconds(1)).getId();
    }

    /** Ingests the materials into the dataset in one atomic catalog write. */
    public IngestRecordsResponse write(String datasetId, String campaignId, List<Material> materials) {
        RecordBatch batch = RecordBatch.newBuilder().addAllMaterials(materials).build();
        IngestHeader header = IngestHeader.newBuilder().setDatasetId(datasetId)
                .setIdempotencyKey("planning-" + campaignId + "-" + sha256(batch.toByteArray()))
                .setFormat(IngestFormat.INGEST_FORMAT_RECORDS).setSourceName("planning campaign " + campaignId)
                .build();
        return stub().ingestRecords(Multi.createFrom().items(IngestRecordsRequest.newBuilder().setHeader(header)
                .build(), IngestRecordsRequest.newBuilder().setRecords(batch).build()))
                .await().atMost(config.catalogDeadline().plusSeconds(1));
    }

    /** One measured result to write: the proposal's candidate and the lab's report. */
    public record Result(String proposalId, Point point, byte[] document) {

        ProposalResult report() {
            try {
                return ProposalResult.parseFrom(document);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("a reported result is unreadable", e);
            }
        }
    }

    /**
     * Writes measured results as materials: the candidate's composition, its process parameters as
     * process steps (one per step kind the spec names, "process" when none; each parameter under its
     * step_parameter name, so the results read back as prior data of a campaign with the same
     * parameters), and every reported value as a measurement naming the campaign and proposal.
     * Candidates without a composition (pure process optimisation) are not materials and are not
     * written. Answers the catalog's reply (its dataset version) when something was written.
     */
    public Optional<IngestRecordsResponse> writeResults(String datasetId, String campaignId,
            List<DesignSpace.Parameter> parameters, List<ProcessParameter> declared, List<Result> results) {
        List<Material> materials = new ArrayList<>();
        for (Result entry : results) {
            if (entry.point().composition().isEmpty()) {
                continue;
            }
            ParsedResult result = new ParsedResult(entry.proposalId(), entry.point(), entry.report());
            Material.Builder material = Material.newBuilder().setFormula(result.point().formula())
                    .setSampleKey(result.report().getLabSampleId().isEmpty() ? "proposal-" + result.proposalId()
                            : result.report().getLabSampleId());
            if (!result.point().parameters().isEmpty()) {
                // one process step per step kind the parameters name ("process" when none), in declaration order
                java.util.Map<String, ProcessStep.Builder> steps = new java.util.LinkedHashMap<>();
                for (DesignSpace.Parameter parameter : parameters) {
                    ProcessParameter mapping = declared.stream().filter(p -> p.getName().equals(parameter.name()))
                            .findFirst().orElse(ProcessParameter.getDefaultInstance());
                    String kind = mapping.getStepKind().isEmpty() ? "process" : mapping.getStepKind();
                    String name = mapping.getStepParameter().isEmpty() ? parameter.name() : mapping.getStepParameter();
                    Object value = result.report().getActualParametersMap().containsKey(parameter.name())
                            ? valueOf(result.report().getActualParametersMap().get(parameter.name()))
                            : result.point().parameters().get(parameter.name());
                    Parameter.Builder p = Parameter.newBuilder().setName(name);
                    if (value instanceof Number number) {
                        String unit = parameter instanceof DesignSpace.Continuous c ? c.unit()
                                : parameter instanceof DesignSpace.IntegerRange r ? r.unit() : "1";
                        p.setQuantity(Quantity.newBuilder().setValue(number.doubleValue())
                                .setUnit(unit == null || unit.isEmpty() ? "1" : unit));
                    } else {
                        p.setText(String.valueOf(value));
                    }
                    steps.computeIfAbsent(kind, k -> ProcessStep.newBuilder().setKind(k)).addParameters(p);
                }
                int index = 0;
                for (ProcessStep.Builder step : steps.values()) {
                    material.addProcessSteps(step.setIndex(index++));
                }
            }
            for (ObjectiveValue value : result.report().getMeasured().getValuesList()) {
                Measurement.Builder measurement = Measurement.newBuilder().setProperty(value.getProperty())
                        .setValue(value.getValue()).setMethod(result.report().getMethod())
                        .setInstrument(result.report().getInstrument())
                        .setSource(MeasurementSource.MEASUREMENT_SOURCE_EXPERIMENT).setCampaignId(campaignId)
                        .setProposalId(result.proposalId());
                if (value.hasUncertainty()) {
                    measurement.setUncertainty(value.getUncertainty());
                }
                if (result.report().hasMeasuredAt()) {
                    measurement.setMeasuredAt(result.report().getMeasuredAt());
                }
                material.addMeasurements(measurement);
            }
            materials.add(material.build());
        }
        return materials.isEmpty() ? Optional.empty() : Optional.of(write(datasetId, campaignId, materials));
    }

    private record ParsedResult(String proposalId, Point point, ProposalResult report) {
    }

    private static Object valueOf(ParameterValue value) {
        return switch (value.getValueCase()) {
            case NUMBER -> value.getNumber();
            case INTEGER -> value.getInteger();
            default -> value.getCategory();
        };
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
