/**
 * The one way a service runs JDBC work and reports a database failure: {@link
 * org.mihub.common.sql.Transactions} (one unit of work in one transaction, all or nothing) and {@link
 * org.mihub.common.sql.SqlErrors} (the SQLSTATE decides between a retryable or conflicting refusal for
 * the caller and an internal fault). It depends on JDBC and {@code common.error} only; it must not
 * depend on Quarkus, CDI, gRPC or any service, and services must not write their own translation.
 */
package org.mihub.common.sql;
