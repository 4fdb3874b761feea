package org.mihub.gateway.client;

import static org.mihub.gateway.client.CommonMapper.text;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.Visibility;
import org.mihub.api.federation.v1.DatasetCard;
import org.mihub.api.federation.v1.ListCardsRequest;
import org.mihub.api.federation.v1.ListNodesRequest;
import org.mihub.api.federation.v1.MutinyFederationDirectoryGrpc.MutinyFederationDirectoryStub;
import org.mihub.api.federation.v1.Node;
import org.mihub.api.federation.v1.RegisterNodeRequest;
import org.mihub.api.federation.v1.RequestResyncRequest;
import org.mihub.gateway.config.BackendsConfig;
import org.mihub.gateway.view.FederationViews.CardPage;
import org.mihub.gateway.view.FederationViews.CardPropertyView;
import org.mihub.gateway.view.FederationViews.CardView;
import org.mihub.gateway.view.FederationViews.NodeInput;
import org.mihub.gateway.view.FederationViews.NodeList;
import org.mihub.gateway.view.FederationViews.NodeView;
import org.mihub.gateway.view.FederationViews.ResyncView;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/**
 * The hub's federation directory ({@code mihub.federation.v1.FederationDirectory}), served by the hub's
 * catalog: the same gRPC client ({@code quarkus.grpc.clients.catalog}) and guard as the catalog, with the
 * caller's token and a deadline per call.
 */
@ApplicationScoped
public class FederationClient {

    @Inject
    @GrpcClient("catalog")
    MutinyFederationDirectoryStub stub;

    @Inject
    BackendGuards guards;

    @Inject
    BackendsConfig config;

    private MutinyFederationDirectoryStub stub() {
        return guards.bind(stub, config.backendDeadline());
    }

    public Uni<NodeList> nodes() {
        return guards.of(Backend.CATALOG).read(stub().listNodes(ListNodesRequest.getDefaultInstance()))
                .map(list -> new NodeList(list.getNodesList().stream().map(FederationClient::view).toList()));
    }

    public Uni<NodeView> register(String node, NodeInput input) {
        var request = RegisterNodeRequest.newBuilder().setNode(text(node));
        if (input != null) {
            request.addAllOrganisations(input.organisations() == null ? List.of() : input.organisations())
                    .setGatewayUrl(text(input.gatewayUrl())).setOptimadeUrl(text(input.optimadeUrl()));
        }
        return guards.of(Backend.CATALOG).write(stub().registerNode(request.build())).map(FederationClient::view);
    }

    public Uni<ResyncView> resync(String node) {
        return guards.of(Backend.CATALOG).write(stub().requestResync(RequestResyncRequest.newBuilder()
                .setNode(text(node)).build())).map(resync -> new ResyncView(resync.getNode(), resync.getRequestId(),
                        CommonMapper.instant(resync.getRequestedAt())));
    }

    public Uni<CardPage> cards(String node, String owner, String text, int limit, String cursor) {
        var request = ListCardsRequest.newBuilder().setNode(text(node)).setOwnerOrg(text(owner)).setText(text(text))
                .setPage(CommonMapper.page(limit, cursor)).build();
        return guards.of(Backend.CATALOG).read(stub().listCards(request)).map(page -> new CardPage(
                page.getCardsList().stream().map(FederationClient::view).toList(),
                CommonMapper.nextCursor(page.getPageInfo())));
    }

    private static NodeView view(Node node) {
        return new NodeView(node.getNode(), node.getOrganisationsList(), node.getGatewayUrl(),
                node.getOptimadeUrl().isEmpty() ? null : node.getOptimadeUrl(),
                CommonMapper.instant(node.getRegisteredAt()),
                node.hasLastSeenAt() ? CommonMapper.instant(node.getLastSeenAt()) : null);
    }

    /** The contract's card JSON: visibilities in upper case as on the stream. */
    private static CardView view(DatasetCard card) {
        return new CardView(card.getNode(), card.getDatasetId(), card.getVersion(), card.getTitle(),
                card.getDescription(), card.getLicence(), card.hasDoi() ? card.getDoi() : null, card.getOwnerOrg(),
                level(card.getVisibility()), card.getSharedWithList(), card.hasEmbargoUntil()
                        ? CommonMapper.instant(card.getEmbargoUntil()) : null,
                card.hasEmbargoUntil() ? level(card.getEmbargoVisibility()) : null, card.getRowCount(),
                card.getElementsList(), card.getPropertiesList().stream().map(property -> new CardPropertyView(
                        property.getName(), property.getUnit().isEmpty() ? null : property.getUnit(),
                        property.getCount(), property.hasMin() ? property.getMin() : null,
                        property.hasMax() ? property.getMax() : null)).toList(),
                CommonMapper.instant(card.getUpdatedAt()), false);
    }

    private static String level(Visibility visibility) {
        return visibility == Visibility.VISIBILITY_UNSPECIFIED || visibility == Visibility.UNRECOGNIZED ? null
                : visibility.name();
    }
}
