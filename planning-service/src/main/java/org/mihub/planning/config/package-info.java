/**
 * The planning service's typed configuration ({@code @ConfigMapping}: the deadlines of its calls
 * to the catalog and the prediction service), validated when the service starts: a bad value stops
 * it with the key and the reason. Read by the clients; it must not depend on them.
 */
package org.mihub.planning.config;
