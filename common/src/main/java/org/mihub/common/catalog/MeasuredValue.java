package org.mihub.common.catalog;

import java.util.Optional;

import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;

/**
 * A material's value of one property as the services that learn from the catalog use it: the mean of
 * its measurements of the property, in the unit the catalog exported them in (the property's
 * canonical unit), with how many there were. A categorical, boolean or text measurement (one with a
 * label) has no value to learn from and is not counted.
 */
public record MeasuredValue(double mean, String unit, int count) {

    /** The mean of the material's measurements of {@code property}, if it has any. */
    public static Optional<MeasuredValue> of(Material material, String property) {
        double sum = 0;
        int count = 0;
        String unit = "";
        for (Measurement measurement : material.getMeasurementsList()) {
            if (measurement.getProperty().equals(property) && measurement.getLabel().isEmpty()) {
                sum += measurement.getValue().getValue();
                unit = measurement.getValue().getUnit();
                count++;
            }
        }
        return count == 0 ? Optional.empty() : Optional.of(new MeasuredValue(sum / count, unit, count));
    }
}
