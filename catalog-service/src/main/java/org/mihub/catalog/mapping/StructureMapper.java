package org.mihub.catalog.mapping;

import java.util.List;

import org.mihub.api.catalog.v1.ListStructureFieldsResponse;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.QueryStructuresResponse;
import org.mihub.api.catalog.v1.StructureField;
import org.mihub.catalog.repository.StructureFields;
import org.mihub.catalog.repository.StructureSearch;
import org.mihub.catalog.service.StructureService;

/** OPTIMADE structures queries between proto and the domain. */
public final class StructureMapper {

    private StructureMapper() {
    }

    public static List<StructureSearch.SortKey> sort(QueryStructuresRequest request) {
        return request.getSortList().stream()
                .map(key -> new StructureSearch.SortKey(key.getProperty(), key.getDescending())).toList();
    }

    public static QueryStructuresResponse toProto(StructureService.Page page) {
        var response = QueryStructuresResponse.newBuilder().setDataReturned(page.dataReturned())
                .setDataAvailable(page.dataAvailable()).setMoreDataAvailable(page.more())
                .addAllWarnings(page.warnings());
        page.materials().forEach(material -> response.addMaterials(MaterialMapper.toProto(material, true)));
        return response.build();
    }

    public static ListStructureFieldsResponse toProto(List<StructureFields.Field> fields) {
        var response = ListStructureFieldsResponse.newBuilder();
        for (StructureFields.Field field : fields) {
            response.addFields(StructureField.newBuilder().setName(field.name()).setType(field.optimadeType())
                    .setSortable(field.sortable()).setFilterable(field.shape() != StructureFields.Shape.OPAQUE)
                    .setDescription(field.description()).setUnit(field.unit() == null ? "" : field.unit())
                    .setServed(field.shape() != StructureFields.Shape.UNKNOWN));
        }
        return response.build();
    }
}
