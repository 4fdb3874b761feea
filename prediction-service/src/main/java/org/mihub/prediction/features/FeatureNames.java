package org.mihub.prediction.features;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain names for features, read from the featurisers' own naming rather than from a list per
 * feature: a statistic and an element property ({@code mean_CovalentRadius}, as this service's
 * {@code magpie} writes it, or {@code MagpieData mean CovalentRadius}, as matminer does) become
 * "mean covalent radius", the property being split at its capitals and underscores and its few
 * abbreviations spelt out ({@link #WORDS}). Each feature also gets the two groups a chemist sums over:
 * its element property ("covalent radius", all six statistics together) and its statistic ("mean").
 * Features that are not a statistic of a property (stoichiometric p-norms, valence-orbital fractions,
 * element fractions, ionic attributes) are grouped by their kind. A name no rule knows keeps its words
 * (underscores to spaces) and is its own property, in the statistic group "other".
 */
public final class FeatureNames {

    /** One feature's plain name and the groups it belongs to. */
    public record Described(String name, String plainName, String property, String statistic) {
    }

    /** A sum over the features of one group. */
    public record Group(String name, double value, int features) {
    }

    /** The statistics of a property, in both spellings, and what a chemist calls them. */
    private static final Map<String, String> STATISTICS = Map.ofEntries(Map.entry("mean", "mean"),
            Map.entry("avg_dev", "mean absolute deviation"), Map.entry("min", "minimum"),
            Map.entry("minimum", "minimum"), Map.entry("max", "maximum"), Map.entry("maximum", "maximum"),
            Map.entry("range", "range"), Map.entry("mode", "mode"));

    /** The words of the element-property names that are abbreviated or read better otherwise. */
    private static final Map<String, String> WORDS = Map.ofEntries(Map.entry("T", "temperature"),
            Map.entry("GS", "ground-state"), Map.entry("pa", "per atom"), Map.entry("bandgap", "band gap"),
            Map.entry("magmom", "magnetic moment"), Map.entry("Valence", "valence electrons"),
            Map.entry("Unfilled", "unfilled states"), Map.entry("Mendeleev", "Mendeleev"), Map.entry("N", ""),
            Map.entry("Ns", "s"), Map.entry("Np", "p"), Map.entry("Nd", "d"), Map.entry("Nf", "f"));

    /** Element properties whose one-word name means something more specific in the table. */
    private static final Map<String, String> WHOLE = Map.of("Number", "atomic number", "Column",
            "periodic-table column", "Row", "periodic-table row");

    private static final Pattern MATMINER = Pattern.compile("MagpieData (\\S+) (\\S+)");
    private static final Pattern OURS = Pattern.compile("(mean|avg_dev|min|max|range|mode)_(\\S+)");
    private static final Pattern PNORM = Pattern.compile("pnorm_(\\d+)|(\\d+)-norm");
    private static final Pattern ORBITAL = Pattern.compile("frac_([spdf])Valence|frac ([spdf]) valence electrons");
    private static final Pattern ELEMENT = Pattern.compile("frac_([A-Z][a-z]?)");
    private static final Pattern IONIC = Pattern.compile("compound[_ ]possible|(max|avg)[_ ]ionic[_ ]char");
    /**
     * The words of a property name (split at underscores first), camel case: a capital run before a
     * capitalised word ("NUnfilled": N, Unfilled), a capitalised word, a small-letter word, a number.
     */
    private static final Pattern WORD = Pattern.compile("[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\\d+");
    /** Capital prefixes glued to a small-letter word ("GSvolume": GS, volume), which camel case cannot split. */
    private static final Pattern PREFIX = Pattern.compile("(GS)([a-z].*)");

    private FeatureNames() {
    }

    /** The plain name and groups of one feature name. */
    public static Described describe(String name) {
        // before the statistics: "max_ionic_char" is not the maximum of a property
        if (IONIC.matcher(name).matches()) {
            String plain = name.replace('_', ' ').replace("avg ", "mean ").replace("max ", "maximum ")
                    .replace(" char", " character");
            return new Described(name, plain, "ionic character", "ionic attributes");
        }
        Matcher matcher = MATMINER.matcher(name);
        if (matcher.matches() && STATISTICS.containsKey(matcher.group(1))) {
            return statistic(name, matcher.group(1), matcher.group(2));
        }
        matcher = OURS.matcher(name);
        if (matcher.matches()) {
            return statistic(name, matcher.group(1), matcher.group(2));
        }
        matcher = PNORM.matcher(name);
        if (matcher.matches()) {
            String p = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            return new Described(name, "stoichiometric " + p + "-norm", "stoichiometry", "p-norm");
        }
        matcher = ORBITAL.matcher(name);
        if (matcher.matches()) {
            String orbital = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            return new Described(name, "fraction of " + orbital + " valence electrons", "valence-orbital fractions",
                    "fraction");
        }
        matcher = ELEMENT.matcher(name);
        if (matcher.matches()) {
            return new Described(name, "atomic fraction of " + matcher.group(1), "element fractions",
                    "atomic fraction");
        }
        String plain = name.replace('_', ' ').trim();
        return new Described(name, plain, plain, "other");
    }

    /** {@link #describe} for each name, in order. */
    public static List<Described> describe(List<String> names) {
        return names.stream().map(FeatureNames::describe).toList();
    }

    /** The plain name of an element property, e.g. "covalent radius" for {@code CovalentRadius}. */
    public static String property(String property) {
        String whole = WHOLE.get(property);
        if (whole != null) {
            return whole;
        }
        List<String> words = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (String part : property.split("_")) {
            Matcher prefix = PREFIX.matcher(part);
            if (prefix.matches()) {
                parts.add(prefix.group(1));
                parts.add(prefix.group(2));
            } else {
                parts.add(part);
            }
        }
        for (String part : parts) {
            Matcher word = WORD.matcher(part);
            while (word.find()) {
                String token = word.group();
                String replaced = WORDS.get(token);
                if (replaced == null) {
                    replaced = token.length() > 1 && token.chars().allMatch(Character::isUpperCase) ? token
                            : token.toLowerCase(Locale.ROOT);
                }
                if (!replaced.isEmpty()) {
                    words.add(replaced);
                }
            }
        }
        return words.isEmpty() ? property : String.join(" ", words);
    }

    /**
     * Sums {@code values} (one per feature, in the order of {@code features}) per property
     * ({@code byProperty}) or per statistic; the groups come largest magnitude first, ties in the
     * order they first appear.
     */
    public static List<Group> groups(List<Described> features, double[] values, boolean byProperty) {
        if (features.size() != values.length) {
            throw new IllegalArgumentException(features.size() + " features and " + values.length + " values");
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int f = 0; f < values.length; f++) {
            Described feature = features.get(f);
            double[] sum = sums.computeIfAbsent(byProperty ? feature.property() : feature.statistic(),
                    key -> new double[2]);
            sum[0] += values[f];
            sum[1]++;
        }
        List<Group> groups = new ArrayList<>(sums.size());
        sums.forEach((key, sum) -> groups.add(new Group(key, sum[0], (int) sum[1])));
        // List.sort is stable: equal magnitudes keep their first appearance's order
        groups.sort(Comparator.comparingDouble((Group group) -> -Math.abs(group.value())));
        return groups;
    }

    private static Described statistic(String name, String statistic, String property) {
        String plainProperty = property(property);
        String plainStatistic = STATISTICS.get(statistic);
        return new Described(name, plainStatistic + " " + plainProperty, plainProperty, plainStatistic);
    }
}
