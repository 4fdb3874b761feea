package org.mihub.common.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The known name a mistyped one was most likely meant to be ({@code nTress} → {@code nTrees}), so a
 * refusal can say "did you mean ...?". Names are compared without case, by edit distance; a name
 * further than a third of its length (at least 2 edits) from every known one gets no suggestion.
 */
public final class Suggestions {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Suggestions() {
    }

    /** The closest known name, or null when none is close (ties: the first in {@code known}'s order). */
    public static String closest(String given, Collection<String> known) {
        if (given == null || given.isEmpty()) {
            return null;
        }
        String wanted = given.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, wanted.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            int distance = DISTANCE.apply(wanted, name.toLowerCase(Locale.ROOT));
            if (distance <= limit && distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * Up to {@code max} known names close to {@code given} (the same limit as {@link #closest}), closest
     * first (without case, then with it), then in {@code known}'s order.
     */
    public static List<String> closest(String given, Collection<String> known, int max) {
        if (given == null || given.isEmpty() || max <= 0) {
            return List.of();
        }
        String wanted = given.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, wanted.length() / 3);
        record Scored(String name, int distance, int order) {
        }
        List<Scored> scored = new ArrayList<>();
        int order = 0;
        for (String name : known) {
            int distance = DISTANCE.apply(wanted, name.toLowerCase(Locale.ROOT));
            if (distance <= limit) {
                // without case first; among those equally close, the one closer in case too
                scored.add(new Scored(name, distance * 1000 + Math.min(999, DISTANCE.apply(given, name)), order));
            }
            order++;
        }
        return scored.stream().sorted(Comparator.comparingInt(Scored::distance).thenComparingInt(Scored::order))
                .map(Scored::name).distinct().limit(max).toList();
    }

    /** {@code "; did you mean nTrees?"} after a refusal's reason, or nothing when no known name is close. */
    public static String didYouMean(String given, Collection<String> known) {
        String closest = closest(given, known);
        return closest == null ? "" : "; did you mean " + closest + "?";
    }
}
