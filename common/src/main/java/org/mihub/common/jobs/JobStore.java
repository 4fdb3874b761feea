package org.mihub.common.jobs;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where a {@link JobRunner} keeps its jobs: {@link JobTable} in PostgreSQL; an in-memory one in
 * tests. {@code R} is what a succeeded job leaves behind (a model id, a report document).
 *
 * <p>An unfinished job is held by at most one worker at a time, through a lease with an expiry the
 * holder renews: a job whose holder stopped is taken up again by whichever worker claims it once its
 * lease ran out. Each time a worker starts a job's work is an attempt, recorded with how it ended.
 */
public interface JobStore<R> {

    /** A job a worker took: its id and the number of this attempt (1 for the first). */
    record Claim(UUID id, int attempt) {
    }

    /**
     * Moves a job on, unless it already ended (a cancelled job stays cancelled) or {@code worker} no
     * longer holds it; a finished state ends the current attempt, frees the lease and drops the
     * job's stored inputs. {@code result}, when not null, is what it produced.
     */
    void move(UUID id, String worker, JobState state, double progress, String message, R result) throws SQLException;

    /** Cancels an unfinished job whoever holds it (the holder sees it at its next progress). */
    void cancel(UUID id, double progress, String message) throws SQLException;

    /** Starts an attempt on a job {@code worker} holds (a job it created); returns its number. */
    int start(UUID id, String worker) throws SQLException;

    /**
     * Takes the oldest unfinished job no worker holds, or whose holder's lease ran out, for
     * {@code lease}, and starts an attempt on it; empty when there is none.
     */
    Optional<Claim> claim(String worker, Duration lease) throws SQLException;

    /** Renews the leases {@code worker} holds on {@code ids}; returns those it still holds. */
    Set<UUID> renew(String worker, Collection<UUID> ids, Duration lease) throws SQLException;

    /**
     * Frees a job {@code worker} holds for any worker to claim at once: after its own intake (nothing
     * ran yet), or when the service stops ({@code why} not null: the attempt ends handed back, and
     * is not counted against the job's attempts).
     */
    void release(UUID id, String worker, String why) throws SQLException;

    /**
     * Ends the leases that earlier processes on {@code host} held (a service restarted on the same
     * host or pod cannot still be running them); returns how many.
     */
    int expireHost(String host, String worker) throws SQLException;
}
