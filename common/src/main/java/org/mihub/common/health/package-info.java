/**
 * Readiness as every service reports it: the check that the services this one calls are live ({@code
 * mihub.health.downstream}) and the reader of the service's own checks for {@code
 * ServiceInfo.GetStatus}. Built on SmallRye Health; it must not depend on any service module or on
 * domain packages.
 */
package org.mihub.common.health;
