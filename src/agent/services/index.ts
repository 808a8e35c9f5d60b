// The service modules of the simulated agent, by PnP service name.

import type { ServiceName } from "../../protocol/index.js";
import { backoffService } from "./backoff.js";
import { capabilityService } from "./capability.js";
import { certificateInstallService } from "./certificate-install.js";
import { cliConfigService } from "./cli-config.js";
import { cliExecService } from "./cli-exec.js";
import { configUpgradeService } from "./config-upgrade.js";
import type { ServiceHandler } from "./context.js";
import { deviceInfoService } from "./device-info.js";
import { fileTransferService } from "./file-transfer.js";
import { imageInstallService } from "./image-install.js";
import { licensingService } from "./licensing.js";
import { redirectionService } from "./redirection.js";
import { reloadService } from "./reload.js";
import { scriptService } from "./script.js";
import { tagService } from "./tag.js";
import { topologyService } from "./topology.js";

export { AGENT_FEATURES, capabilityOf } from "./capability.js";
export * from "./context.js";

export const SERVICE_HANDLERS: { readonly [S in ServiceName]: ServiceHandler<S> } = Object.freeze({
  backoff: backoffService,
  capability: capabilityService,
  "certificate-install": certificateInstallService,
  "cli-config": cliConfigService,
  "cli-exec": cliExecService,
  "config-upgrade": configUpgradeService,
  "device-info": deviceInfoService,
  "file-transfer": fileTransferService,
  "image-install": imageInstallService,
  licensing: licensingService,
  redirection: redirectionService,
  reload: reloadService,
  script: scriptService,
  tag: tagService,
  topology: topologyService,
});

/** Every service the simulator implements. */
export const IMPLEMENTED_SERVICES: readonly ServiceName[] = Object.freeze(
  Object.keys(SERVICE_HANDLERS) as ServiceName[],
);

/** The default set a simulated agent answers: all of them (shared, never mutated). */
export const ALL_SERVICES: ReadonlySet<ServiceName> = new Set(IMPLEMENTED_SERVICES);
