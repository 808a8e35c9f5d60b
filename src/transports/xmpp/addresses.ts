// The XMPP transport's edge between device ids and JIDs. A device's id is its account name, the local
// part of its JID (for real and simulated devices alike: the serial number in lower case).

/** The device id of a JID in our device domain, or undefined for anything else. */
export function deviceIdOf(
  jid: { local: string; domain: string } | null | undefined,
  xmppDomain: string,
): string | undefined {
  if (!jid?.local || jid.domain !== xmppDomain) return undefined;
  return jid.local;
}

export function deviceJid(deviceId: string, xmppDomain: string, resource?: string): string {
  return resource ? `${deviceId}@${xmppDomain}/${resource}` : `${deviceId}@${xmppDomain}`;
}
