package org.mihub.gateway.client;

import java.util.List;
import java.util.Locale;

import org.mihub.api.catalog.v1.ElementFilter;
import org.mihub.api.catalog.v1.ElementMatch;
import org.mihub.api.catalog.v1.IntRange;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.MaterialView;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.api.catalog.v1.Parameter;
import org.mihub.api.catalog.v1.PropertyFilter;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.SortBy;
import org.mihub.api.catalog.v1.SortField;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.view.MaterialViews;
import org.mihub.gateway.view.MaterialViews.ExternalIdView;
import org.mihub.gateway.view.MaterialViews.MaterialSearch;
import org.mihub.gateway.view.MaterialViews.MeasurementView;
import org.mihub.gateway.view.MaterialViews.ParameterView;
import org.mihub.gateway.view.MaterialViews.ProcessStepView;
import org.mihub.gateway.view.MaterialViews.QuantityView;
import org.mihub.gateway.view.MaterialViews.SiteView;
import org.mihub.gateway.view.MaterialViews.StructureView;

/** A material search ({@code GET /api/v1/materials}) to a catalog query, and materials to their views. */
final class MaterialMapper {

    private MaterialMapper() {
    }

    /** The search as a catalog request: filters, sort keys, page and view. */
    static SearchMaterialsRequest search(MaterialSearch in) {
        return SearchMaterialsRequest.newBuilder().setQuery(query(in)).addAllSort(sort(in.sort()))
                .setPage(CommonMapper.page(in.limit(), in.cursor()))
                .setView(in.full() ? MaterialView.MATERIAL_VIEW_FULL : MaterialView.MATERIAL_VIEW_SUMMARY).build();
    }

    static MaterialQuery query(MaterialSearch in) {
        var query = MaterialQuery.newBuilder();
        if (in.elements() != null && !in.elements().isBlank()) {
            query.setElements(ElementFilter.newBuilder().addAllElements(List.of(in.elements().trim().split("\\s*,\\s*")))
                    .setMatch(match(in.match())));
        }
        if (in.nelements() != null && !in.nelements().isBlank()) {
            query.setNelements(range(in.nelements()));
        }
        if (in.formula() != null) {
            query.setFormula(in.formula());
        }
        if (in.property() != null && !in.property().isBlank()) {
            var filter = PropertyFilter.newBuilder().setProperty(in.property())
                    .setUnit(in.unit() == null ? "" : in.unit());
            if (in.min() != null) {
                filter.setMin(in.min());
            }
            if (in.max() != null) {
                filter.setMax(in.max());
            }
            query.addProperties(filter.addAllLabels(in.labels()));
        } else if (in.min() != null || in.max() != null) {
            throw new InvalidInput("property", "min and max need a property, e.g. property=band_gap");
        } else if (!in.labels().isEmpty()) {
            throw new InvalidInput("property", "value and in need a property, e.g. property=is_metal&value=true");
        }
        query.addAllDatasetIds(in.datasets()).addAllOwnerOrgs(in.owners());
        for (String source : in.sources()) {
            query.addSources(source(source));
        }
        return query.setText(in.text() == null ? "" : in.text()).build();
    }

    /** A measurement source named in a query parameter: experiment, simulation or prediction. */
    static MeasurementSource source(String source) {
        return source(source, "source");
    }

    /** A measurement source named in {@code field} (the contract's values, without the unset one). */
    static MeasurementSource source(String source, String field) {
        return MeasurementSource.valueOf(ProtoJson.choice(MeasurementSource.getDescriptor(), source, field));
    }

    private static ElementMatch match(String match) {
        if (match == null || match.isBlank()) {
            return ElementMatch.ELEMENT_MATCH_ALL;
        }
        return switch (match.toLowerCase(Locale.ROOT)) {
            case "all" -> ElementMatch.ELEMENT_MATCH_ALL;
            case "any" -> ElementMatch.ELEMENT_MATCH_ANY;
            case "only" -> ElementMatch.ELEMENT_MATCH_ONLY;
            case "exactly" -> ElementMatch.ELEMENT_MATCH_EXACTLY;
            default -> throw new InvalidInput("match", "'" + match + "' is not all, any, only or exactly");
        };
    }

    /** "2", "2-3", "2-" or "-3". */
    private static IntRange range(String text) {
        var range = IntRange.newBuilder();
        try {
            String[] bounds = text.trim().split("-", -1);
            if (bounds.length == 1) {
                int exact = Integer.parseInt(bounds[0].trim());
                return range.setMin(exact).setMax(exact).build();
            }
            if (bounds.length == 2) {
                if (!bounds[0].isBlank()) {
                    range.setMin(Integer.parseInt(bounds[0].trim()));
                }
                if (!bounds[1].isBlank()) {
                    range.setMax(Integer.parseInt(bounds[1].trim()));
                }
                return range.build();
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidInput("nelements", "'" + text + "' is not a count or a range like 2-3");
    }

    /** "nelements,-band_gap": known fields by name, anything else is a property; '-' sorts descending. */
    static List<SortBy> sort(String sort) {
        if (sort == null || sort.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(sort.split("\\s*,\\s*")).map(key -> {
            boolean descending = key.startsWith("-");
            String name = descending ? key.substring(1) : key;
            var sortBy = SortBy.newBuilder().setDescending(descending);
            switch (name) {
                case "id" -> sortBy.setField(SortField.SORT_FIELD_ID);
                case "formula", "reduced_formula" -> sortBy.setField(SortField.SORT_FIELD_REDUCED_FORMULA);
                case "nelements" -> sortBy.setField(SortField.SORT_FIELD_NELEMENTS);
                case "created_at" -> sortBy.setField(SortField.SORT_FIELD_CREATED_AT);
                default -> sortBy.setField(SortField.SORT_FIELD_PROPERTY).setProperty(name);
            }
            return sortBy.build();
        }).toList();
    }

    static MaterialViews.MaterialView view(Material material) {
        return new MaterialViews.MaterialView(material.getId(), material.getDatasetId(), material.getOwnerOrg(),
                material.getSampleKey().isEmpty() ? null : material.getSampleKey(), material.getFormula(),
                material.getReducedFormula(), material.getCompositionMap(), material.getAtomicFractionsMap(),
                material.getElementsList(), material.getNelements(), material.getTagsList(),
                material.getExternalIdsList().stream().map(id -> new ExternalIdView(id.getSystem(), id.getId()))
                        .toList(),
                material.hasStructure() ? view(material.getStructure()) : null,
                material.getMeasurementsList().stream().map(MaterialMapper::view).toList(),
                material.getProcessStepsList().stream().map(step -> new ProcessStepView(step.getIndex(),
                        step.getKind(), step.getParametersList().stream().map(MaterialMapper::view).toList()))
                        .toList(),
                material.getDatasetVersion());
    }

    private static StructureView view(org.mihub.api.catalog.v1.CrystalStructure structure) {
        var lattice = structure.getLattice();
        return new StructureView(List.of(vector(lattice.getA()), vector(lattice.getB()), vector(lattice.getC())),
                structure.getSitesList().stream().map(site -> new SiteView(site.getSpecies(),
                        vector(site.getFractional()), site.hasOccupancy() ? site.getOccupancy() : null,
                        site.getLabel().isEmpty() ? null : site.getLabel())).toList(),
                structure.hasSpaceGroupSymbol() ? structure.getSpaceGroupSymbol() : null,
                structure.hasSpaceGroupNumber() ? structure.getSpaceGroupNumber() : null);
    }

    private static List<Double> vector(org.mihub.api.catalog.v1.Vector3 vector) {
        return List.of(vector.getX(), vector.getY(), vector.getZ());
    }

    private static MeasurementView view(Measurement measurement) {
        boolean labelled = !measurement.getLabel().isEmpty();
        return new MeasurementView(measurement.getId(), measurement.getProperty(),
                labelled ? null : new QuantityView(measurement.getValue().getValue(), measurement.getValue().getUnit()),
                measurement.hasUncertainty() ? measurement.getUncertainty() : null,
                labelled ? null : new QuantityView(measurement.getReported().getValue(),
                        measurement.getReported().getUnit()),
                blankToNull(measurement.getMethod()), blankToNull(measurement.getInstrument()),
                measurement.getConditionsList().stream().map(MaterialMapper::view).toList(),
                CommonMapper.name(measurement.getSource()),
                blankToNull(measurement.getSourceRef()), blankToNull(measurement.getCampaignId()),
                blankToNull(measurement.getProposalId()), labelled ? measurement.getLabel() : null);
    }

    private static ParameterView view(Parameter parameter) {
        return new ParameterView(parameter.getName(), parameter.hasQuantity()
                ? new QuantityView(parameter.getQuantity().getValue(), parameter.getQuantity().getUnit()) : null,
                parameter.hasText() ? parameter.getText() : null);
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
