import { PnpError } from "../../errors.js";

export interface ConnectedSession {
  /** Full JID user@host/resource. */
  jid: string;
  ip?: string;
  node?: string;
}

/** ejabberd's HTTP API (mod_http_api), on loopback: connected sessions, accounts, kicks. */
export class EjabberdApi {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async call<T>(command: string, body: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/${command}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new PnpError(
        "PNP_EJABBERD_API_UNREACHABLE",
        `ejabberd API ${command} failed: ${(err as Error).message}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new PnpError(
        "PNP_EJABBERD_API_ERROR",
        `ejabberd API ${command} answered ${response.status}: ${text.slice(0, 300)}`,
        {
          status: response.status,
        },
      );
    }
    return JSON.parse(text) as T;
  }

  async connectedSessions(): Promise<ConnectedSession[]> {
    const rows = await this.call<{ jid: string; ip?: string; node?: string }[]>("connected_users_info");
    return rows.map((row) => ({ jid: row.jid, ip: row.ip, node: row.node }));
  }

  async register(user: string, host: string, password: string): Promise<"created" | "exists"> {
    try {
      await this.call("register", { user, host, password });
      return "created";
    } catch (err) {
      if (err instanceof PnpError && err.details?.status === 409) return "exists";
      throw err;
    }
  }

  async changePassword(user: string, host: string, newpass: string): Promise<void> {
    await this.call("change_password", { user, host, newpass });
  }

  async unregister(user: string, host: string): Promise<void> {
    await this.call("unregister", { user, host });
  }

  /** Ends every session of an account; ejabberd 23.01 answers {"num_resources": n} (older ones a bare n). */
  async kickUser(user: string, host: string): Promise<number> {
    const reply = await this.call<number | { num_resources: number }>("kick_user", { user, host });
    return typeof reply === "number" ? reply : reply.num_resources;
  }

  async status(): Promise<string> {
    return this.call<string>("status");
  }
}
