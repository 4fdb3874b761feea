package org.mihub.catalog.mapping;

import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.api.catalog.v1.UpdatePropertyRequest;
import org.mihub.catalog.service.Property;
import org.mihub.catalog.service.PropertyService;
import org.mihub.common.error.ApiException;

/** The vocabulary between its proto messages and the domain {@link Property}. */
public final class PropertyMapper {

    private PropertyMapper() {
    }

    public static PropertyDefinition toProto(Property property) {
        var definition = PropertyDefinition.newBuilder().setName(property.name())
                .setDisplayName(property.displayName()).setDisplayNameJa(property.displayNameJa())
                .setCanonicalUnit(property.canonicalUnit()).setQuantityKind(property.quantityKind())
                .setDescription(property.description()).setValueType(type(property.valueType()))
                .addAllLabels(property.labels()).setAddedBy(property.addedBy()).setAddedByOrg(property.addedByOrg())
                .setVersion(property.version()).setDeprecated(property.deprecated())
                .setDeprecationReason(property.deprecationReason());
        if (property.minimum() != null) {
            definition.setMinimum(property.minimum());
        }
        if (property.maximum() != null) {
            definition.setMaximum(property.maximum());
        }
        if (property.addedAt() != null) {
            definition.setAddedAt(DatasetMapper.timestamp(property.addedAt()));
        }
        if (property.updatedAt() != null) {
            definition.setUpdatedAt(DatasetMapper.timestamp(property.updatedAt()));
        }
        return definition.build();
    }

    public static PropertyService.Draft draft(CreatePropertyRequest request) {
        PropertyDefinition asked = request.getProperty();
        return new PropertyService.Draft(asked.getName(), asked.getDisplayName(), asked.getDisplayNameJa(),
                asked.getDescription(), type(asked.getValueType()), asked.getCanonicalUnit(), asked.getQuantityKind(),
                asked.hasMinimum() ? asked.getMinimum() : null, asked.hasMaximum() ? asked.getMaximum() : null,
                asked.getLabelsList());
    }

    public static PropertyService.Change change(UpdatePropertyRequest request) {
        return new PropertyService.Change(request.hasDisplayName() ? request.getDisplayName() : null,
                request.hasDisplayNameJa() ? request.getDisplayNameJa() : null,
                request.hasDescription() ? request.getDescription() : null, request.getAddLabelsList());
    }

    static PropertyValueType type(Property.ValueType type) {
        return switch (type) {
            case NUMERIC -> PropertyValueType.PROPERTY_VALUE_TYPE_NUMERIC;
            case CATEGORICAL -> PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL;
            case BOOLEAN -> PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN;
            case TEXT -> PropertyValueType.PROPERTY_VALUE_TYPE_TEXT;
        };
    }

    static Property.ValueType type(PropertyValueType type) {
        return switch (type) {
            case PROPERTY_VALUE_TYPE_UNSPECIFIED, PROPERTY_VALUE_TYPE_NUMERIC -> Property.ValueType.NUMERIC;
            case PROPERTY_VALUE_TYPE_CATEGORICAL -> Property.ValueType.CATEGORICAL;
            case PROPERTY_VALUE_TYPE_BOOLEAN -> Property.ValueType.BOOLEAN;
            case PROPERTY_VALUE_TYPE_TEXT -> Property.ValueType.TEXT;
            case UNRECOGNIZED -> throw ApiException.invalid("property.value_type", "unknown value type");
        };
    }
}
