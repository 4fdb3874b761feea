package org.mihub.catalog.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.GetPropertyRequest;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.api.catalog.v1.UpdatePropertyRequest;
import org.mihub.catalog.mapping.PropertyJson;
import org.mihub.catalog.service.Property;
import org.mihub.catalog.service.PropertyService;
import org.mihub.common.testing.NatsResource;
import org.mihub.common.testing.NatsServer;
import org.mihub.common.testing.PostgresResource;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * A node's side of the consortium vocabulary on a real PostgreSQL and a real nats-server: this catalog is
 * node {@code acme} (NATS user {@code acme}); the test plays the hub (user {@code hub}), creating the
 * vocabulary stream and publishing definitions, and reads what the node made of them.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(value = NatsResource.class, initArgs = {@ResourceArg(name = "node", value = "acme"),
        @ResourceArg(name = "user", value = "acme")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VocabularySyncTest {

    static final String ACME_CURATOR = token("alice", "acme", "member", "contributor", "curator");

    @Inject
    PropertyService properties;

    private ManagedChannel channel;
    private Connection hub;

    static String token(String subject, String org, String... roles) {
        return Jwt.subject(subject).preferredUserName(subject).claim("org", org)
                .claim("realm_access", Map.of("roles", List.of(roles))).issuer("https://server.example.com")
                .audience("mihub").expiresAt(Instant.now().plusSeconds(600)).sign();
    }

    private CatalogServiceGrpc.CatalogServiceBlockingStub catalog(String token) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return CatalogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    @BeforeAll
    void connect() throws Exception {
        channel = ManagedChannelBuilder.forAddress("localhost", 18081).usePlaintext().build();
        hub = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                .userInfo("hub", NatsServer.password("hub")).build());
        Streams.ensure(hub.jetStreamManagement());
    }

    @AfterAll
    void close() throws InterruptedException {
        hub.close();
        channel.shutdownNow();
    }

    private static Property categorical(String name, int version, String... labels) {
        Instant at = Instant.parse("2026-12-01T09:00:00Z");
        return new Property(name, "Crystal phase", "結晶相", "the phase at room temperature",
                Property.ValueType.CATEGORICAL, "", "", null, null, List.of(labels), "carol", "hub", at,
                at.plusSeconds(version), version, false, "");
    }

    private void publish(String subject, String body) throws Exception {
        hub.jetStream().publish(subject, body.getBytes(StandardCharsets.UTF_8));
    }

    private void publish(Property property) throws Exception {
        publish("mihub.vocabulary." + property.name(), PropertyJson.write("hub", property));
    }


    private Property arrived(String name, int version) throws InterruptedException {
        return FederationTest.within(Duration.ofSeconds(10), name + " version " + version, () -> Optional
                .ofNullable(properties.current().get(name)).filter(found -> found.version() == version));
    }

    /** Waits until the node's consumer has handled everything published so far. */
    private void drained() throws InterruptedException {
        FederationTest.within(Duration.ofSeconds(10), "the node's vocabulary consumer to catch up", () -> {
            try {
                var consumer = hub.jetStreamManagement().getConsumerInfo(Streams.VOCABULARY, "vocabulary-acme");
                return consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0 ? Optional.of(true)
                        : Optional.empty();
            } catch (Exception notYet) {
                return Optional.empty();
            }
        });
    }

    @Test
    void aPropertyTheHubPublishesIsAddedThenChangedAndAnOlderRepeatChangesNothing() throws Exception {
        String name = "phase_" + UUID.randomUUID().toString().substring(0, 8);
        publish(categorical(name, 1, "fcc", "bcc"));
        Property added = arrived(name, 1);
        assertEquals(List.of("fcc", "bcc"), added.labels());
        assertEquals("carol", added.addedBy(), "the hub's author is kept");
        PropertyDefinition served = catalog(ACME_CURATOR).getProperty(GetPropertyRequest.newBuilder().setName(name)
                .build());
        assertEquals(PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL, served.getValueType());
        assertEquals("結晶相", served.getDisplayNameJa());

        publish(categorical(name, 2, "fcc", "bcc", "hcp"));
        assertEquals(List.of("fcc", "bcc", "hcp"), arrived(name, 2).labels());
        // a repeat of version 1 (delivered again after version 2) does not take the label away
        publish(categorical(name, 1, "fcc", "bcc"));
        drained();
        assertEquals(List.of("fcc", "bcc", "hcp"), properties.current().get(name).labels());
        assertEquals(2, properties.current().get(name).version());
    }

    @Test
    void aDefinitionThatWouldChangeStoredValuesOrBreaksTheRulesIsRefusedAndNothingIsWritten() throws Exception {
        Property bandGap = properties.current().get("band_gap");
        // another type or unit for a property the node has: stored values would change meaning
        publish("mihub.vocabulary.band_gap", PropertyJson.write("hub", new Property("band_gap", "Band gap", "", "",
                Property.ValueType.NUMERIC, "meV", "energy", 0.0, null, List.of(), "mallory", "hub", Instant.now(),
                Instant.now(), 7, false, "")));
        // labels in another order
        String name = "phase_" + UUID.randomUUID().toString().substring(0, 8);
        publish(categorical(name, 1, "fcc", "bcc"));
        arrived(name, 1);
        publish(categorical(name, 2, "bcc", "fcc"));
        // an unknown unit, a subject naming another property, not JSON, a field missing, oversized
        publish(new Property("tc_bad_unit", "Tc", "", "", Property.ValueType.NUMERIC, "Kelvins", "temperature", null,
                null, List.of(), "carol", "hub", Instant.now(), Instant.now(), 1, false, ""));
        publish("mihub.vocabulary.tc_elsewhere", PropertyJson.write("hub", categorical("tc_other", 1, "x")));
        publish("mihub.vocabulary.tc_not_json", "{\"name\":");
        publish("mihub.vocabulary.tc_no_version", PropertyJson.write("hub", categorical("tc_no_version", 1, "x"))
                .replace("\"version\":1,", ""));
        publish("mihub.vocabulary.tc_huge", PropertyJson.write("hub", new Property("tc_huge", "Tc", "",
                "x".repeat(70_000), Property.ValueType.BOOLEAN, "", "", null, null, List.of(), "carol", "hub",
                Instant.now(), Instant.now(), 1, false, "")));
        drained();
        var now = properties.current();
        assertEquals(bandGap, now.get("band_gap"), "band_gap is as it was");
        assertEquals(List.of("fcc", "bcc"), now.get(name).labels());
        assertEquals(1, now.get(name).version());
        for (String refused : List.of("tc_bad_unit", "tc_elsewhere", "tc_other", "tc_not_json", "tc_no_version",
                "tc_huge")) {
            assertFalse(now.containsKey(refused), refused + " was refused");
        }
        // and the consumer goes on with the next good one
        String next = "phase_" + UUID.randomUUID().toString().substring(0, 8);
        publish(categorical(next, 1, "a"));
        arrived(next, 1);
    }

    @Test
    void aNodeDoesNotChangeTheVocabularyItselfAndItsNatsUserCannotPublishIt() throws Exception {
        var refused = assertThrows(StatusRuntimeException.class, () -> catalog(ACME_CURATOR).createProperty(
                CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder().setName("tc_local")
                        .setDisplayName("Tc").setCanonicalUnit("K").setQuantityKind("temperature")).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("at the hub"), refused.getStatus().getDescription());
        assertFalse(properties.current().containsKey("tc_local"));
        var patch = assertThrows(StatusRuntimeException.class, () -> catalog(ACME_CURATOR).updateProperty(
                UpdatePropertyRequest.newBuilder().setName("band_gap").setDescription("changed at acme").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, patch.getStatus().getCode());
        // asking for what exists already still answers it
        var same = catalog(ACME_CURATOR).createProperty(CreatePropertyRequest.newBuilder().setProperty(
                PropertyDefinition.newBuilder().setName("band_gap").setDisplayName("Band gap").setCanonicalUnit("eV")
                        .setQuantityKind("energy")).build());
        assertFalse(same.getCreated());

        try (var acme = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                .userInfo("acme", NatsServer.password("acme")).build())) {
            assertThrows(Exception.class, () -> acme.jetStream(io.nats.client.JetStreamOptions.builder()
                    .requestTimeout(Duration.ofSeconds(1)).build()).publish("mihub.vocabulary.tc_forged",
                            PropertyJson.write("hub", categorical("tc_forged", 1, "x")).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            hub.jetStreamManagement().getLastMessage(Streams.VOCABULARY, "mihub.vocabulary.tc_forged");
            throw new AssertionError("a node's publication reached the vocabulary stream");
        } catch (JetStreamApiException noSuchMessage) {
            assertEquals(404, noSuchMessage.getErrorCode());
        }
    }
}
