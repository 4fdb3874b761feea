/**
 * Catalog values as the services that learn from the catalog read them: {@link
 * org.mihub.common.catalog.MeasuredValue}, the mean of a material's measurements of one property in
 * the unit asked for. It reads the catalog's generated messages and nothing else; it must not depend
 * on Quarkus, CDI or any service module.
 */
package org.mihub.common.catalog;
