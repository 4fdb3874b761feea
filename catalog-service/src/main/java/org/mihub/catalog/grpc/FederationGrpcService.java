package org.mihub.catalog.grpc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.mihub.api.common.v1.PageInfo;
import org.mihub.api.federation.v1.ListCardsRequest;
import org.mihub.api.federation.v1.ListCardsResponse;
import org.mihub.api.federation.v1.ListNodesRequest;
import org.mihub.api.federation.v1.ListNodesResponse;
import org.mihub.api.federation.v1.MutinyFederationDirectoryGrpc;
import org.mihub.api.federation.v1.Node;
import org.mihub.api.federation.v1.RegisterNodeRequest;
import org.mihub.api.federation.v1.RequestResyncRequest;
import org.mihub.api.federation.v1.ResyncRequested;
import org.mihub.catalog.mapping.FederationMapper;
import org.mihub.catalog.service.DirectoryService;
import org.mihub.common.grpc.Work;
import org.mihub.common.identity.Caller;
import org.mihub.common.identity.CallerContext;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * The federation directory over gRPC ({@code mihub.federation.v1.FederationDirectory}), served by the
 * hub's catalog; elsewhere every call is FAILED_PRECONDITION. Every call needs a signed-in caller.
 */
@GrpcService
@Singleton
public class FederationGrpcService extends MutinyFederationDirectoryGrpc.FederationDirectoryImplBase {

    @Inject
    DirectoryService directory;

    @Override
    public Uni<Node> registerNode(RegisterNodeRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> FederationMapper.toProto(directory.register(caller, request.getNode(),
                request.getOrganisationsList(), request.getGatewayUrl(), request.getOptimadeUrl())));
    }

    @Override
    public Uni<ListNodesResponse> listNodes(ListNodesRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> {
            var response = ListNodesResponse.newBuilder();
            directory.nodes(caller).forEach(node -> response.addNodes(FederationMapper.toProto(node)));
            return response.build();
        });
    }

    @Override
    public Uni<ResyncRequested> requestResync(RequestResyncRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> FederationMapper.toProto(directory.resync(caller, request.getNode())));
    }

    @Override
    public Uni<ListCardsResponse> listCards(ListCardsRequest request) {
        Caller caller = CallerContext.require();
        return Work.blocking(() -> {
            var page = directory.cards(caller, request.getNode(), request.getOwnerOrg(), request.getText(),
                    request.getPage().getPageToken(), request.getPage().getPageSize());
            var response = ListCardsResponse.newBuilder();
            page.cards().forEach(card -> response.addCards(FederationMapper.toProto(card)));
            return response.setPageInfo(PageInfo.newBuilder().setTotalSize(-1)
                    .setNextPageToken(page.nextCursor() == null ? "" : page.nextCursor())).build();
        });
    }
}
