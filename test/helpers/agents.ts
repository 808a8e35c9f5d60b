import type { Element } from "ltx";
import { inject } from "vitest";
import { XmppAgent } from "../../src/agent/xmpp-agent.js";

export interface AgentOptions {
  username: string;
  password: string;
  directTls?: boolean;
  resource?: string;
  reconnect?: boolean;
  handle?: (request: Element, from: string) => Promise<Element>;
}

/** A simulated device connected to the suite's ejabberd: STARTTLS by default, direct TLS on request. */
export function createAgent(options: AgentOptions): XmppAgent {
  const stack = inject("stack");
  return new XmppAgent({
    // Direct TLS checks the certificate against the service host name, so use "localhost" (in the SANs).
    service: options.directTls
      ? `xmpps://localhost:${stack.ejabberdC2sTlsPort}`
      : `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
    domain: stack.xmppDomain,
    username: options.username,
    password: options.password,
    resource: options.resource ?? "pnp",
    serverJid: stack.componentDomain,
    reconnect: options.reconnect ?? false,
    handle:
      options.handle ??
      (async () => {
        throw new Error("this test device answers no requests");
      }),
  });
}
