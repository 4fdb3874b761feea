package org.mihub.planning.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The {@code prior_observation} table; used through {@link CampaignRepository}. */
@ApplicationScoped
public class PriorObservationRepository
        implements PanacheRepositoryBase<PriorObservationEntity, PriorObservationEntity.Key> {
}
