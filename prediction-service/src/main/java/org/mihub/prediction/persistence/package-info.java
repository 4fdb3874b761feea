/**
 * How the prediction service's repositories use Hibernate ORM: {@link
 * org.mihub.prediction.persistence.Database} runs a unit of work in a JTA transaction and reports a
 * database failure through common's {@code SqlErrors}, as the JDBC code does. Flyway owns the schema;
 * Hibernate only validates its mapping against it in tests. It must not depend on any other package of
 * the service.
 */
package org.mihub.prediction.persistence;
