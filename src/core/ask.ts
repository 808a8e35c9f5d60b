import { buildRequest, newCorrelator, type ServiceRequest } from "../protocol/index.js";
import type { TaskRecord, TaskStore } from "./tasks.js";

/** How long each service may take on a device before its task times out. */
export const SERVICE_TIMEOUT_MS: Record<string, number> = {
  "device-info": 30_000,
  "cli-exec": 120_000,
  "cli-config": 120_000,
  "config-upgrade": 600_000,
  "image-install": 3_600_000,
  "file-transfer": 1_800_000,
  licensing: 300_000,
  script: 600_000,
};

export type RequestBody = ServiceRequest extends infer R
  ? R extends { correlator?: string }
    ? Omit<R, "correlator">
    : never
  : never;

/**
 * Queues one service request for one device and waits for its final state. Delivery, retries and the
 * device's answer happen in whichever server instance holds the device; this only needs the store.
 */
export async function askDevice(
  tasks: TaskStore,
  device: string,
  request: RequestBody,
  { timeoutMs, maxAttempts = 1 }: { timeoutMs?: number; maxAttempts?: number } = {},
): Promise<TaskRecord> {
  const correlator = newCorrelator({ service: request.service });
  // Refuse a request the codec cannot build before it is queued (throws PnpProtocolError PNP_BUILD_INVALID).
  buildRequest({ udi: "PID:VALIDATE,VID:,SN:VALIDATE" }, { ...request, correlator } as ServiceRequest);
  const timeout = timeoutMs ?? SERVICE_TIMEOUT_MS[request.service] ?? 60_000;
  await tasks.enqueue({
    correlator,
    device,
    service: request.service,
    request,
    timeoutMs: timeout,
    maxAttempts,
  });
  // Wait a little longer than the task's own deadline: the sweeper decides, this only reports.
  const record = await tasks.waitFinal(correlator, timeout * maxAttempts + 5_000);
  if (!record) throw new Error(`task ${correlator} vanished from the store`);
  return record;
}
