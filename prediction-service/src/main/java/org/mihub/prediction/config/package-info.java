/**
 * The prediction service's typed configuration ({@code @ConfigMapping}, one interface per
 * concern: inference, training, registry), validated when the service starts: a bad value stops
 * it with the key and the reason. Read by the services; it must not depend on them.
 */
package org.mihub.prediction.config;
