/**
 * The OPTIMADE filter language: a parser written from the specification's grammar into a {@link
 * org.mihub.catalog.optimade.Filter} tree whose nodes keep their positions, and the syntax error that
 * says where and why. Pure Java: it must not depend on Quarkus, protobuf or the database; {@code
 * repository} turns the tree into SQL.
 */
package org.mihub.catalog.optimade;
