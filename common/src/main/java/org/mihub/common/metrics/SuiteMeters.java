package org.mihub.common.metrics;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * The suite's shape of the figures every service serves: an {@code application} tag on each (the
 * service's name), and histogram buckets on the timers an operator reads percentiles from: REST
 * requests ({@code http_server_requests_seconds_bucket}), gRPC calls
 * ({@code grpc_server_processing_duration_seconds_bucket}) and jobs ({@code mihub_jobs_run_seconds_bucket}).
 * A few fixed buckets (service-level objectives) rather than Micrometer's full percentile histogram:
 * about ten series per timer instead of seventy, enough for p50/p95/p99 by {@code histogram_quantile}.
 */
@Dependent
public class SuiteMeters {

    /** Requests and calls: interactive search answers in tens of milliseconds, the gateway's deadline is 5 s. */
    static final List<Duration> REQUESTS = List.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** Jobs: a small training takes seconds, a large one or a simulation tens of minutes. */
    static final List<Duration> JOBS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1));

    /** Every figure names the service that serves it, whatever labels the scraper adds. */
    @Produces
    @Singleton
    MeterFilter application(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(Tags.of("application", application));
    }

    @Produces
    @Singleton
    MeterFilter latencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                List<Duration> buckets = buckets(id.getName());
                if (buckets == null) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(buckets.stream().mapToDouble(Duration::toNanos).toArray())
                        .build().merge(config);
            }
        };
    }

    /** The buckets of a timer by its Micrometer name, or null when it keeps Micrometer's defaults. */
    static List<Duration> buckets(String name) {
        if (name.equals("http.server.requests") || name.equals("grpc.server.processing.duration")) {
            return REQUESTS;
        }
        return name.equals("mihub.jobs.run") ? JOBS : null;
    }
}
