package org.mihub.prediction.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Every published featuriser version, by id and version: {@code magpie} {@code matminer-v1} (matminer's
 * standard Magpie preset, {@link MatminerMagpieFeaturiser}), {@code magpie} 1 to 3 (mihub's own Magpie-style
 * features, {@link MagpieFeaturiser}) and {@code element_fraction} 1. An empty id means {@code magpie}, an
 * empty version the newest of its id: {@code magpie} with no version is {@code matminer-v1}, the default of
 * a new model. A model records the version it was trained with and is always featurised with that one.
 */
public final class Featurisers {

    public static final String DEFAULT = "magpie";

    private static final List<Featuriser> ALL = all(); // newest version of each id first

    private Featurisers() {
    }

    /** The version a request without one gets for {@link #DEFAULT}: the newest {@code magpie}. */
    public static final String DEFAULT_VERSION = MatminerMagpieFeaturiser.VERSION;

    private static List<Featuriser> all() {
        List<Featuriser> all = new ArrayList<>();
        all.add(new MatminerMagpieFeaturiser());
        for (int k = MagpieFeaturiser.VERSIONS.size() - 1; k >= 0; k--) {
            all.add(new MagpieFeaturiser(MagpieFeaturiser.VERSIONS.get(k)));
        }
        all.add(new ElementFractionFeaturiser());
        return List.copyOf(all);
    }

    /** Each id's versions, newest first. */
    public static List<Featuriser> list() {
        return ALL;
    }

    /**
     * The featuriser {@code id} at {@code version} (shared and thread-safe); {@link IllegalArgumentException}
     * naming what exists when there is none.
     */
    public static Featuriser get(String id, String version) {
        String wanted = id == null || id.isEmpty() ? DEFAULT : id;
        for (Featuriser featuriser : ALL) {
            if (featuriser.name().equals(wanted)
                    && (version == null || version.isEmpty() || featuriser.version().equals(version))) {
                return featuriser;
            }
        }
        throw new IllegalArgumentException("this service offers " + offered() + ", not " + wanted
                + (version == null || version.isEmpty() ? "" : " version " + version));
    }

    /** What exists, e.g. "magpie versions matminer-v1, 3, 2, 1; element_fraction version 1". */
    public static String offered() {
        List<String> ids = ALL.stream().map(Featuriser::name).distinct().toList();
        List<String> parts = new ArrayList<>();
        for (String id : ids) {
            List<String> versions = ALL.stream().filter(f -> f.name().equals(id)).map(Featuriser::version).toList();
            parts.add(id + (versions.size() == 1 ? " version " : " versions ") + String.join(", ", versions));
        }
        return String.join("; ", parts);
    }
}
