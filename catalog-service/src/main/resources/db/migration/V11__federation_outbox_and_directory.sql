-- Federation (issue 24): dataset cards leave a node through an outbox, and the hub keeps a directory.
--
-- outbox: every card change, written in the transaction of the change (dataset created, sharing or
-- visibility changed, ingest committed, dataset deleted, embargo lifted, resync). A relay publishes
-- unsent rows in id order to NATS JetStream with Nats-Msg-Id '<node>:<id>' and sets sent_at on the
-- stream's acknowledgement; a failed publish counts an attempt and keeps the row. Rows are kept after
-- sending: the latest row of a dataset says whether its card is out there (a later PRIVATE or deletion
-- then sends a tombstone; a dataset never published sends nothing).
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    subject     TEXT        NOT NULL,
    message_id  TEXT        NOT NULL UNIQUE,
    dataset_id  UUID,
    tombstone   BOOLEAN     NOT NULL DEFAULT false,
    payload     JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    last_error  TEXT
);

CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_dataset ON outbox (dataset_id, id);

-- The directory, used at the hub only (mihub.federation.hub=true): the registered nodes ...
CREATE TABLE federation_node (
    node          TEXT PRIMARY KEY CHECK (node ~ '^[a-z0-9-]{1,40}$'),
    organisations TEXT[]      NOT NULL CHECK (cardinality(organisations) >= 1),
    gateway_url   TEXT        NOT NULL,
    optimade_url  TEXT        NOT NULL DEFAULT '',
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at  TIMESTAMPTZ
);

-- ... and the cards they published: upserted by (node, dataset, version), the latest version of each
-- dataset kept (a newer version replaces the older rows, an older one is ignored), every row of a
-- dataset removed by its tombstone. The sharing columns are the card's, so the suite's access rule is
-- applied to them in SQL (with the embargo) as to datasets.
CREATE TABLE federation_card (
    node               TEXT        NOT NULL REFERENCES federation_node (node),
    dataset_id         UUID        NOT NULL,
    version            INTEGER     NOT NULL,
    owner_org          TEXT        NOT NULL,
    visibility         TEXT        NOT NULL CHECK (visibility IN ('SHARED', 'CONSORTIUM', 'PUBLIC')),
    shared_with        TEXT[]      NOT NULL DEFAULT '{}',
    embargo_until      TIMESTAMPTZ,
    embargo_visibility TEXT        CHECK (embargo_visibility IN ('SHARED', 'CONSORTIUM', 'PUBLIC')),
    title              TEXT        NOT NULL,
    description        TEXT        NOT NULL DEFAULT '',
    card               JSONB       NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    received_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (node, dataset_id, version)
);

CREATE INDEX federation_card_owner ON federation_card (owner_org);
