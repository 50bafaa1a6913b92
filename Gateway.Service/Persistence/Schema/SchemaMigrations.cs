namespace Gateway.Service.Persistence.Schema;

/// <summary>Every schema version in order. Version 3 is the baseline: the schema as it stood before migrations were versioned.</summary>
internal static class SchemaMigrations
{
    /// <summary>The first version a new database is created at; databases of versions 1 and 2 are refused.</summary>
    public const int Baseline = 3;

    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(Baseline, "messages, outbox, attempts, inbound, consents, erasure requests, audit log", """
            CREATE TABLE IF NOT EXISTS outbound_messages (
                message_id TEXT PRIMARY KEY,
                peer_id TEXT NOT NULL,
                message_type TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                in_reply_to TEXT NULL,
                purpose TEXT NOT NULL,
                legal_basis TEXT NULL,
                consent_id TEXT NULL,
                justification TEXT NULL,
                disclosure_profile TEXT NOT NULL,
                disclosed_fields TEXT NOT NULL,
                submitted_by TEXT NOT NULL,
                idempotency_key TEXT NULL UNIQUE,
                envelope {blob} NULL,
                content {blob} NULL,
                content_erased_at BIGINT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                lease_until BIGINT NULL,
                last_error TEXT NULL,
                receipt {blob} NULL,
                delivered_at BIGINT NULL,
                updated_at BIGINT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbound_peer_state ON outbound_messages (peer_id, state);
            CREATE INDEX IF NOT EXISTS ix_outbound_consent ON outbound_messages (consent_id);
            CREATE INDEX IF NOT EXISTS ix_outbound_open ON outbound_messages (peer_id, state, created_at) WHERE state IN ('Queued', 'InFlight', 'RetryWaiting', 'Failed', 'Suspended');
            CREATE INDEX IF NOT EXISTS ix_outbound_peer_delivered ON outbound_messages (peer_id, delivered_at);
            CREATE TABLE IF NOT EXISTS message_transitions (
                seq {autoincrement},
                message_id TEXT NOT NULL,
                at BIGINT NOT NULL,
                state TEXT NOT NULL,
                reason TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_transitions_message ON message_transitions (message_id);
            CREATE TABLE IF NOT EXISTS peer_controls (
                peer_id TEXT PRIMARY KEY,
                suspended_at BIGINT NULL,
                suspended_by TEXT NULL);
            CREATE TABLE IF NOT EXISTS outbox (
                message_id TEXT PRIMARY KEY,
                publish_after BIGINT NOT NULL,
                lease_until BIGINT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbox_due ON outbox (publish_after);
            CREATE TABLE IF NOT EXISTS delivery_attempts (
                message_id TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                http_status INTEGER NULL,
                error_code TEXT NULL,
                PRIMARY KEY (message_id, attempt));
            CREATE TABLE IF NOT EXISTS inbound_messages (
                message_id TEXT PRIMARY KEY,
                sender_id TEXT NOT NULL,
                message_type TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                in_reply_to TEXT NULL,
                purpose TEXT NULL,
                legal_basis TEXT NULL,
                disclosure_profile TEXT NULL,
                created_at BIGINT NOT NULL,
                envelope {blob} NULL,
                envelope_sha256 TEXT NOT NULL,
                receipt {blob} NOT NULL,
                received_at BIGINT NOT NULL,
                processed_at BIGINT NULL,
                published_at BIGINT NULL,
                content_erased_at BIGINT NULL,
                erasure_reason TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_inbound_conversation ON inbound_messages (sender_id, conversation_id);
            CREATE INDEX IF NOT EXISTS ix_inbound_pending ON inbound_messages (received_at, message_id) WHERE processed_at IS NULL OR published_at IS NULL;
            CREATE TABLE IF NOT EXISTS consents (
                consent_id TEXT PRIMARY KEY,
                subject_ref TEXT NOT NULL,
                given_by TEXT NOT NULL,
                subject_minor INTEGER NOT NULL,
                child_heard INTEGER NOT NULL,
                scope TEXT NOT NULL,
                valid_from BIGINT NOT NULL,
                valid_until BIGINT NOT NULL,
                evidence_ref TEXT NOT NULL,
                recorded_at BIGINT NOT NULL,
                recorded_by TEXT NOT NULL,
                withdrawn_at BIGINT NULL,
                withdrawn_by TEXT NULL);
            CREATE TABLE IF NOT EXISTS erasure_requests (
                consent_id TEXT NOT NULL,
                peer_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                request_message_id TEXT NOT NULL UNIQUE,
                requested_at BIGINT NOT NULL,
                confirmed_at BIGINT NULL,
                confirmation_message_id TEXT NULL,
                PRIMARY KEY (consent_id, peer_id, conversation_id));
            CREATE TABLE IF NOT EXISTS audit_log (
                seq BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                message_id TEXT NULL,
                peer_id TEXT NULL,
                conversation_id TEXT NULL,
                detail TEXT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS audit_checkpoints (
                seq BIGINT PRIMARY KEY,
                hash TEXT NOT NULL,
                at BIGINT NOT NULL,
                signature {blob} NOT NULL);
            """),
        new(4, "people, units and cases; per-case data keys; consents belong to a case; content sealed under case keys", """
            CREATE TABLE key_epoch (
                id INTEGER PRIMARY KEY,
                epoch BIGINT NOT NULL);
            CREATE TABLE case_keys (
                key_id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL,
                wrapped {blob} NULL,
                kek_epoch BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                destroyed_at BIGINT NULL);
            CREATE INDEX ix_case_keys_case ON case_keys (case_id, created_at);
            CREATE TABLE cases (
                case_id TEXT PRIMARY KEY,
                unit_id TEXT NOT NULL,
                opened_at BIGINT NOT NULL,
                opened_by TEXT NOT NULL,
                origin_peer TEXT NULL,
                subject_ref TEXT NULL,
                erased_at BIGINT NULL,
                erasure_reason TEXT NULL);
            CREATE INDEX ix_cases_unit ON cases (unit_id, opened_at);
            CREATE INDEX ix_cases_subject ON cases (subject_ref);
            CREATE TABLE case_assignments (
                case_id TEXT NOT NULL,
                person_id TEXT NOT NULL,
                assigned_at BIGINT NOT NULL,
                assigned_by TEXT NOT NULL,
                PRIMARY KEY (case_id, person_id));
            CREATE TABLE case_access_grants (
                grant_id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL,
                person_id TEXT NOT NULL,
                reason_code TEXT NOT NULL,
                note {blob} NULL,
                note_sha256 TEXT NULL,
                granted_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL);
            CREATE INDEX ix_case_access_grants ON case_access_grants (case_id, person_id, expires_at);
            CREATE TABLE people (
                person_id TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                roles TEXT NOT NULL,
                units TEXT NOT NULL,
                last_sign_in BIGINT NOT NULL);
            ALTER TABLE consents ADD COLUMN case_id TEXT NULL;
            ALTER TABLE consents ADD COLUMN withdrawal_reason TEXT NULL;
            CREATE INDEX ix_consents_subject ON consents (subject_ref);
            CREATE INDEX ix_consents_case ON consents (case_id);
            ALTER TABLE outbound_messages ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE outbound_messages ADD COLUMN justification_sealed {blob} NULL;
            ALTER TABLE outbound_messages ADD COLUMN justification_sha256 TEXT NULL;
            CREATE INDEX ix_outbound_conversation ON outbound_messages (conversation_id, peer_id);
            ALTER TABLE inbound_messages ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX ix_inbound_conversation_id ON inbound_messages (conversation_id, sender_id);
            CREATE INDEX ix_audit_conversation ON audit_log (conversation_id, seq);
            CREATE TABLE data_upgrades (
                name TEXT PRIMARY KEY,
                completed_at BIGINT NOT NULL);
            """),
    ];

    public static int Latest => All[^1].Version;
}
