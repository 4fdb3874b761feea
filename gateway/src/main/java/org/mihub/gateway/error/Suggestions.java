package org.mihub.gateway.error;

import java.util.Collection;
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

    /** {@code "; did you mean nTrees?"} after a refusal's reason, or nothing when no known name is close. */
    public static String didYouMean(String given, Collection<String> known) {
        String closest = closest(given, known);
        return closest == null ? "" : "; did you mean " + closest + "?";
    }
}
