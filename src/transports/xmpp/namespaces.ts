/**
 * Our own XMPP namespace for what Cisco never specified (see src/transports/xmpp/README.md).
 * `<announce/>`: the server asks an agent to send its directed presence again. Needed after the
 * component was away: presence sent meanwhile was lost, and without it ejabberd would not tell us when
 * that session ends.
 */
export const NS_PNP_SERVER_XMPP = "urn:pnp-server:xmpp:0";
export const ANNOUNCE_IQ_PREFIX = "announce:";
