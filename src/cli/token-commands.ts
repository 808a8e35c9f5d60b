// `pnpctl token …`: the server authorization token's signing authority and tokens (src/trust/TOKEN.md).

import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { Config } from "../config/schema.js";
import { createKeys } from "../store/keys.js";
import { redisNow } from "../store/redis.js";
import { RedisTokenStore, type StoredToken, tokenStatus } from "../store/token-store.js";
import {
  initSigningAuthority,
  loadSigningAuthority,
  type SigningAuthority,
  tokenCaDir,
} from "../trust/signing-authority.js";
import { type SignedToken, signRevocationList, signToken, verifyToken } from "../trust/token.js";
import { cliConfig, print, withRedis } from "./context.js";

const DAY_MS = 24 * 60 * 60 * 1000;

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a number > 0");
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function withTokens<T>(
  config: Config,
  run: (store: RedisTokenStore, now: number) => Promise<T>,
): Promise<T> {
  return withRedis(config, async (redis) =>
    run(new RedisTokenStore(redis, createKeys(config.redisPrefix)), await redisNow(redis)),
  );
}

export interface IssueOptions {
  serverJid?: string;
  httpsHost?: string;
  validDays: number;
  notBefore?: string;
  udi?: string[];
  deploymentId?: string;
}

/** Signs a token with the authority (no storage). */
export function issueWithAuthority(
  authority: SigningAuthority,
  config: Config,
  options: IssueOptions,
): SignedToken {
  const notBefore = options.notBefore ? new Date(options.notBefore) : new Date();
  if (Number.isNaN(notBefore.getTime())) throw new InvalidArgumentError("--not-before must be an ISO date");
  let notAfter = new Date(notBefore.getTime() + options.validDays * DAY_MS);
  // Never outlive the signing certificate: agents would refuse the token from then on anyway.
  const signerEnd = authority.signer.cert.validity.notAfter;
  if (notAfter > signerEnd) notAfter = new Date(signerEnd);
  return signToken(authority.signer, {
    deployment: options.deploymentId ?? config.tokenDeploymentId ?? authority.meta.deploymentId,
    ...(options.serverJid !== undefined ? { serverJid: options.serverJid } : {}),
    ...(options.httpsHost !== undefined ? { httpsHost: options.httpsHost } : {}),
    ...(options.udi && options.udi.length > 0 ? { udis: options.udi } : {}),
    notBefore,
    notAfter,
  });
}

/** Re-signs the revocation list from the store's revocations and stores it for the component to hand out. */
export async function publishRevocationList(
  store: RedisTokenStore,
  authority: SigningAuthority,
  config: Config,
): Promise<string> {
  const revoked = (await store.revocations()).map((r) => ({ jti: r.id, at: Math.floor(r.at / 1000) }));
  const { jws } = signRevocationList(authority.signer, {
    deployment: config.tokenDeploymentId ?? authority.meta.deploymentId,
    revoked,
  });
  await store.setRevocationList(jws);
  return jws;
}

function describeToken(t: StoredToken, now: number): string {
  const server = [t.serverJid && `jid=${t.serverJid}`, t.httpsHost && `https=${t.httpsHost}`]
    .filter(Boolean)
    .join(" ");
  const scope = t.udis ? `${t.udis.length} UDI(s)` : "all devices";
  return [
    t.id,
    tokenStatus(t, now).padEnd(8),
    new Date(t.notBefore).toISOString(),
    new Date(t.notAfter).toISOString(),
    server,
    scope,
    t.deployment,
  ].join("  ");
}

export function registerTokenCommands(program: Command): void {
  const token = program
    .command("token")
    .description("server authorization tokens: the signing authority, issuing, listing and revoking tokens");
  const json = () => program.opts().json === true;

  token
    .command("ca-init")
    .description("create the token signing authority (root + token-signing certificate), or import one")
    .option("--dir <dir>", "where to keep it (default: PNP_TOKEN_CA_DIR, else <dataDir>/token-ca)")
    .option("--deployment-id <id>", "this deployment's id, written into every token (default: a new UUID)")
    .option("--organization <name>", "organizationName of created certificates")
    .option("--root-cn <name>", "commonName of the created root")
    .option(
      "--signer-cn <name>",
      "commonName of the created token-signing certificate (tokens name it as iss)",
    )
    .addOption(new Option("--root-days <n>", "root validity in days").argParser(positiveNumber))
    .addOption(
      new Option("--signer-days <n>", "signing certificate validity in days").argParser(positiveNumber),
    )
    .option("--import-root <file>", "import: the root certificate (PEM) agents trust")
    .option("--import-signer <file>", "import: the token-signing certificate, then any intermediates (PEM)")
    .option("--import-signer-key <file>", "import: the signing certificate's private key (PEM)")
    .option("--force", "replace an existing authority (agents trusting its root refuse new tokens)")
    .action((o) => {
      const config = cliConfig();
      const dir = (o.dir as string | undefined) ?? tokenCaDir(config);
      const importing = [o.importRoot, o.importSigner, o.importSignerKey].filter(Boolean).length;
      if (importing !== 0 && importing !== 3) {
        throw new InvalidArgumentError(
          "import needs --import-root, --import-signer and --import-signer-key together",
        );
      }
      const authority = initSigningAuthority({
        dir,
        deploymentId: o.deploymentId ?? config.tokenDeploymentId,
        organizationName: o.organization,
        rootCommonName: o.rootCn,
        signerCommonName: o.signerCn,
        rootValidityDays: o.rootDays,
        signerValidityDays: o.signerDays,
        force: o.force === true,
        ...(importing === 3
          ? {
              import: {
                rootCertPem: readFileSync(o.importRoot, "utf8"),
                signerCertPem: readFileSync(o.importSigner, "utf8"),
                signerKeyPem: readFileSync(o.importSignerKey, "utf8"),
              },
            }
          : {}),
      });
      const summary = {
        dir: authority.paths.dir,
        deploymentId: authority.meta.deploymentId,
        trustAnchor: authority.paths.rootCertPath,
        signer: authority.signer.cert.subject.getField("CN")?.value as string,
        signerNotAfter: authority.signer.cert.validity.notAfter.toISOString(),
        imported: authority.meta.imported,
      };
      print(summary, json(), () =>
        [
          `token signing authority in ${summary.dir}`,
          `deployment id   ${summary.deploymentId}`,
          `trust anchor    ${summary.trustAnchor}  (give this root to agents)`,
          `signer          ${summary.signer}, valid until ${summary.signerNotAfter}`,
        ].join("\n"),
      );
    });

  token
    .command("issue")
    .description("sign a token bound to a server (and optionally to UDIs) and store it for the component")
    .option("--server-jid <jid>", "the server JID agents talk to (default: PNP_COMPONENT_DOMAIN)")
    .option("--https-host <host>", "the HTTPS host agents talk to")
    .addOption(
      new Option("--valid-days <n>", "validity from --not-before").argParser(positiveNumber).default(30),
    )
    .option("--not-before <iso>", "start of validity (default: now)")
    .option("--udi <udi>", "cover only this device (repeatable)", collect)
    .option("--deployment-id <id>", "override the authority's deployment id")
    .option("--dir <dir>", "the signing authority (default: PNP_TOKEN_CA_DIR, else <dataDir>/token-ca)")
    .action(async (o) => {
      const config = cliConfig();
      const authority = loadSigningAuthority((o.dir as string | undefined) ?? tokenCaDir(config));
      const signed = issueWithAuthority(authority, config, {
        serverJid: o.serverJid ?? config.componentDomain,
        httpsHost: o.httpsHost,
        validDays: o.validDays,
        notBefore: o.notBefore,
        udi: o.udi,
        deploymentId: o.deploymentId,
      });
      await withTokens(config, (store) => store.save(RedisTokenStore.fromJws(signed.jws)));
      print({ id: signed.claims.jti, claims: signed.claims, jws: signed.jws }, json(), () =>
        [
          `issued token ${signed.claims.jti}`,
          `  server    ${JSON.stringify(signed.claims.server)}`,
          `  valid     ${new Date(signed.claims.nbf * 1000).toISOString()} .. ${new Date(signed.claims.exp * 1000).toISOString()}`,
          `  covers    ${signed.claims.udis ? signed.claims.udis.join(", ") : "all devices"}`,
          `  deployment ${signed.claims.deployment}`,
        ].join("\n"),
      );
    });

  token
    .command("list")
    .description("list stored tokens with their status (active, pending, expired, revoked)")
    .action(async () => {
      const config = cliConfig();
      await withTokens(config, async (store, now) => {
        const tokens = await store.list();
        print(
          tokens.map((t) => ({ ...t, jws: undefined, status: tokenStatus(t, now) })),
          json(),
          () =>
            tokens.length === 0
              ? "no tokens"
              : [
                  "id  status  notBefore  notAfter  server  scope  deployment",
                  ...tokens.map((t) => describeToken(t, now)),
                ].join("\n"),
        );
      });
    });

  token
    .command("revoke <id>")
    .description(
      "revoke a token: the component stops presenting it, and a new signed revocation list is published",
    )
    .option("--reason <text>", "why", "revoked by operator")
    .option("--dir <dir>", "the signing authority, to sign the revocation list")
    .action(async (id: string, o) => {
      const config = cliConfig();
      await withTokens(config, async (store, now) => {
        const revoked = await store.revoke(id, o.reason, now);
        if (!revoked) throw new Error(`no token ${id}`);
        let published = false;
        let warning: string | undefined;
        try {
          const authority = loadSigningAuthority((o.dir as string | undefined) ?? tokenCaDir(config));
          await publishRevocationList(store, authority, config);
          published = true;
        } catch (err) {
          warning = `revoked in Redis, but no signed revocation list was published: ${(err as Error).message}`;
        }
        if (warning) process.stderr.write(`warning: ${warning}\n`);
        print(
          { id, revokedAt: revoked.revokedAt, reason: revoked.revokeReason, published },
          json(),
          () => `revoked ${id}${published ? " (revocation list published)" : ""}`,
        );
      });
    });

  token
    .command("revocations")
    .description("print the current signed revocation list (a compact JWS) to provision agents with")
    .action(async () => {
      const config = cliConfig();
      await withTokens(config, async (store) => {
        const list = await store.revocationList();
        if (!list) throw new Error("no revocation list published yet (nothing revoked)");
        process.stdout.write(`${list}\n`);
      });
    });

  token
    .command("verify <file>")
    .description("verify a token (compact JWS in a file, - for stdin) as an agent would")
    .requiredOption("--trust-anchor <pem>", "root certificate(s) the agent trusts")
    .requiredOption("--deployment-id <id>", "the agent's deployment id")
    .option("--server-jid <jid>", "the server JID the agent talks to")
    .option("--https-host <host>", "the HTTPS host the agent talks to")
    .option("--udi <udi>", "the agent's UDI")
    .action((file: string, o) => {
      if (!o.serverJid && !o.httpsHost)
        throw new InvalidArgumentError("give --server-jid and/or --https-host");
      const jws = readFileSync(file === "-" ? 0 : file, "utf8").trim();
      const verdict = verifyToken(jws, {
        trustAnchors: readFileSync(o.trustAnchor, "utf8"),
        deploymentId: o.deploymentId,
        expect: {
          ...(o.serverJid ? { serverJid: o.serverJid as string } : {}),
          ...(o.httpsHost ? { httpsHost: o.httpsHost as string } : {}),
        },
        ...(o.udi ? { udi: o.udi as string } : {}),
      });
      print(verdict, json(), () =>
        verdict.ok
          ? `valid: token ${verdict.claims.jti} signed by ${verdict.signer.commonName}`
          : `${verdict.reason} (${verdict.code}): ${verdict.detail}`,
      );
      if (!verdict.ok) process.exitCode = 3;
    });
}
