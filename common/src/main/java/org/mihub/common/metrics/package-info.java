/**
 * The figures every service serves at {@code /q/metrics} beyond Quarkus' own: the service's name as
 * the {@code application} tag and latency buckets on the request and job timers, so that a dashboard
 * can draw percentiles and an alert can count slow requests. The dashboard that reads them is in
 * {@code k8s/components/monitoring}; the README's "Operating" section lists what to watch. Built on
 * Micrometer; it must not depend on any service module.
 */
package org.mihub.common.metrics;
