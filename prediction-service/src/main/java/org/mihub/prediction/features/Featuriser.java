package org.mihub.prediction.features;

import java.util.List;

import org.mihub.common.chemistry.Composition;

/**
 * Turns a composition into a fixed-length feature vector. A featuriser is identified by name and
 * version; a model records both, and a new version never changes what an old one computes.
 */
public interface Featuriser {

    String name();

    String version();

    List<String> featureNames();

    /** What the features are, in a sentence for ListFeaturisers. */
    String description();

    /** What happens when an element lacks data. */
    String missingDataRule();

    /** Where the element data come from, with their licence (ListFeaturisers' element_data_source). */
    default String elementDataSource() {
        return "pymatgen periodic_table data (MIT), via tools/generate_magpie_table.py";
    }

    /** The features of a composition; {@link FeaturiseException} when an element has no data. */
    default double[] featurise(Composition composition) {
        double[] out = new double[featureNames().size()];
        featurise(composition, out, 0);
        return out;
    }

    /** Writes the features into {@code out} from {@code offset}, avoiding an allocation per row. */
    void featurise(Composition composition, double[] out, int offset);
}
