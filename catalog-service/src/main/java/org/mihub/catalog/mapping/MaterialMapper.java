package org.mihub.catalog.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.mihub.api.catalog.v1.CrystalStructure;
import org.mihub.api.catalog.v1.ElementMatch;
import org.mihub.api.catalog.v1.ExternalId;
import org.mihub.api.catalog.v1.Lattice;
import org.mihub.api.catalog.v1.MaterialView;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.api.catalog.v1.Parameter;
import org.mihub.api.catalog.v1.ProcessStep;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.Site;
import org.mihub.api.catalog.v1.SortBy;
import org.mihub.api.catalog.v1.Vector3;
import org.mihub.api.common.v1.Quantity;
import org.mihub.catalog.service.Material;
import org.mihub.catalog.service.MaterialQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Material search requests and materials between protobuf and the domain. */
public final class MaterialMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MaterialMapper() {
    }

    public static MaterialQuery query(org.mihub.api.catalog.v1.MaterialQuery query) {
        List<MaterialQuery.PropertyRange> ranges = query.getPropertiesList().stream()
                .map(filter -> new MaterialQuery.PropertyRange(filter.getProperty(),
                        filter.hasMin() ? filter.getMin() : null, filter.hasMax() ? filter.getMax() : null,
                        filter.getUnit(), filter.getLabelsList(), List.of()))
                .toList();
        List<UUID> datasets = new ArrayList<>();
        for (int i = 0; i < query.getDatasetIdsCount(); i++) {
            datasets.add(DatasetMapper.id("query.dataset_ids[" + i + "]", query.getDatasetIds(i)));
        }
        return new MaterialQuery(query.getElements().getElementsList(), match(query.getElements().getMatch()),
                query.getNelements().hasMin() ? query.getNelements().getMin() : null,
                query.getNelements().hasMax() ? query.getNelements().getMax() : null,
                query.getFormula().isBlank() ? null : query.getFormula(), ranges, datasets, query.getOwnerOrgsList(),
                query.getSourcesList().stream().map(MaterialMapper::source).filter(source -> source != null).toList(),
                query.getText());
    }

    public static List<MaterialQuery.Sort> sort(List<SortBy> sort) {
        return sort.stream().map(key -> new MaterialQuery.Sort(switch (key.getField()) {
            case SORT_FIELD_REDUCED_FORMULA -> MaterialQuery.SortField.REDUCED_FORMULA;
            case SORT_FIELD_NELEMENTS -> MaterialQuery.SortField.NELEMENTS;
            case SORT_FIELD_CREATED_AT -> MaterialQuery.SortField.CREATED_AT;
            case SORT_FIELD_PROPERTY -> MaterialQuery.SortField.PROPERTY;
            default -> MaterialQuery.SortField.ID;
        }, key.getProperty(), key.getDescending())).toList();
    }

    private static MaterialQuery.ElementMatch match(ElementMatch match) {
        return switch (match) {
            case ELEMENT_MATCH_ANY -> MaterialQuery.ElementMatch.ANY;
            case ELEMENT_MATCH_ONLY -> MaterialQuery.ElementMatch.ONLY;
            case ELEMENT_MATCH_EXACTLY -> MaterialQuery.ElementMatch.EXACTLY;
            default -> MaterialQuery.ElementMatch.ALL;
        };
    }

    /** experiment, simulation or prediction; null for UNSPECIFIED. */
    static String source(MeasurementSource source) {
        return switch (source) {
            case MEASUREMENT_SOURCE_EXPERIMENT -> "experiment";
            case MEASUREMENT_SOURCE_SIMULATION -> "simulation";
            case MEASUREMENT_SOURCE_PREDICTION -> "prediction";
            default -> null;
        };
    }

    public static boolean full(SearchMaterialsRequest request) {
        return request.getView() == MaterialView.MATERIAL_VIEW_FULL;
    }

    public static org.mihub.api.catalog.v1.Material toProto(Material material, boolean full) {
        var proto = org.mihub.api.catalog.v1.Material.newBuilder().setId(material.id().toString())
                .setDatasetId(material.datasetId().toString()).setOwnerOrg(material.ownerOrg())
                .setSampleKey(material.sampleKey() == null ? "" : material.sampleKey()).setFormula(material.formula())
                .putAllComposition(material.composition()).setReducedFormula(material.reducedFormula())
                .addAllElements(material.elements()).setNelements(material.nelements()).addAllTags(material.tags())
                .setDatasetVersion(material.datasetVersion()).setCreatedBy(material.createdBy())
                .setCreatedAt(DatasetMapper.timestamp(material.createdAt()));
        double total = material.composition().values().stream().mapToDouble(Double::doubleValue).sum();
        material.composition().forEach((element, amount) -> proto.putAtomicFractions(element, amount / total));
        for (Material.Measurement measurement : material.measurements()) {
            var value = org.mihub.api.catalog.v1.Measurement.newBuilder().setId(measurement.id().toString())
                    .setProperty(measurement.property());
            if (measurement.labelled()) {
                value.setLabel(measurement.label());
            } else {
                value.setValue(Quantity.newBuilder().setValue(measurement.value()).setUnit(measurement.unit()))
                        .setReported(Quantity.newBuilder().setValue(measurement.reportedValue())
                                .setUnit(measurement.reportedUnit()));
            }
            value.setMethod(measurement.method()).setInstrument(measurement.instrument())
                    .addAllConditions(parameters(tree(measurement.conditionsJson())))
                    .setSource(MeasurementSource.valueOf("MEASUREMENT_SOURCE_"
                            + measurement.source().toUpperCase(java.util.Locale.ROOT)))
                    .setSourceRef(measurement.sourceRef() == null ? "" : measurement.sourceRef())
                    .setCampaignId(measurement.campaignId() == null ? "" : measurement.campaignId())
                    .setProposalId(measurement.proposalId() == null ? "" : measurement.proposalId());
            if (measurement.uncertainty() != null) {
                value.setUncertainty(measurement.uncertainty());
            }
            proto.addMeasurements(value);
        }
        for (JsonNode external : tree(material.externalIdsJson())) {
            proto.addExternalIds(ExternalId.newBuilder().setSystem(external.path("system").asText())
                    .setId(external.path("id").asText()));
        }
        if (full && material.structureJson() != null) {
            proto.setStructure(structure(tree(material.structureJson())));
        }
        if (full) {
            for (JsonNode step : tree(material.processStepsJson())) {
                proto.addProcessSteps(ProcessStep.newBuilder().setIndex(step.path("index").asInt())
                        .setKind(step.path("kind").asText()).addAllParameters(parameters(step.path("parameters"))));
            }
        }
        return proto.build();
    }

    private static CrystalStructure structure(JsonNode stored) {
        JsonNode lattice = stored.path("lattice");
        var structure = CrystalStructure.newBuilder().setLattice(Lattice.newBuilder().setA(vector(lattice.path("a")))
                .setB(vector(lattice.path("b"))).setC(vector(lattice.path("c"))));
        for (JsonNode site : stored.path("sites")) {
            var proto = Site.newBuilder().setSpecies(site.path("species").asText())
                    .setFractional(vector(site.path("fractional"))).setLabel(site.path("label").asText(""));
            if (site.has("occupancy")) {
                proto.setOccupancy(site.get("occupancy").asDouble());
            }
            structure.addSites(proto);
        }
        if (stored.has("space_group_symbol")) {
            structure.setSpaceGroupSymbol(stored.get("space_group_symbol").asText());
        }
        if (stored.has("space_group_number")) {
            structure.setSpaceGroupNumber(stored.get("space_group_number").asInt());
        }
        return structure.build();
    }

    private static Vector3 vector(JsonNode node) {
        return Vector3.newBuilder().setX(node.path("x").asDouble()).setY(node.path("y").asDouble())
                .setZ(node.path("z").asDouble()).build();
    }

    private static List<Parameter> parameters(JsonNode array) {
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode node : array) {
            var parameter = Parameter.newBuilder().setName(node.path("name").asText());
            if (node.hasNonNull("text")) {
                parameter.setText(node.get("text").asText());
            } else if (node.hasNonNull("value")) {
                parameter.setQuantity(Quantity.newBuilder().setValue(node.get("value").asDouble())
                        .setUnit(node.path("unit").asText()));
            }
            parameters.add(parameter.build());
        }
        return parameters;
    }

    private static JsonNode tree(String json) {
        try {
            return json == null ? JSON.createArrayNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }
}
