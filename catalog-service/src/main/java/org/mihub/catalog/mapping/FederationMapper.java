package org.mihub.catalog.mapping;

import org.mihub.api.federation.v1.CardProperty;
import org.mihub.api.federation.v1.DatasetCard;
import org.mihub.api.federation.v1.Node;
import org.mihub.api.federation.v1.ResyncRequested;
import org.mihub.catalog.service.Card;
import org.mihub.catalog.service.DirectoryService;
import org.mihub.catalog.service.FederationNode;

/** The federation directory's domain types as {@code mihub.federation.v1} messages. */
public final class FederationMapper {

    private FederationMapper() {
    }

    public static Node toProto(FederationNode node) {
        Node.Builder proto = Node.newBuilder().setNode(node.node()).addAllOrganisations(node.organisations())
                .setGatewayUrl(node.gatewayUrl()).setOptimadeUrl(node.optimadeUrl())
                .setRegisteredAt(DatasetMapper.timestamp(node.registeredAt()));
        if (node.lastSeenAt() != null) {
            proto.setLastSeenAt(DatasetMapper.timestamp(node.lastSeenAt()));
        }
        return proto.build();
    }

    public static ResyncRequested toProto(DirectoryService.Resync resync) {
        return ResyncRequested.newBuilder().setNode(resync.node()).setRequestId(resync.requestId())
                .setRequestedAt(DatasetMapper.timestamp(resync.requestedAt())).build();
    }

    public static DatasetCard toProto(Card card) {
        DatasetCard.Builder proto = DatasetCard.newBuilder().setNode(card.node())
                .setDatasetId(card.datasetId().toString()).setVersion(card.version()).setTitle(card.title())
                .setDescription(card.description() == null ? "" : card.description()).setLicence(card.licence())
                .setOwnerOrg(card.ownerOrg()).setVisibility(DatasetMapper.toProto(card.visibility()))
                .addAllSharedWith(card.sharedWith()).setRowCount(card.rowCount()).addAllElements(card.elements())
                .setUpdatedAt(DatasetMapper.timestamp(card.updatedAt()));
        if (card.doi() != null) {
            proto.setDoi(card.doi());
        }
        if (card.embargoUntil() != null) {
            proto.setEmbargoUntil(DatasetMapper.timestamp(card.embargoUntil()))
                    .setEmbargoVisibility(DatasetMapper.toProto(card.embargoVisibility()));
        }
        for (Card.Property property : card.properties()) {
            CardProperty.Builder entry = CardProperty.newBuilder().setName(property.name())
                    .setUnit(property.unit() == null ? "" : property.unit()).setCount(property.count());
            if (property.min() != null) {
                entry.setMin(property.min());
            }
            if (property.max() != null) {
                entry.setMax(property.max());
            }
            proto.addProperties(entry);
        }
        return proto.build();
    }
}
