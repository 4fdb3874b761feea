package org.mihub.catalog.mapping;

import java.util.List;

import org.mihub.api.catalog.v1.ListStructureFieldsResponse;
import org.mihub.api.catalog.v1.QueryReferencesResponse;
import org.mihub.api.catalog.v1.QueryStructuresResponse;
import org.mihub.api.catalog.v1.StructureField;
import org.mihub.api.catalog.v1.StructureSort;
import org.mihub.catalog.repository.EntryFields;
import org.mihub.catalog.repository.EntrySearch;
import org.mihub.catalog.service.OptimadeService;

/** OPTIMADE structures and references queries between proto and the domain. */
public final class OptimadeMapper {

    private OptimadeMapper() {
    }

    public static List<EntrySearch.SortKey> sort(List<StructureSort> keys) {
        return keys.stream().map(key -> new EntrySearch.SortKey(key.getProperty(), key.getDescending())).toList();
    }

    public static QueryReferencesResponse toProto(OptimadeService.References page) {
        var response = QueryReferencesResponse.newBuilder().setDataReturned(page.dataReturned())
                .setDataAvailable(page.dataAvailable()).setMoreDataAvailable(page.more())
                .addAllWarnings(page.warnings());
        page.datasets().forEach(dataset -> response.addDatasets(DatasetMapper.toProto(dataset)));
        return response.build();
    }

    public static QueryStructuresResponse toProto(OptimadeService.Page page) {
        var response = QueryStructuresResponse.newBuilder().setDataReturned(page.dataReturned())
                .setDataAvailable(page.dataAvailable()).setMoreDataAvailable(page.more())
                .addAllWarnings(page.warnings());
        page.materials().forEach(material -> response.addMaterials(MaterialMapper.toProto(material, true)));
        return response.build();
    }

    public static ListStructureFieldsResponse toProto(List<EntryFields.Field> fields) {
        var response = ListStructureFieldsResponse.newBuilder();
        for (EntryFields.Field field : fields) {
            response.addFields(StructureField.newBuilder().setName(field.name()).setType(field.optimadeType())
                    .setSortable(field.sortable()).setFilterable(field.shape() != EntryFields.Shape.OPAQUE)
                    .setDescription(field.description()).setUnit(field.unit() == null ? "" : field.unit())
                    .setServed(field.shape() != EntryFields.Shape.UNKNOWN));
        }
        return response.build();
    }
}
