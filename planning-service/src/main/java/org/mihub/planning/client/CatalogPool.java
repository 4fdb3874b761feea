package org.mihub.planning.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.CandidatePoolOracle;
import org.mihub.api.planning.v1.LabelledCandidate;
import org.mihub.api.planning.v1.ObjectiveValue;

import io.quarkus.grpc.GrpcClient;

/**
 * A recorded catalog dataset as the oracle of a simulation, read as the caller (the catalog hands
 * out only what the caller may see): every material with a measurement of the objective becomes a
 * labelled candidate — its composition, its material id, the mean of its measurements in the
 * property's canonical unit.
 */
@ApplicationScoped
public class CatalogPool {

    @GrpcClient("catalog")
    CatalogServiceGrpc.CatalogServiceBlockingStub catalog;

    @ConfigProperty(name = "mihub.planning.catalog-read-deadline", defaultValue = "10m")
    Duration deadline;

    public CandidatePoolOracle read(String datasetId, Integer version, String property) {
        var request = ExportDatasetRequest.newBuilder().setDatasetId(datasetId)
                .setFormat(ExportFormat.EXPORT_FORMAT_RECORDS).addProperties(property);
        if (version != null) {
            request.setAsOfVersion(version);
        }
        Iterator<ExportDatasetResponse> stream = catalog.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .exportDataset(request.build());
        CandidatePoolOracle.Builder pool = CandidatePoolOracle.newBuilder();
        while (stream.hasNext()) {
            ExportDatasetResponse message = stream.next();
            if (!message.hasMaterial()) {
                continue;
            }
            Material material = message.getMaterial();
            double sum = 0;
            int count = 0;
            String unit = "";
            for (Measurement measurement : material.getMeasurementsList()) {
                if (measurement.getProperty().equals(property)) {
                    sum += measurement.getValue().getValue();
                    unit = measurement.getValue().getUnit();
                    count++;
                }
            }
            if (count > 0) {
                pool.addRows(LabelledCandidate.newBuilder()
                        .setCandidate(Candidate.newBuilder().setId(material.getId()).setFormula(material.getFormula())
                                .setMaterialId(material.getId()))
                        .addValues(ObjectiveValue.newBuilder().setProperty(property)
                                .setValue(Quantity.newBuilder().setValue(sum / count).setUnit(unit))));
            }
        }
        return pool.build();
    }
}
