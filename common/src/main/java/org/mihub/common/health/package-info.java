/**
 * Readiness as every service reports it: the check that the services this one calls are live ({@code
 * mihub.health.downstream}) and the reader of the service's own checks for {@code
 * ServiceInfo.GetStatus}. Built on SmallRye Health; it must not depend on any service module or on
 * domain packages. Liveness also names the build that answers (name, version, pid, start time).
 */
package org.mihub.common.health;
