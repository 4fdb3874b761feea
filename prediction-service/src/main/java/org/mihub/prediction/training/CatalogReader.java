package org.mihub.prediction.training;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.common.access.Sharing;
import org.mihub.common.access.Visibility;
import org.mihub.common.catalog.MeasuredValue;
import org.mihub.prediction.config.TrainingConfig;

import io.quarkus.grpc.GrpcClient;

/**
 * Reads training data from the catalog over gRPC, as the caller: the token of the current gRPC
 * context goes with every call, so the catalog hands out only what the caller may see. One
 * export per dataset, in structured records, filtered to the target property and sources.
 */
@ApplicationScoped
public class CatalogReader {

    @GrpcClient("catalog")
    CatalogServiceGrpc.CatalogServiceBlockingStub catalog;

    @Inject
    TrainingConfig config;

    /** One material's observations of the target: their mean, in the property's canonical unit. */
    public record Row(String materialId, String datasetId, String formula, double value) {
    }

    /** A dataset as exported: its metadata at the export (visibility, version) and its rows. */
    public record Source(Dataset dataset, int version, String unit, List<Row> rows) {

        /** The dataset's sharing in effect at the export (an unset visibility reads as PRIVATE). */
        public Sharing sharing() {
            return new Sharing(dataset.getOwnerOrg(), Visibility.ofNameOrPrivate(dataset.getVisibility().name()),
                    dataset.getSharedWithList());
        }
    }

    public Source read(String datasetId, Integer version, String property, List<MeasurementSource> sources) {
        var request = ExportDatasetRequest.newBuilder().setDatasetId(datasetId)
                .setFormat(ExportFormat.EXPORT_FORMAT_RECORDS).addProperties(property).addAllSources(sources);
        if (version != null) {
            request.setAsOfVersion(version);
        }
        Iterator<ExportDatasetResponse> stream = catalog
                .withDeadlineAfter(config.catalogReadDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .exportDataset(request.build());
        Dataset dataset = null;
        int exported = 0;
        String unit = "";
        List<Row> rows = new ArrayList<>();
        while (stream.hasNext()) {
            ExportDatasetResponse message = stream.next();
            if (message.hasHeader()) {
                dataset = message.getHeader().getDataset();
                exported = message.getHeader().getDatasetVersion();
            } else if (message.hasMaterial()) {
                Material material = message.getMaterial();
                Optional<MeasuredValue> value = MeasuredValue.of(material, property);
                if (value.isPresent()) {
                    unit = value.get().unit();
                    rows.add(new Row(material.getId(), material.getDatasetId(), material.getFormula(),
                            value.get().mean()));
                }
            }
        }
        return new Source(dataset, exported, unit, rows);
    }
}
