/**
 * Configuration of the catalog service that is not domain logic: the types registered for reflection
 * so that native images serialise the stored process and structure JSON. It must hold no rules, and no
 * domain code depends on it.
 */
package org.mihub.catalog.config;
