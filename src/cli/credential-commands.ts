import type { Command } from "commander";
import { ejabberdApiUrl } from "../config/load.js";
import { RedisCredentialStore } from "../store/credential-store.js";
import { createKeys } from "../store/keys.js";
import { EjabberdApi } from "../transports/xmpp/ejabberd-api.js";
import { CredentialError, type CredentialRecord, DeviceCredentials } from "../trust/credentials.js";
import { cliConfig, print, withRedis } from "./context.js";

/** Opens the credential service on the configured Redis and ejabberd API for one command. */
async function withCredentials<T>(run: (credentials: DeviceCredentials) => Promise<T>): Promise<T> {
  const config = cliConfig();
  return withRedis(config, (redis) =>
    run(
      new DeviceCredentials({
        store: new RedisCredentialStore(redis, createKeys(config.redisPrefix), config.eventStreamMaxLen),
        xmppDomain: config.xmppDomain,
        kicker: new EjabberdApi(ejabberdApiUrl(config)),
      }),
    ),
  );
}

const time = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : "-");

function formatRecord(r: CredentialRecord): string {
  const lines = [
    `id          ${r.id}`,
    `status      ${r.status}`,
    `generation  ${r.generation}`,
    `issued      ${time(r.issuedAt)}`,
    `rotated     ${time(r.rotatedAt)}`,
  ];
  if (r.status === "revoked") lines.push(`revoked     ${time(r.revokedAt)}: ${r.revokeReason ?? ""}`);
  return lines.join("\n");
}

/**
 * Adds `credentials issue|rotate|revoke|show` to pnpctl. A device logs in to ejabberd as `<id>@<domain>`
 * with the password issue/rotate prints once; only its salted hash is stored (ejabberd/CREDENTIALS.md).
 * Failures throw coded errors (CREDENTIALS_NOT_IN_INVENTORY, CREDENTIALS_EXIST, CREDENTIALS_NONE,
 * CREDENTIALS_KICK_FAILED, …) for the program's error handler.
 */
export function registerCredentialCommands(program: Command): void {
  const json = () => program.opts().json === true;
  const credentials = program
    .command("credentials")
    .description(
      "device login credentials for ejabberd (external auth from Redis; see ejabberd/CREDENTIALS.md)",
    );

  const showPassword = (issued: { id: string; jid: string; password: string; generation: number }) => {
    print(issued, json(), () =>
      [`device    ${issued.id}`, `jid       ${issued.jid}`, `password  ${issued.password}`].join("\n"),
    );
    process.stderr.write("This password is shown once and not stored; configure it on the device now.\n");
  };

  credentials
    .command("issue <id>")
    .description("create a credential for a device in the inventory and print its password (once)")
    .action(async (id: string) => {
      showPassword(await withCredentials((c) => c.issue(id)));
    });

  credentials
    .command("rotate <id>")
    .description("replace a device's password (the old one stops working at once) and print the new one")
    .option("--kick", "also end the device's live session now")
    .action(async (id: string, options: { kick?: boolean }) => {
      const issued = await withCredentials((c) => c.rotate(id, { kick: options.kick === true }));
      showPassword(issued);
      if (options.kick) process.stderr.write(`${issued.kicked} live session(s) kicked\n`);
    });

  credentials
    .command("revoke <id>")
    .description("end a device's ability to log in and kick its live session")
    .option("--reason <text>", "recorded with the credential and in the audit stream", "revoked")
    .action(async (id: string, options: { reason: string }) => {
      const result = await withCredentials((c) => c.revoke(id, options.reason));
      print(
        result,
        json(),
        () =>
          `${result.id} ${result.changed ? "revoked" : "was already revoked"}; ${result.kicked} live session(s) kicked`,
      );
    });

  credentials
    .command("show <id>")
    .description("a device's credential status (never the password or its hash)")
    .action(async (id: string) => {
      const record = await withCredentials((c) => c.show(id));
      if (!record)
        throw new CredentialError("CREDENTIALS_NONE", `${id.toLowerCase()} has no credential`, { id });
      print(record, json(), () => formatRecord(record));
    });
}
