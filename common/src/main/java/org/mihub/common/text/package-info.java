/**
 * Help for a caller who mistyped a name: the known names closest to the one given, by edit distance
 * (Apache Commons Text), so a refusal can say "did you mean ...?" — for request fields in the
 * gateway, for units and vocabulary properties in the catalog. Plain Java, no Quarkus.
 */
package org.mihub.common.text;
