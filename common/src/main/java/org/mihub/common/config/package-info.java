/**
 * The typed configuration every service reads through {@code common} ({@code @ConfigMapping}
 * interfaces: application name, gRPC access, token cache, issuer trust, downstream health, jobs), validated by Bean
 * Validation when the service starts, and {@code ConfigRules}, the constraint messages and patterns
 * all modules' mappings share. Holds no behaviour beyond reading and checking settings.
 */
package org.mihub.common.config;
