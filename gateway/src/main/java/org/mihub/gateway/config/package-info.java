/**
 * Typed configuration of the gateway ({@code @ConfigMapping}): the OPTIMADE provider of this node and
 * the other nodes its {@code /links} lists; this gateway in the federation ({@code FederationConfig}).
 * Configuration only: it must not depend on any other gateway package.
 */
package org.mihub.gateway.config;
