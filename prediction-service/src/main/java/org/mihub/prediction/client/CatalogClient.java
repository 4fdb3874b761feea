package org.mihub.prediction.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.DerivedRead;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.ListDatasetsResponse;
import org.mihub.api.catalog.v1.GetPropertyRequest;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.RecordDerivedReadsRequest;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.common.access.Sharing;
import org.mihub.common.catalog.MeasuredValue;
import org.mihub.prediction.config.RegistryConfig;
import org.mihub.prediction.config.TrainingConfig;

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;

/**
 * Everything the prediction service asks of the catalog, over gRPC and as the caller: the token of
 * the current gRPC context goes with every call (common's token relay), so the catalog hands out only
 * what the caller may see. Answers come back as the service's own records; a refusal is the catalog's
 * own status (a {@code StatusRuntimeException}), which the gRPC layer returns to the caller unchanged
 * and {@link #refusal} turns into words for a job's message.
 */
@ApplicationScoped
public class CatalogClient {

    /** The catalog's limit on ids in one ListDatasets request. */
    static final int IDS_PER_REQUEST = 500;
    /** The catalog's largest page. */
    static final int PAGE = 200;
    /** Deadline of the property vocabulary look-up a training request is checked against. */
    private static final long PROPERTIES_DEADLINE_SECONDS = 10;

    @GrpcClient("catalog")
    CatalogServiceGrpc.CatalogServiceBlockingStub catalog;

    @Inject
    TrainingConfig training;

    @Inject
    RegistryConfig registry;

    /**
     * One material's observations of the target: their mean, in the property's canonical unit; or, for a
     * boolean or categorical target, {@code label}: the label most of them give (the first of those
     * given equally often), and then {@code value} is 0. {@code label} is null for a numeric target.
     */
    public record Row(String materialId, String datasetId, String formula, double value, String label) {

        public Row(String materialId, String datasetId, String formula, double value) {
            this(materialId, datasetId, formula, value, null);
        }
    }

    /** How a property's values are written down (the catalog's PropertyValueType). */
    public enum ValueType {
        NUMERIC, CATEGORICAL, BOOLEAN, TEXT
    }

    /** A property of the catalog's vocabulary as a training request needs it: its value type and labels. */
    public record TargetProperty(String name, ValueType valueType, List<String> labels) {

        public TargetProperty {
            labels = List.copyOf(labels);
        }
    }

    /** A dataset as exported: its metadata at the export, the version exported, the target's unit and the rows. */
    public record Export(CatalogDataset dataset, int version, String unit, List<Row> rows) {

        public Export {
            rows = List.copyOf(rows);
        }

        /** The dataset's sharing in effect at the export (an unset visibility reads as PRIVATE). */
        public Sharing sharing() {
            return dataset.sharing();
        }
    }

    /**
     * One export of a dataset in structured records, filtered to {@code property} and to {@code sources}
     * ({@code experiment}, {@code simulation}, {@code prediction}; none: all), at {@code version} (null:
     * the current one), as it came: the catalog's messages, gzip-compressed and length-delimited, to be
     * kept with the job that asked (a process that takes the job up again cannot read as the caller)
     * and read by {@link #read}.
     */
    public byte[] snapshot(String datasetId, Integer version, String property, List<String> sources) {
        var request = ExportDatasetRequest.newBuilder().setDatasetId(datasetId)
                .setFormat(ExportFormat.EXPORT_FORMAT_RECORDS).addProperties(property)
                .addAllSources(sources.stream().map(source -> MeasurementSource
                        .valueOf("MEASUREMENT_SOURCE_" + source.toUpperCase(Locale.ROOT))).toList());
        if (version != null) {
            request.setAsOfVersion(version);
        }
        Iterator<ExportDatasetResponse> stream = catalog
                .withDeadlineAfter(training.catalogReadDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .exportDataset(request.build());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean header = false;
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            while (stream.hasNext()) {
                ExportDatasetResponse message = stream.next();
                header |= message.hasHeader();
                message.writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!header) {
            throw new IllegalStateException("the catalog's export of dataset " + datasetId + " has no header");
        }
        return bytes.toByteArray();
    }

    /** A {@link #snapshot} as the service's records: the dataset, the version, the unit and the rows of {@code property}. */
    public static Export read(byte[] snapshot, String property) {
        CatalogDataset dataset = null;
        int exported = 0;
        String unit = "";
        List<Row> rows = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(snapshot))) {
            ExportDatasetResponse message;
            while ((message = ExportDatasetResponse.parseDelimitedFrom(in)) != null) {
                if (message.hasHeader()) {
                    dataset = dataset(message.getHeader().getDataset());
                    exported = message.getHeader().getDatasetVersion();
                } else if (message.hasMaterial()) {
                    Material material = message.getMaterial();
                    Optional<MeasuredValue> value = MeasuredValue.of(material, property);
                    if (value.isPresent()) {
                        unit = value.get().unit();
                        rows.add(new Row(material.getId(), material.getDatasetId(), material.getFormula(),
                                value.get().mean()));
                    } else {
                        label(material, property).ifPresent(label -> rows.add(new Row(material.getId(),
                                material.getDatasetId(), material.getFormula(), 0, label)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored catalog export could not be read", e);
        }
        if (dataset == null) {
            throw new IllegalStateException("a stored catalog export has no header");
        }
        return new Export(dataset, exported, unit, rows);
    }

    /** The label most of a material's labelled measurements of {@code property} give (the first of a tie). */
    static Optional<String> label(Material material, String property) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (Measurement measurement : material.getMeasurementsList()) {
            if (measurement.getProperty().equals(property) && !measurement.getLabel().isEmpty()) {
                counts.merge(measurement.getLabel(), 1, Integer::sum);
            }
        }
        String best = null;
        for (var entry : counts.entrySet()) {
            if (best == null || entry.getValue() > counts.get(best)) {
                best = entry.getKey();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The property {@code name} of the catalog's vocabulary, or empty when the vocabulary has none of that name. */
    public Optional<TargetProperty> property(String name) {
        PropertyDefinition property;
        try {
            property = catalog.withDeadlineAfter(PROPERTIES_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .getProperty(GetPropertyRequest.newBuilder().setName(name).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        ValueType type = switch (property.getValueType()) {
            case PROPERTY_VALUE_TYPE_CATEGORICAL -> ValueType.CATEGORICAL;
            case PROPERTY_VALUE_TYPE_BOOLEAN -> ValueType.BOOLEAN;
            case PROPERTY_VALUE_TYPE_TEXT -> ValueType.TEXT;
            default -> ValueType.NUMERIC;
        };
        return Optional.of(new TargetProperty(property.getName(), type, property.getLabelsList()));
    }

    /**
     * The datasets among {@code ids} the current caller may see: ListDatasets by ids, at most {@value
     * #IDS_PER_REQUEST} ids a request, every page read.
     */
    public Set<String> visibleDatasets(Collection<String> ids) {
        Set<String> visible = new HashSet<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_REQUEST) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_REQUEST));
            String token = "";
            do {
                ListDatasetsResponse page = catalog
                        .withDeadlineAfter(registry.lineageCheckDeadline().toMillis(), TimeUnit.MILLISECONDS)
                        .listDatasets(ListDatasetsRequest.newBuilder().addAllIds(chunk)
                                .setPage(PageRequest.newBuilder().setPageSize(PAGE).setPageToken(token)).build());
                page.getDatasetsList().stream().map(Dataset::getId).forEach(visible::add);
                token = page.getPageInfo().getNextPageToken();
            } while (!token.isEmpty());
        }
        return visible;
    }

    /** Reports rows of training data shown to the caller, per dataset id, to the catalog's access log. */
    public void recordDerivedReads(Map<String, Long> rowsPerDataset) {
        var request = RecordDerivedReadsRequest.newBuilder();
        rowsPerDataset.forEach((id, rows) -> request.addReads(DerivedRead.newBuilder().setDatasetId(id)
                .setRecords(rows)));
        catalog.withDeadlineAfter(registry.lineageCheckDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .recordDerivedReads(request.build());
    }

    /** What the catalog said when {@code failure} is its refusal of a call: its description, else its code. */
    public static Optional<String> refusal(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return Optional.of(status.getStatus().getDescription() == null ? status.getStatus().getCode().toString()
                    : status.getStatus().getDescription());
        }
        return Optional.empty();
    }

    private static CatalogDataset dataset(Dataset dataset) {
        return new CatalogDataset(dataset.getId(), dataset.getOwnerOrg(),
                dataset.getVisibility().name().replace("VISIBILITY_", ""), dataset.getSharedWithList());
    }
}
