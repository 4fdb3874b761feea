package org.mihub.common.jobs;

import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * Where a {@link JobRunner} keeps its jobs' state: {@link JobTable} in PostgreSQL; an in-memory one
 * in tests. {@code R} is what a succeeded job leaves behind (a model id, a report document).
 */
public interface JobStore<R> {

    /**
     * Moves a job on, unless it already ended (a cancelled job stays cancelled); {@code result},
     * when not null, is what it produced.
     */
    void move(UUID id, JobState state, double progress, String message, R result) throws SQLException;

    /** Marks the jobs this process is running (or holds queued) as alive. */
    void heartbeat(Collection<UUID> ids) throws SQLException;

    /** A job without a heartbeat for {@code seconds} cannot finish: it is marked failed. */
    void failAbandoned(UUID id, long seconds) throws SQLException;
}
