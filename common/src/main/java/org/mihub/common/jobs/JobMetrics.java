package org.mihub.common.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What an operator watches of a service's jobs, per kind ("training", "simulation"), in Micrometer's
 * global registry (which Quarkus backs with the Prometheus registry served at {@code /q/metrics}):
 *
 * <ul>
 * <li>{@code mihub_jobs_ended_total{kind,outcome}}: jobs this process ended, by outcome
 * ({@code succeeded}, {@code failed}, {@code cancelled}) — a rising {@code failed} rate is the alert;
 * <li>{@code mihub_jobs_run_seconds{kind,outcome}}: how long their work ran;
 * <li>{@code mihub_jobs_started_total{kind,start}}: starts, {@code new} or {@code resumed} (taken up
 * from a process that stopped) — resumed starts mean processes die under jobs;
 * <li>{@code mihub_jobs_held{kind}} and {@code mihub_jobs_queued{kind}}: the jobs this process holds
 * (preparing, queued, running) and those waiting for its worker.
 * </ul>
 */
final class JobMetrics {

    private final MeterRegistry registry;
    private final String kind;

    JobMetrics(MeterRegistry registry, String kind, Supplier<Number> held, Supplier<Number> queued) {
        this.registry = registry;
        this.kind = kind;
        Gauge.builder("mihub.jobs.held", held).tag("kind", kind)
                .description("jobs this process holds: preparing, queued or running").register(registry);
        Gauge.builder("mihub.jobs.queued", queued).tag("kind", kind)
                .description("jobs waiting for this process's worker").register(registry);
        // every series exists from the start, at 0: a rate over a series that appears late misses its first jobs
        for (JobState outcome : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)) {
            ended(outcome);
            run(outcome);
        }
        started("new");
        started("resumed");
    }

    private Counter ended(JobState outcome) {
        return Counter.builder("mihub.jobs.ended").tag("kind", kind).tag("outcome", name(outcome))
                .description("jobs this process ended, by outcome").register(registry);
    }

    private Timer run(JobState outcome) {
        return Timer.builder("mihub.jobs.run").tag("kind", kind).tag("outcome", name(outcome))
                .description("how long a job's work ran").register(registry);
    }

    private Counter started(String start) {
        return Counter.builder("mihub.jobs.started").tag("kind", kind).tag("start", start)
                .description("job starts in this process").register(registry);
    }

    private static String name(JobState outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    void started(boolean resumed) {
        started(resumed ? "resumed" : "new").increment();
    }

    void ended(JobState outcome, Duration ran) {
        ended(outcome).increment();
        run(outcome).record(ran);
    }
}
