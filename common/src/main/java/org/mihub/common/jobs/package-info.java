/**
 * Long jobs (training, simulations), run one way: {@code JobRunner} runs the work one job at a time
 * per process, records its progress, cancels it and ends it in a terminal state, FAILED at once on
 * any Throwable with a message the user can act on; it holds each job through a lease it renews, so
 * a job whose process stopped is taken up again by another (or the restarted) process, rebuilt by the
 * service's resumer from what it stored, a bounded number of times, each attempt recorded.
 * {@code JobTable} keeps the tables every service shares ({@code job}'s common columns,
 * {@code job_attempt}, {@code job_input}) over plain JDBC. It must not depend on Quarkus, CDI, gRPC
 * or any service's types; a service hands it its data source.
 */
package org.mihub.common.jobs;
