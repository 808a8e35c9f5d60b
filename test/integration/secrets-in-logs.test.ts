// Secrets never reach the logs. A real `pnpctl serve` child process runs at PNP_LOG_LEVEL=trace with
// unique, recognisable secrets: its component secret (against an ejabberd of this file's own that expects
// exactly that secret), a Redis URL with a password (an ACL user created for this file on the suite's
// Redis, which really checks it), simulated devices' XMPP passwords, and passwords inside a cli-config job
// that passes through the server to a device and back. After a device-info round trip and that job, the
// server is stopped, and everything it wrote to stdout and stderr is searched for every secret.

import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDevice } from "../../src/agent/model/index.js";
import { SimulatedDevice } from "../../src/agent/simulated-device.js";
import { type LocalEjabberd, startLocalEjabberd } from "../../src/localstack/ejabberd.js";
import { createKeys } from "../../src/store/keys.js";
import { createRedis, type PnpRedis } from "../../src/store/redis.js";
import { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";
import { type StreamEvent, streamTail, waitForEvents } from "../helpers/events.js";
import { testConfig, testRedis } from "../helpers/fixtures.js";
import { lineMatching, pnpctl, serverEnv } from "../helpers/server-process.js";

interface Output {
  stdout: string;
  stderr: string;
}

/** Collects everything a child writes, from the moment it is spawned. */
function collect(child: ChildProcess): { output: Output; exited: Promise<number | null> } {
  const output: Output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d: Buffer) => {
    output.stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output.stderr += d.toString();
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { output, exited };
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<Output & { code: number | null }> {
  const { output, exited } = collect(pnpctl(args, env));
  const code = await exited;
  return { ...output, code };
}

/** Every way a secret could be written out: as is, URL-encoded, base64, JSON-escaped. */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("hex"),
    JSON.stringify(secret).slice(1, -1),
  ];
}

describe("secrets never reach pnpctl serve's output, even at trace level", () => {
  const stack = inject("stack");
  const tag = randomBytes(4).toString("hex");
  // Hex, not base64url: the leak check cuts the random part at the last "-", which base64url may contain
  // (a 2-character "random part" then matched ordinary log text by chance).
  const secret = (name: string) => `${name}-${tag}-${randomBytes(9).toString("hex")}`;
  const secrets = {
    componentSecret: secret("ComponentSecret"),
    redisPassword: secret("RedisPassword"),
    devicePasswords: [secret("DevicePassword"), secret("DevicePassword")],
    configSecret: secret("EnableSecret"),
    configPassword: secret("UserPassword"),
  };
  const allSecrets = (): [string, string][] => [
    ["component secret", secrets.componentSecret],
    ["redis password", secrets.redisPassword],
    ...secrets.devicePasswords.map((p, i): [string, string] => [`device ${i} password`, p]),
    ["enable secret in a job", secrets.configSecret],
    ["user password in a job", secrets.configPassword],
  ];
  const redisUser = `pnp-secrets-${tag}`;
  const prefix = `sec${tag}`;
  const dir = mkdtempSync(join(tmpdir(), "pnp-secrets-"));
  let ejabberd: LocalEjabberd;
  let admin: PnpRedis;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess;
  let serverOutput: Output;
  let serverExited: Promise<number | null>;
  const cliOutputs: Output[] = [];
  const devices: SimulatedDevice[] = [];

  beforeAll(async () => {
    // ejabberd expecting exactly our component secret.
    ejabberd = await startLocalEjabberd({
      dir: join(dir, "ejabberd"),
      xmppDomain: stack.xmppDomain,
      componentDomain: stack.componentDomain,
      componentSecret: secrets.componentSecret,
      certFile: join(stack.dataDir, "certs", "ejabberd.pem"),
    });
    // A Redis user of our own, with a password the suite's Redis really checks.
    admin = testRedis(testConfig());
    await admin.call("ACL", "SETUSER", redisUser, "on", `>${secrets.redisPassword}`, "~*", "&*", "+@all");
    const redisUrl = new URL(stack.redisUrl);
    redisUrl.username = redisUser;
    redisUrl.password = secrets.redisPassword;
    const withPassword = createRedis(redisUrl.toString(), { maxRetriesPerRequest: 1 });
    expect(await withPassword.ping()).toBe("PONG");
    withPassword.disconnect();
    const wrong = new URL(redisUrl);
    wrong.password = "not-the-password";
    const refused = createRedis(wrong.toString(), { maxRetriesPerRequest: 0, retryStrategy: () => null });
    refused.on("error", () => undefined);
    await expect(refused.ping()).rejects.toThrow();
    refused.disconnect();

    env = serverEnv(prefix, {
      PNP_DATA_DIR: join(dir, "data"),
      PNP_COMPONENT_SECRET: secrets.componentSecret,
      PNP_EJABBERD_COMPONENT_PORT: String(ejabberd.ports.component),
      PNP_EJABBERD_C2S_PORT: String(ejabberd.ports.c2s),
      PNP_EJABBERD_C2S_TLS_PORT: String(ejabberd.ports.c2sTls),
      PNP_EJABBERD_API_PORT: String(ejabberd.ports.api),
      PNP_REDIS_URL: redisUrl.toString(),
      PNP_LOG_LEVEL: "trace",
      PNP_LOG_PRETTY: "0",
      PNP_RECONCILE_INTERVAL_MS: "0",
    });
    server = pnpctl(["serve"], env);
    ({ output: serverOutput, exited: serverExited } = collect(server));
    await lineMatching(server, /PnP server running/);

    // Simulated devices logging in with recognisable passwords.
    const api = new EjabberdApi(ejabberd.apiUrl);
    const events = createKeys(prefix).events();
    const from = await streamTail(admin, events);
    for (const [i, password] of secrets.devicePasswords.entries()) {
      const serial = `SEC${tag.toUpperCase()}${i}`;
      const username = serial.toLowerCase();
      await api.register(username, stack.xmppDomain, password);
      const device = new SimulatedDevice({
        model: createDevice({ pid: "C9300-24P", serial }),
        service: `xmpp://127.0.0.1:${ejabberd.ports.c2s}`,
        domain: stack.xmppDomain,
        username,
        password,
        serverJid: stack.componentDomain,
        reconnect: false,
      });
      devices.push(device);
      await device.start();
    }
    await waitForEvents(admin, events, (e: StreamEvent) => e.type === "presence" && e.state === "up", {
      count: devices.length,
      fromId: from,
    });
  });

  afterAll(async () => {
    await Promise.all(devices.map((d) => d.stop()));
    if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    await admin?.call("ACL", "DELUSER", redisUser).catch(() => undefined);
    admin?.disconnect();
    await ejabberd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a device-info round trip goes through the server", async () => {
    const device = devices[0]!;
    const result = await run(["--json", "device-info", device.username, "--timeout", "15000"], env);
    cliOutputs.push(result);
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout) as { udi: string };
    expect(record.udi).toMatch(new RegExp(`^PID:C9300-24P,VID:[^,]*,SN:SEC${tag.toUpperCase()}0$`));
  });

  it("a cli-config job carrying passwords goes through the server to both devices", async () => {
    const configFile = join(dir, "secret-config.txt");
    writeFileSync(
      configFile,
      [
        `enable secret 0 ${secrets.configSecret}`,
        `username pnpadmin privilege 15 password 0 ${secrets.configPassword}`,
        `hostname sec-${tag}`,
      ].join("\n"),
    );
    const result = await run(
      [
        "--json",
        "job",
        "create",
        "--devices",
        devices.map((d) => d.username).join(","),
        "--service",
        "cli-config",
        "--config-file",
        configFile,
        "--timeout",
        "20000",
        "--watch",
      ],
      env,
    );
    cliOutputs.push(result);
    expect(result.code, `${result.stderr}\n${result.stdout.slice(-2000)}`).toBe(0);
    const { job } = JSON.parse(result.stdout) as { job: { state: string; counts: { succeeded: number } } };
    expect(job).toMatchObject({ state: "completed", counts: { succeeded: devices.length } });
    // The devices really applied the lines: the secret went all the way through.
    for (const device of devices) {
      expect(device.model.runningConfig()).toContain(`hostname sec-${tag}`);
    }
  });

  it("stops, and nothing it wrote contains any secret", async () => {
    server.kill("SIGTERM");
    expect(await serverExited).toBe(0);
    const everything = `${serverOutput.stdout}\n${serverOutput.stderr}`;
    // The run was really logged at trace level, through the paths that carry the secrets: connection,
    // presence, task delivery and answers (so an empty or silent log cannot pass).
    const lines = serverOutput.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    const messages = new Set(lines.map((l) => l.msg));
    for (const msg of [
      "component online",
      "device presence",
      "task sent",
      "task answered",
      "shutting down",
    ]) {
      expect(messages, msg).toContain(msg);
    }
    expect(lines.some((l) => l.level <= 20)).toBe(true);
    for (const device of devices) expect(everything).toContain(device.username);

    const leaks: string[] = [];
    for (const [what, value] of allSecrets()) {
      for (const form of forms(value)) if (everything.includes(form)) leaks.push(`${what} (as ${form})`);
      // The server's own output must not hold even the part after the recognisable prefix.
      if (everything.includes(value.slice(value.lastIndexOf("-") + 1)))
        leaks.push(`${what} (its random part)`);
    }
    expect(leaks, "secrets found in pnpctl serve's stdout/stderr").toEqual([]);
  });

  it("the CLI commands print no connection secrets either", () => {
    expect(cliOutputs.length).toBe(2);
    const everything = cliOutputs.map((o) => `${o.stdout}\n${o.stderr}`).join("\n");
    const leaks = allSecrets()
      // The job's own request (config lines) is the user's input; the CLI may show it back.
      .filter(([what]) => !what.includes("in a job"))
      .filter(([, value]) => forms(value).some((form) => everything.includes(form)))
      .map(([what]) => what);
    expect(leaks).toEqual([]);
  });
});
