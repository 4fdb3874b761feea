package org.mihub.common.access;

import java.time.Instant;
import java.util.Objects;

/** At {@code until} the artifact becomes {@code liftsTo}, by itself: nobody has to act. */
public record Embargo(Instant until, Visibility liftsTo) {

    public Embargo {
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(liftsTo, "liftsTo");
    }

    /** Whether the embargo has ended at {@code now} (it ends at {@code until} exactly). */
    public boolean liftedAt(Instant now) {
        return !until.isAfter(now);
    }
}
