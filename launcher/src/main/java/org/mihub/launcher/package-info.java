/**
 * The launcher behind {@code ./mihub}: one whole suite on one machine (PostgreSQL, Keycloak and the
 * four packaged services, each waited for until healthy), the demo data, tokens for scripts, and
 * backups of the services' databases with PostgreSQL's own pg_dump and pg_restore. It
 * supervises processes and talks to them over HTTP; it must not depend on any service module's
 * classes.
 */
package org.mihub.launcher;
