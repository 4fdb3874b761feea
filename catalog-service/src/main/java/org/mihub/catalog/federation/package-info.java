/**
 * The catalog's NATS side of the federation (issue 24), running only when {@code mihub.federation.node}
 * is set: {@link org.mihub.catalog.federation.NatsLink} keeps one connection and logs its state changes
 * once; {@link org.mihub.catalog.federation.OutboxRelay} publishes the outbox to JetStream and marks each
 * row sent on the stream's acknowledgement; {@link org.mihub.catalog.federation.ControlConsumer} answers
 * the hub's resync requests; at the hub {@link org.mihub.catalog.federation.CardConsumer} creates the
 * streams and feeds the cards of every node into the directory; {@link
 * org.mihub.catalog.federation.FederationWorkers} starts them, and the embargo check, on their threads.
 */
package org.mihub.catalog.federation;
