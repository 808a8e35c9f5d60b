import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../../src/config/load.js";
import { type StackInfo, startLocalStack } from "../../src/localstack/stack.js";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackInfo & { componentSecret: string; dataDir: string };
  }
}

/**
 * One real Redis and one real ejabberd for the integration suite, on free loopback ports, in a temp
 * folder. Test files run one after another and each uses its own Redis key prefix and device names.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), "pnp-it-"));
  const config = loadConfig(
    {
      dataDir,
      xmppDomain: "pnp.test",
      componentDomain: "pnpserver.pnp.test",
      componentSecret: "integration-secret",
      // Short mod_ping so silent deaths are noticed within seconds in tests.
      pingIntervalSec: 5,
      pingAckTimeoutSec: 3,
    },
    {},
  );
  const stack = await startLocalStack({ config, freePorts: true, forceLocalRedis: true });
  // Test devices trust our development CA; forked workers inherit this before Node reads it at start-up.
  process.env.NODE_EXTRA_CA_CERTS = stack.info.caCertPath;
  project.provide("stack", { ...stack.info, componentSecret: config.componentSecret, dataDir });
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
