package org.mihub.catalog.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.DeleteDatasetRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.federation.v1.DatasetCard;
import org.mihub.api.federation.v1.FederationDirectoryGrpc;
import org.mihub.api.federation.v1.ListCardsRequest;
import org.mihub.api.federation.v1.ListCardsResponse;
import org.mihub.api.federation.v1.ListNodesRequest;
import org.mihub.api.federation.v1.RegisterNodeRequest;
import org.mihub.api.federation.v1.RequestResyncRequest;
import org.mihub.catalog.repository.DatasetRepository;
import org.mihub.catalog.service.CardOutbox;
import org.mihub.common.error.ApiException;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.common.sql.Transactions;
import org.mihub.common.testing.NatsResource;
import org.mihub.common.testing.NatsServer;
import org.mihub.common.testing.PostgresResource;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * The federation on a real PostgreSQL and a real nats-server (JetStream, the contract's users and
 * permissions): this catalog is the hub (node {@code hub}, NATS user {@code hub}), its own cards go
 * through its outbox and the stream into its directory; forged cards are published by the test as the
 * node users {@code acme} and {@code kansai-u}.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(value = NatsResource.class, initArgs = {@ResourceArg(name = "node", value = "hub"),
        @ResourceArg(name = "hub", value = "true"), @ResourceArg(name = "user", value = "hub")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationTest {

    static final String HUB_CURATOR = token("carol", "hub", "", "member", "contributor", "curator");
    static final String ADMIN = token("root", "hub", "", "member", "admin");
    static final String KANSAI_MEMBER = token("bob", "kansai-u", "", "member");
    static final String THIRD_MEMBER = token("trent", "tohoku-lab", "", "member");
    static final String ACME_NODE = token("service-account-mihub-node-acme", "acme", "mihub-node-acme", "federation");

    @Inject
    DataSource dataSource;

    @Inject
    CardOutbox cards;

    @Inject
    DatasetRepository datasetRepository;

    private ManagedChannel channel;
    private io.nats.client.Connection nats;

    static String token(String subject, String org, String azp, String... roles) {
        var builder = Jwt.subject(subject).preferredUserName(subject).claim("org", org)
                .claim("realm_access", Map.of("roles", List.of(roles)));
        if (!azp.isEmpty()) {
            builder.claim("azp", azp);
        }
        return builder.issuer("https://server.example.com").audience("mihub").expiresAt(Instant.now().plusSeconds(600))
                .sign();
    }

    private static Metadata bearer(String token) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return metadata;
    }

    private CatalogServiceGrpc.CatalogServiceBlockingStub catalog(String token) {
        return CatalogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
    }

    private FederationDirectoryGrpc.FederationDirectoryBlockingStub directory(String token) {
        return FederationDirectoryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
    }

    @BeforeAll
    void connect() throws Exception {
        channel = ManagedChannelBuilder.forAddress("localhost", 18081).usePlaintext().build();
        nats = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                .userInfo("hub", NatsServer.password("hub")).build());
        directory(ADMIN).registerNode(RegisterNodeRequest.newBuilder().setNode("hub").addOrganisations("hub")
                .setGatewayUrl("http://127.0.0.1:8100").setOptimadeUrl("http://127.0.0.1:8100/optimade").build());
        // acme registers itself with its service account
        directory(ACME_NODE).registerNode(RegisterNodeRequest.newBuilder().setNode("acme").addOrganisations("acme")
                .setGatewayUrl("http://127.0.0.1:8200").build());
        // a new node is asked for a resync: wait until this catalog (node hub) has answered its own
        within(Duration.ofSeconds(10), "the registration's resync", () -> {
            try {
                var consumer = nats.jetStreamManagement().getConsumerInfo(Streams.CONTROL, "node-hub");
                return consumer.getDelivered().getStreamSequence() >= 1 && consumer.getNumAckPending() == 0
                        && consumer.getNumPending() == 0 ? Optional.of(true) : Optional.empty();
            } catch (Exception notYet) {
                return Optional.empty();
            }
        });
    }

    @AfterAll
    void close() throws InterruptedException {
        nats.close();
        channel.shutdownNow();
    }

    private String create(String title, Visibility visibility, String... sharedWith) {
        return catalog(HUB_CURATOR).createDataset(CreateDatasetRequest.newBuilder().setTitle(title)
                .setDescription("cards test").setLicence("CC-BY-4.0").setVisibility(visibility)
                .addAllSharedWith(List.of(sharedWith)).build()).getId();
    }

    private void share(String id, Visibility visibility, String... sharedWith) {
        catalog(HUB_CURATOR).updateDatasetSharing(UpdateDatasetSharingRequest.newBuilder().setDatasetId(id)
                .setVisibility(visibility).addAllSharedWith(List.of(sharedWith)).build());
    }

    private void ingest(String id, String csv) throws InterruptedException {
        var done = new java.util.concurrent.CompletableFuture<Void>();
        var stub = CatalogServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(HUB_CURATOR)));
        StreamObserver<IngestRecordsRequest> requests = stub.ingestRecords(new StreamObserver<>() {
            @Override
            public void onNext(org.mihub.api.catalog.v1.IngestRecordsResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        requests.onNext(IngestRecordsRequest.newBuilder().setHeader(IngestHeader.newBuilder().setDatasetId(id)
                .setFormat(IngestFormat.INGEST_FORMAT_CSV)).build());
        requests.onNext(IngestRecordsRequest.newBuilder().setChunk(ByteString.copyFromUtf8(csv)).build());
        requests.onCompleted();
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException refused) {
                throw refused;
            }
            throw new AssertionError(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private long outboxRows(String datasetId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT count(*) FROM outbox WHERE dataset_id = ?::uuid")) {
            select.setString(1, datasetId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Every message of MIHUB_CARDS: subject, Nats-Msg-Id and body. */
    private List<MessageInfo> stream() throws Exception {
        // a connection of its own each time: one made before a server restart may not answer yet after it
        try (var reader = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                .userInfo("hub", NatsServer.password("hub")).build())) {
            return stream(reader.jetStreamManagement());
        }
    }

    private static List<MessageInfo> stream(JetStreamManagement management) throws Exception {
        var state = management.getStreamInfo(Streams.CARDS).getStreamState();
        List<MessageInfo> messages = new ArrayList<>();
        for (long seq = state.getFirstSequence(); seq <= state.getLastSequence() && state.getMsgCount() > 0; seq++) {
            try {
                messages.add(management.getMessage(Streams.CARDS, seq));
            } catch (JetStreamApiException deleted) {
                // a gap
            }
        }
        return messages;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(MessageInfo message) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(message.getData());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String body(MessageInfo message) {
        return new String(message.getData(), StandardCharsets.UTF_8);
    }

    private Optional<DatasetCard> card(String token, String datasetId) {
        String cursor = "";
        do {
            ListCardsResponse page = directory(token).listCards(ListCardsRequest.newBuilder()
                    .setPage(PageRequest.newBuilder().setPageSize(200).setPageToken(cursor)).build());
            for (DatasetCard card : page.getCardsList()) {
                if (card.getDatasetId().equals(datasetId)) {
                    return Optional.of(card);
                }
            }
            cursor = page.getPageInfo().getNextPageToken();
        } while (!cursor.isEmpty());
        return Optional.empty();
    }

    /** Polls {@code probe} every 50 ms until it answers, failing naming {@code what} after {@code limit}. */
    static <T> T within(Duration limit, String what, Supplier<Optional<T>> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + " not within " + limit);
    }

    private DatasetCard arrived(String datasetId, java.util.function.Predicate<DatasetCard> as)
            throws InterruptedException {
        return arrived(datasetId, as, Duration.ofSeconds(5));
    }

    private DatasetCard arrived(String datasetId, java.util.function.Predicate<DatasetCard> as, Duration limit)
            throws InterruptedException {
        return within(limit, "card of " + datasetId, () -> card(ADMIN, datasetId).filter(as));
    }

    private void gone(String datasetId) throws InterruptedException {
        within(Duration.ofSeconds(5), "removal of " + datasetId,
                () -> card(ADMIN, datasetId).isEmpty() ? Optional.of(true) : Optional.empty());
    }

    @Test
    @Order(1)
    void aCardChangeIsWrittenInTheTransactionOfTheChangeAndAFailedChangeWritesNone() throws Exception {
        String id = create("outbox transaction", Visibility.CONSORTIUM);
        assertEquals(1, outboxRows(id), "the create wrote its card");
        UUID uuid = UUID.fromString(id);
        // the entity path (sharing, deletion): a change that fails after the outbox write leaves no row
        assertThrows(ApiException.class, () -> EntityTransactions.requiringNew(() -> {
            datasetRepository.findForUpdate(uuid);
            datasetRepository.onConnection(connection -> cards.changed(connection, uuid));
            throw ApiException.invalid("visibility", "refused after the card was written");
        }));
        // the JDBC path (ingest, embargo, resync)
        assertThrows(ApiException.class, () -> Transactions.inTransaction(dataSource::getConnection, connection -> {
            cards.changed(connection, uuid);
            throw ApiException.invalid("content", "refused after the card was written");
        }));
        assertEquals(1, outboxRows(id), "nothing of the failed changes is in the outbox");
        // a refused ingest (a bad row) and a refused sharing change write no card either
        var refused = assertThrows(StatusRuntimeException.class, () -> ingest(id, "formula,band_gap [eV]\nXx9,1\n"));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused.toString());
        assertThrows(StatusRuntimeException.class, () -> share(id, Visibility.SHARED));
        assertEquals(1, outboxRows(id));
        arrived(id, card -> true);
    }

    @Test
    @Order(2)
    void aPrivateDatasetPublishesNothingEvenWhenItsRowsChange() throws Exception {
        String hidden = create("private cards test", Visibility.PRIVATE);
        ingest(hidden, "formula,band_gap [eV]\nGaAs,1.4\n");
        share(hidden, Visibility.PRIVATE);
        // a CONSORTIUM dataset written after it: once its card is at the hub, the relay has passed the private one
        String open = create("after the private one", Visibility.CONSORTIUM);
        arrived(open, card -> true);
        assertEquals(0, outboxRows(hidden));
        assertTrue(stream().stream().noneMatch(message -> body(message).contains(hidden)), "no message names it");
        assertTrue(stream().stream().anyMatch(message -> body(message).contains(open)));
    }

    @Test
    @Order(3)
    void anIngestPublishesANewVersionWithRowCountElementsAndPropertyRanges() throws Exception {
        String id = create("band gaps", Visibility.PUBLIC);
        arrived(id, card -> card.getVersion() == 1 && card.getRowCount() == 0);
        ingest(id, "formula,band_gap [eV]\nGaAs,1.42\nZnO,3.3\nFe2O3,2.1\nSi,1.1\n");
        DatasetCard card = arrived(id, found -> found.getVersion() == 2);
        assertEquals(4, card.getRowCount());
        assertEquals(List.of("As", "Fe", "Ga", "O", "Si", "Zn"), card.getElementsList());
        assertEquals(1, card.getPropertiesCount());
        var gap = card.getProperties(0);
        assertEquals("band_gap", gap.getName());
        assertEquals("eV", gap.getUnit());
        assertEquals(4, gap.getCount());
        assertEquals(1.1, gap.getMin(), 1e-9);
        assertEquals(3.3, gap.getMax(), 1e-9);
        assertEquals("hub", card.getNode());
        assertEquals("hub", card.getOwnerOrg());
        assertEquals(Visibility.PUBLIC, card.getVisibility());
        // one version at the hub: the older one was replaced
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT count(*) FROM federation_card WHERE dataset_id = ?::uuid")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                assertEquals(1, row.getLong(1));
            }
        }
    }

    @Test
    @Order(4)
    void aSharedCardCarriesItsOrganisationsAndOnlyTheyReadItUntilUnsharingRemovesIt() throws Exception {
        String id = create("shared with kansai", Visibility.SHARED, "kansai-u");
        DatasetCard card = arrived(id, found -> true);
        assertEquals(List.of("kansai-u"), card.getSharedWithList());
        assertEquals(Visibility.SHARED, card.getVisibility());
        assertTrue(card(KANSAI_MEMBER, id).isPresent(), "kansai-u reads it");
        assertTrue(card(HUB_CURATOR, id).isPresent(), "the owner reads it");
        assertTrue(card(THIRD_MEMBER, id).isEmpty(), "a third organisation does not");
        assertTrue(stream().stream().map(FederationTest::json).anyMatch(message -> message.path("datasetId").asText()
                .equals(id) && message.path("sharedWith").toString().equals("[\"kansai-u\"]")));

        share(id, Visibility.PRIVATE);
        gone(id);
        MessageInfo last = stream().stream().filter(message -> body(message).contains(id)).reduce((a, b) -> b)
                .orElseThrow();
        assertTrue(json(last).path("tombstone").asBoolean(), body(last));
        assertFalse(json(last).has("title"), "a tombstone says nothing of the dataset: " + body(last));
        Set<String> fields = new HashSet<>();
        json(last).fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("node", "datasetId", "version", "tombstone", "updatedAt"), fields);

        // shared again, then deleted: deletion is a tombstone too
        share(id, Visibility.CONSORTIUM);
        arrived(id, found -> found.getVisibility() == Visibility.CONSORTIUM);
        catalog(HUB_CURATOR).deleteDataset(DeleteDatasetRequest.newBuilder().setId(id).setReason("test").build());
        gone(id);
    }

    @Test
    @Order(5)
    void forgedOversizedAndMalformedCardsAreRefusedAndTheRestIsUnaffected() throws Exception {
        try (var acme = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                .userInfo("acme", NatsServer.password("acme")).build());
                var kansai = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                        .userInfo("kansai-u", NatsServer.password("kansai-u")).build())) {
            var js = acme.jetStream();
            String otherNode = UUID.randomUUID().toString();
            String otherOwner = UUID.randomUUID().toString();
            String oversized = UUID.randomUUID().toString();
            String unregistered = UUID.randomUUID().toString();
            String valid = UUID.randomUUID().toString();
            js.publish("mihub.cards.acme", cardJson("kansai-u", otherNode, "kansai-u", "").getBytes(StandardCharsets.UTF_8));
            js.publish("mihub.cards.acme", cardJson("acme", otherOwner, "kansai-u", "").getBytes(StandardCharsets.UTF_8));
            js.publish("mihub.cards.acme", cardJson("acme", oversized, "acme", "x".repeat(70_000))
                    .getBytes(StandardCharsets.UTF_8));
            js.publish("mihub.cards.acme", "{\"node\":\"acme\",\"datasetId\":".getBytes(StandardCharsets.UTF_8));
            js.publish("mihub.cards.acme", "{\"node\":\"acme\",\"datasetId\":\"not-a-uuid\"}".getBytes(StandardCharsets.UTF_8));
            kansai.jetStream().publish("mihub.cards.kansai-u",
                    cardJson("kansai-u", unregistered, "kansai-u", "").getBytes(StandardCharsets.UTF_8));
            // NATS itself refuses acme on another node's subject: no stream answers it
            assertThrows(Exception.class, () -> acme.jetStream(io.nats.client.JetStreamOptions.builder()
                    .requestTimeout(Duration.ofSeconds(1)).build()).publish("mihub.cards.kansai-u",
                            cardJson("kansai-u", UUID.randomUUID().toString(), "kansai-u", "")
                                    .getBytes(StandardCharsets.UTF_8)));
            js.publish("mihub.cards.acme", cardJson("acme", valid, "acme", "").getBytes(StandardCharsets.UTF_8),
                    PublishOptions.builder().messageId("acme:test-1").build());
            DatasetCard stored = arrived(valid, found -> true);
            assertEquals("acme", stored.getNode());
            for (String refused : List.of(otherNode, otherOwner, oversized, unregistered)) {
                assertTrue(card(ADMIN, refused).isEmpty(), refused + " was refused");
            }
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT count(*) FROM federation_card WHERE node <> 'hub'")) {
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    assertEquals(1, row.getLong(1), "only acme's valid card is stored");
                }
            }
            // acme removes its own card with a tombstone
            js.publish("mihub.cards.acme", ("{\"node\":\"acme\",\"datasetId\":\"" + valid
                    + "\",\"version\":1,\"tombstone\":true,\"updatedAt\":\"" + Instant.now() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            gone(valid);
        }
    }

    private static String cardJson(String node, String datasetId, String owner, String description) {
        return "{\"node\":\"" + node + "\",\"datasetId\":\"" + datasetId + "\",\"version\":1,\"title\":\"forged?\","
                + "\"description\":\"" + description + "\",\"licence\":\"CC-BY-4.0\",\"doi\":null,\"ownerOrg\":\""
                + owner + "\",\"visibility\":\"CONSORTIUM\",\"sharedWith\":[],\"embargoUntil\":null,"
                + "\"embargoVisibility\":null,\"rowCount\":1,\"elements\":[\"Fe\"],\"properties\":[{\"name\":"
                + "\"band_gap\",\"unit\":\"eV\",\"count\":1,\"min\":0.5,\"max\":0.5}],\"updatedAt\":\""
                + Instant.now() + "\",\"tombstone\":false}";
    }

    @Test
    @Order(6)
    void aResyncWritesEveryPublishedCardAgainAndNothingPrivate() throws Exception {
        String open = create("resync open", Visibility.CONSORTIUM);
        String hidden = create("resync private", Visibility.PRIVATE);
        arrived(open, card -> true);
        var requested = directory(ADMIN).requestResync(RequestResyncRequest.newBuilder().setNode("hub").build());
        assertEquals("hub", requested.getNode());
        assertFalse(requested.getRequestId().isEmpty());
        within(Duration.ofSeconds(5), "the resync's card", () -> {
            try {
                return outboxRows(open) == 2 ? Optional.of(true) : Optional.empty();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0, outboxRows(hidden));

        var unknown = assertThrows(StatusRuntimeException.class,
                () -> directory(ADMIN).requestResync(RequestResyncRequest.newBuilder().setNode("nowhere").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        var denied = assertThrows(StatusRuntimeException.class,
                () -> directory(HUB_CURATOR).requestResync(RequestResyncRequest.newBuilder().setNode("hub").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
    }

    @Test
    @Order(7)
    void cardsArePagedByCursorAndABadCursorNamesTheField() throws Exception {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(create("paged " + i, Visibility.CONSORTIUM));
        }
        for (String id : made) {
            arrived(id, card -> true);
        }
        Set<String> seen = new HashSet<>();
        String cursor = "";
        int pages = 0;
        do {
            var page = directory(KANSAI_MEMBER).listCards(ListCardsRequest.newBuilder().setNode("hub").setText("paged")
                    .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(cursor)).build());
            assertTrue(page.getCardsCount() <= 2);
            page.getCardsList().forEach(card -> assertTrue(seen.add(card.getDatasetId()), "no card twice"));
            cursor = page.getPageInfo().getNextPageToken();
            pages++;
        } while (!cursor.isEmpty());
        assertEquals(new HashSet<>(made), seen);
        assertEquals(3, pages);

        var bad = assertThrows(StatusRuntimeException.class, () -> directory(KANSAI_MEMBER).listCards(
                ListCardsRequest.newBuilder().setPage(PageRequest.newBuilder().setPageToken("garbage")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertEquals("page.page_token", field(bad));
        var node = assertThrows(StatusRuntimeException.class, () -> directory(KANSAI_MEMBER).listCards(
                ListCardsRequest.newBuilder().setNode("Not A Node").build()));
        assertEquals("node", field(node));
        var serviceAccount = assertThrows(StatusRuntimeException.class,
                () -> directory(ACME_NODE).listCards(ListCardsRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, serviceAccount.getStatus().getCode());
    }

    @Test
    @Order(8)
    void registrationChecksItsCallerAndItsFields() {
        var nodes = directory(KANSAI_MEMBER).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
        assertEquals(List.of("acme", "hub"), nodes.stream().map(n -> n.getNode()).toList());
        assertEquals("http://127.0.0.1:8100/optimade", nodes.get(1).getOptimadeUrl());
        assertTrue(nodes.get(0).hasRegisteredAt());

        var otherNode = assertThrows(StatusRuntimeException.class, () -> directory(ACME_NODE).registerNode(
                RegisterNodeRequest.newBuilder().setNode("kansai-u").addOrganisations("kansai-u")
                        .setGatewayUrl("http://127.0.0.1:8300").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, otherNode.getStatus().getCode());
        var member = assertThrows(StatusRuntimeException.class, () -> directory(KANSAI_MEMBER).registerNode(
                RegisterNodeRequest.newBuilder().setNode("kansai-u").addOrganisations("kansai-u")
                        .setGatewayUrl("http://127.0.0.1:8300").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, member.getStatus().getCode());
        var badId = assertThrows(StatusRuntimeException.class, () -> directory(ADMIN).registerNode(
                RegisterNodeRequest.newBuilder().setNode("Kansai U").addOrganisations("kansai-u")
                        .setGatewayUrl("http://127.0.0.1:8300").build()));
        assertEquals("node", field(badId));
        var badUrl = assertThrows(StatusRuntimeException.class, () -> directory(ADMIN).registerNode(
                RegisterNodeRequest.newBuilder().setNode("kansai-u").addOrganisations("kansai-u")
                        .setGatewayUrl("ftp:/nowhere").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badUrl.getStatus().getCode());
        assertEquals("gateway_url", field(badUrl));
        var noOrg = assertThrows(StatusRuntimeException.class, () -> directory(ADMIN).registerNode(
                RegisterNodeRequest.newBuilder().setNode("kansai-u").setGatewayUrl("http://127.0.0.1:8300").build()));
        assertEquals("organisations", field(noOrg));
        var taken = assertThrows(StatusRuntimeException.class, () -> directory(ADMIN).registerNode(
                RegisterNodeRequest.newBuilder().setNode("kansai-u").addOrganisations("kansai-u").addOrganisations("acme")
                        .setGatewayUrl("http://127.0.0.1:8300").build()));
        assertEquals(Status.Code.ALREADY_EXISTS, taken.getStatus().getCode());
        assertEquals("organisations[1]", field(taken));
    }

    @Test
    @Order(9)
    void theRelaySurvivesANatsRestartAndTheCardArrivesOnce() throws Exception {
        String id = create("through a restart", Visibility.CONSORTIUM);
        arrived(id, card -> true);
        NatsServer server = NatsResource.server();
        server.stop();
        share(id, Visibility.PUBLIC);
        Thread.sleep(1500);
        long unsent;
        String messageId;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT message_id, sent_at IS NULL FROM outbox "
                        + "WHERE dataset_id = ?::uuid ORDER BY id DESC LIMIT 1")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                messageId = row.getString(1);
                unsent = row.getBoolean(2) ? 1 : 0;
            }
        }
        assertEquals(1, unsent, "kept in the outbox while NATS is down");
        server.start();
        // jnats reconnects within a second; the relay and the hub's consumer then go on
        arrived(id, card -> card.getVisibility() == Visibility.PUBLIC, Duration.ofSeconds(15));
        long copies = stream().stream().filter(message -> messageId.equals(
                message.getHeaders() == null ? null : message.getHeaders().getFirst("Nats-Msg-Id"))).count();
        assertEquals(1, copies, "the card is on the stream once");
    }

    @Test
    @Order(10)
    void anEmbargoEndingPublishesTheCardWithNobodyActing() throws Exception {
        Instant until = Instant.now().plusSeconds(2);
        String id = catalog(HUB_CURATOR).createDataset(CreateDatasetRequest.newBuilder().setTitle("embargoed")
                .setLicence("CC-BY-4.0").setVisibility(Visibility.PRIVATE)
                .setEmbargo(org.mihub.api.catalog.v1.Embargo.newBuilder()
                        .setUntil(com.google.protobuf.Timestamp.newBuilder().setSeconds(until.getEpochSecond())
                                .setNanos(until.getNano()))
                        .setLiftsTo(Visibility.CONSORTIUM))
                .build()).getId();
        assertEquals(0, outboxRows(id), "PRIVATE until the embargo ends");
        DatasetCard card = arrived(id, found -> true, Duration.ofSeconds(12));
        assertEquals(Visibility.CONSORTIUM, card.getVisibility());
        assertFalse(card.hasEmbargoUntil(), "the embargo is over");
        assertTrue(card(KANSAI_MEMBER, id).isPresent());
        Thread.sleep(FederationWorkers.EMBARGO_CHECK.toMillis() + 500);
        assertEquals(1, outboxRows(id), "written once, not at every check");
    }

    /** The vocabulary stream's latest message on {@code mihub.vocabulary.<name>}, once it is there. */
    private com.fasterxml.jackson.databind.JsonNode definition(String name, int version) throws InterruptedException {
        return within(Duration.ofSeconds(10), name + " version " + version + " on " + Streams.VOCABULARY, () -> {
            try (var reader = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                    .userInfo("hub", NatsServer.password("hub")).build())) {
                var last = json(reader.jetStreamManagement().getLastMessage(Streams.VOCABULARY,
                        "mihub.vocabulary." + name));
                return last.path("version").asInt() == version ? Optional.of(last) : Optional.empty();
            } catch (Exception notYet) {
                return Optional.empty();
            }
        });
    }

    @Test
    @Order(11)
    void theHubPublishesItsVocabularyEveryChangeAsTheWholeDefinitionAndNoNodeMayPublishThere() throws Exception {
        // what the migrations wrote is published when the hub starts
        var bandGap = definition("band_gap", 1);
        assertEquals("hub", bandGap.path("publisher").asText());
        assertEquals("eV", bandGap.path("canonicalUnit").asText());
        assertEquals(0.0, bandGap.path("minimum").asDouble());

        String name = "phase_" + UUID.randomUUID().toString().substring(0, 8);
        catalog(HUB_CURATOR).createProperty(org.mihub.api.catalog.v1.CreatePropertyRequest.newBuilder()
                .setProperty(org.mihub.api.catalog.v1.PropertyDefinition.newBuilder().setName(name)
                        .setDisplayName("Crystal phase").setDisplayNameJa("結晶相")
                        .setValueType(org.mihub.api.catalog.v1.PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL)
                        .addLabels("fcc").addLabels("bcc"))
                .build());
        var added = definition(name, 1);
        assertEquals("categorical", added.path("valueType").asText());
        assertEquals("[\"fcc\",\"bcc\"]", added.path("labels").toString());
        assertEquals("carol", added.path("addedBy").asText());
        assertEquals("結晶相", added.path("displayNameJa").asText());

        catalog(HUB_CURATOR).updateProperty(org.mihub.api.catalog.v1.UpdatePropertyRequest.newBuilder().setName(name)
                .addAddLabels("hcp").build());
        assertEquals("[\"fcc\",\"bcc\",\"hcp\"]", definition(name, 2).path("labels").toString());
        catalog(HUB_CURATOR).deprecateProperty(org.mihub.api.catalog.v1.DeprecatePropertyRequest.newBuilder()
                .setName(name).setReason("use crystal_system").build());
        var deprecated = definition(name, 3);
        assertTrue(deprecated.path("deprecated").asBoolean());
        try (var reader = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                .userInfo("hub", NatsServer.password("hub")).build())) {
            var subjects = reader.jetStreamManagement().getStreamInfo(Streams.VOCABULARY,
                    io.nats.client.api.StreamInfoOptions.filterSubjects("mihub.vocabulary." + name))
                    .getStreamState().getSubjects();
            assertEquals(1, subjects.get(0).getCount(), "the stream keeps only the latest definition of a property");
        }
        // a change that changes nothing publishes nothing
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT count(*) FROM outbox WHERE subject = ?")) {
            catalog(HUB_CURATOR).updateProperty(org.mihub.api.catalog.v1.UpdatePropertyRequest.newBuilder()
                    .setName(name).addAddLabels("fcc").build());
            select.setString(1, "mihub.vocabulary." + name);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                assertEquals(3, row.getLong(1), "created, a label added, deprecated");
            }
        }

        // a node's NATS user may not publish a definition: no stream answers it, the hub's stays
        try (var acme = Nats.connect(new Options.Builder().server(NatsResource.server().url())
                .userInfo("acme", NatsServer.password("acme")).build())) {
            String forged = bandGap.toString().replace("\"eV\"", "\"meV\"");
            assertThrows(Exception.class, () -> acme.jetStream(io.nats.client.JetStreamOptions.builder()
                    .requestTimeout(Duration.ofSeconds(1)).build()).publish("mihub.vocabulary.band_gap",
                            forged.getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals("eV", definition("band_gap", 1).path("canonicalUnit").asText());
    }

    private static String field(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertNotNull(status, e.toString());
        for (var detail : status.getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                try {
                    return detail.unpack(BadRequest.class).getFieldViolations(0).getField();
                } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                    throw new AssertionError(ex);
                }
            }
        }
        throw new AssertionError("no field violation: " + e);
    }
}
