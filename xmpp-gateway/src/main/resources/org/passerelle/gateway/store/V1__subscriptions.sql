-- Version 1 of the subscription store. Runs unchanged on SQLite and PostgreSQL: standard types
-- only, instants as epoch milliseconds (BIGINT), enum values as their code() strings.
-- Column sizes match the limits in StoredValues.java.

-- Presence authorisations: the long-lived XMPP "subscription" (RFC 8048 §1), one per local SIP
-- user, remote XMPP contact and direction. The key's order also serves paging at restart.
CREATE TABLE presence_authorization (
  local_jid  VARCHAR(1023) NOT NULL,
  remote_jid VARCHAR(1023) NOT NULL,
  direction  VARCHAR(16)   NOT NULL,
  state      VARCHAR(16)   NOT NULL,
  created_at BIGINT        NOT NULL,
  updated_at BIGINT        NOT NULL,
  PRIMARY KEY (local_jid, remote_jid, direction),
  -- Each direction has one pending state (Direction.pendingState()).
  CONSTRAINT presence_authorization_state CHECK (
    (direction = 'XMPP_WATCHES_SIP' AND state IN ('PENDING_IN', 'GRANTED'))
    OR (direction = 'SIP_WATCHES_XMPP' AND state IN ('PENDING_OUT', 'GRANTED')))
);

-- SIP SUBSCRIBE dialogs (RFC 3261 §12.1, RFC 6665), each carrying one authorisation; a user with
-- several devices has several. Deleting the authorisation deletes its dialogs.
CREATE TABLE sip_dialog (
  call_id       VARCHAR(255)  NOT NULL,
  local_tag     VARCHAR(128)  NOT NULL,
  local_jid     VARCHAR(1023) NOT NULL,
  remote_jid    VARCHAR(1023) NOT NULL,
  direction     VARCHAR(16)   NOT NULL,
  -- NULL until a response or NOTIFY carries the peer's tag.
  remote_tag    VARCHAR(128),
  local_uri     VARCHAR(2048) NOT NULL,
  remote_uri    VARCHAR(2048) NOT NULL,
  remote_target VARCHAR(2048) NOT NULL,
  -- Route header values in order, one per line; empty for none.
  route_set     VARCHAR(8192) NOT NULL,
  local_cseq    BIGINT        NOT NULL,
  -- NULL until the peer sends a request in the dialog.
  remote_cseq   BIGINT,
  expires_at    BIGINT        NOT NULL,
  PRIMARY KEY (call_id, local_tag),
  CONSTRAINT sip_dialog_authorization FOREIGN KEY (local_jid, remote_jid, direction)
    REFERENCES presence_authorization (local_jid, remote_jid, direction) ON DELETE CASCADE
);

-- Dialogs to refresh (or to drop) soonest first, per direction.
CREATE INDEX sip_dialog_expiry ON sip_dialog (direction, expires_at);

-- The dialogs of one authorisation; also what the cascading delete looks up.
CREATE INDEX sip_dialog_by_authorization ON sip_dialog (local_jid, remote_jid, direction);

-- The last presence of each remote XMPP contact, as PIDF, to answer SIP watchers after a restart.
CREATE TABLE contact_presence (
  contact_jid VARCHAR(1023)  NOT NULL PRIMARY KEY,
  pidf        VARCHAR(16384) NOT NULL,
  updated_at  BIGINT         NOT NULL
);
