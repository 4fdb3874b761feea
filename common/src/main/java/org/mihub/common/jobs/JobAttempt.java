package org.mihub.common.jobs;

import java.time.Instant;

/**
 * One time a worker started a job's work: who ({@code host/process}), when, and how it ended
 * ({@code endedAt} and {@code outcome} null while it runs).
 */
public record JobAttempt(int number, String worker, Instant startedAt, Instant endedAt, String outcome) {
}
