package org.mihub.prediction.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.ListDatasetsResponse;
import org.mihub.api.catalog.v1.RecordDerivedReadsRequest;
import org.mihub.api.catalog.v1.RecordDerivedReadsResponse;
import org.mihub.api.common.v1.PageInfo;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * A stand-in for the catalog in the prediction service's own tests, answering ListDatasets by ids:
 * each dataset is seen by the organisations the test names ("*" for anyone, anonymous callers
 * too), the caller's organisation read from the relayed token's claims. A dataset in
 * {@link #outage} makes the call fail as an unreachable catalog would. The bearer token of every
 * call is recorded, and so are the derived reads reported to it (RecordDerivedReads). The real
 * catalog answers in the launcher's SuiteIT.
 */
final class CatalogStandIn extends CatalogServiceGrpc.CatalogServiceImplBase implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Context.Key<String> BEARER = Context.key("bearer");
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    /** Dataset id to the organisations that see it. */
    final Map<String, Set<String>> seenBy = new ConcurrentHashMap<>();
    final Set<String> outage = ConcurrentHashMap.newKeySet();
    final List<String> bearers = new CopyOnWriteArrayList<>();
    final List<Reported> derivedReads = new CopyOnWriteArrayList<>();
    private final Server server;

    CatalogStandIn(int port) throws IOException {
        server = ServerBuilder.forPort(port).addService(ServerInterceptors.intercept(this, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String value = headers.get(AUTHORIZATION);
                return Contexts.interceptCall(Context.current().withValue(BEARER, value == null ? "" : value), call,
                        headers, next);
            }
        })).build().start();
    }

    @Override
    public void listDatasets(ListDatasetsRequest request, StreamObserver<ListDatasetsResponse> response) {
        String bearer = BEARER.get();
        bearers.add(bearer);
        if (request.getIdsList().stream().anyMatch(outage::contains)) {
            response.onError(Status.UNAVAILABLE.withDescription("catalog down").asRuntimeException());
            return;
        }
        String org = org(bearer);
        var page = ListDatasetsResponse.newBuilder().setPageInfo(PageInfo.newBuilder().setNextPageToken(""));
        for (String id : request.getIdsList()) {
            Set<String> orgs = seenBy.getOrDefault(id, Set.of());
            if (orgs.contains("*") || org != null && orgs.contains(org)) {
                page.addDatasets(Dataset.newBuilder().setId(id));
            }
        }
        response.onNext(page.build());
        response.onCompleted();
    }

    /** A RecordDerivedReads call: the token it carried and what it reported. */
    record Reported(String bearer, RecordDerivedReadsRequest request) {
    }

    @Override
    public void recordDerivedReads(RecordDerivedReadsRequest request,
            StreamObserver<RecordDerivedReadsResponse> response) {
        derivedReads.add(new Reported(BEARER.get(), request));
        response.onNext(RecordDerivedReadsResponse.newBuilder().setLogged(request.getReadsCount()).build());
        response.onCompleted();
    }

    /** The "org" claim of a "Bearer header.claims.signature" token; null without a token. */
    private static String org(String bearer) {
        if (bearer.isEmpty()) {
            return null;
        }
        String claims = bearer.substring("Bearer ".length()).split("\\.")[1];
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(claims), StandardCharsets.UTF_8))
                    .path("org").asText();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a token", e);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
