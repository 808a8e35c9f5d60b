// cli-exec: execCLI runs one EXEC command on the model, answering its prompts from the request's
// dialogue entries; the output goes back as execLog/dialogueLog (one per sent line). A confirmed `reload`
// becomes a reboot the glue carries out. execTest checks the commands' syntax on a scratch twin of the
// device, so nothing (write memory, delete /force…) changes on the real one.
// errorInfo of cli-exec has no errorSeverity.

import type { Dialogue, DialogueLog, ResultEntry } from "../../protocol/index.js";
import { pnpErrorCode } from "../../protocol/index.js";
import {
  createDevice,
  type DeviceModel,
  type DeviceProfile,
  type DialogueEntry,
  PnpErrorCode,
} from "../model/index.js";
import {
  answered,
  type CorrelatedRequest,
  cliLines,
  errorInfoWithoutSeverity,
  type ServiceContext,
  type ServiceHandler,
  type ServiceOutcome,
} from "./context.js";

function dialogueEntries(dialogues: readonly Dialogue[]): DialogueEntry[] {
  return dialogues.map((d) => {
    const entry: DialogueEntry = { expect: d.expect, reply: d.reply };
    if (d.match !== undefined) entry.match = d.match;
    if (d.caseSensitive !== undefined) entry.caseSensitive = d.caseSensitive;
    if (d.repeat !== undefined) entry.repeat = d.repeat;
    return entry;
  });
}

/** Cuts the received texts so that together they hold at most `max` bytes (maxResponseSize). */
function limitLogs(logs: DialogueLog[], max: number | undefined): DialogueLog[] {
  if (max === undefined) return logs;
  let left = max;
  return logs.map((log) => {
    if (log.received === undefined) return log;
    const bytes = Buffer.from(log.received, "utf8");
    if (bytes.length <= left) {
      left -= bytes.length;
      return log;
    }
    const cut = bytes
      .subarray(0, Math.max(0, left))
      .toString("utf8")
      .replace(/\uFFFD$/, "");
    left = 0;
    return { ...log, received: cut };
  });
}

function execCli(
  ctx: ServiceContext,
  request: Extract<CorrelatedRequest<"cli-exec">, { operation: "execCLI" }>,
): ServiceOutcome<"cli-exec"> {
  const dialogue =
    request.dialogues && request.dialogues.length > 0 ? dialogueEntries(request.dialogues) : undefined;
  const result = ctx.model.exec(request.command, dialogue === undefined ? {} : { dialogue });
  const dialogueLogs = limitLogs(
    result.log.map((entry) => ({ sent: entry.sent, received: entry.received })),
    request.maxResponseSize,
  );
  const base = { service: "cli-exec", correlator: request.correlator } as const;
  if (!result.success) {
    const error = errorInfoWithoutSeverity(
      result.error ?? { code: PnpErrorCode.CLI_EXEC_INTERNAL, message: "command failed" },
    );
    return answered({ ...base, success: false, errorInfo: error, execLog: { dialogueLogs } });
  }
  return {
    response: { ...base, success: true, execLog: { dialogueLogs } },
    reload: result.reloadRequested
      ? { delaySeconds: 0, reason: "Reload Command", saveConfig: false, eraseConfig: false }
      : null,
  };
}

/** A device of the same platform and shape, fresh from the factory: execTest runs there. */
function scratchTwin(model: DeviceModel): DeviceModel {
  const profile: DeviceProfile = { pid: model.pid, serial: model.serial };
  const udi = model.deviceInfo("udi");
  if (udi.success) {
    const members = udi.data.udi?.stackMembers;
    if (members !== undefined && members.length > 1) {
      profile.variant = "stack";
      profile.members = members.map((m) => ({ slot: m.slot }));
    } else if ((udi.data.udi?.standbyUdis?.length ?? 0) > 0) {
      profile.variant = "ha";
    }
  }
  return createDevice(profile);
}

function execTest(
  ctx: ServiceContext,
  request: Extract<CorrelatedRequest<"cli-exec">, { operation: "execTest" }>,
): ServiceOutcome<"cli-exec"> {
  const twin = scratchTwin(ctx.model);
  const commands = cliLines(request.data);
  let firstInvalid: { line: number; command: string; message: string } | undefined;
  const dialogueLogs: DialogueLog[] = commands.map((command, index) => {
    const result = twin.exec(command);
    // A prompt nobody answered means the command was understood: its syntax is fine.
    const valid = result.success || result.error?.code === PnpErrorCode.CLI_EXEC_INVALID_DIALOGUE;
    const entry: ResultEntry = {
      lineNumber: index + 1,
      cliString: command,
      outcome: valid ? { kind: "success", mode: "TEST" } : { kind: "invalid" },
    };
    if (!valid) {
      entry.text = result.output;
      firstInvalid ??= { line: index + 1, command, message: result.error?.message ?? "invalid" };
    }
    return { sent: command, resultEntries: [entry] };
  });
  const base = { service: "cli-exec", correlator: request.correlator } as const;
  if (commands.length === 0) {
    return answered({
      ...base,
      success: false,
      errorInfo: { code: pnpErrorCode(PnpErrorCode.CLI_EXEC_INVALID_CLI), message: "No command to test" },
    });
  }
  if (firstInvalid !== undefined) {
    return answered({
      ...base,
      success: false,
      errorInfo: {
        code: pnpErrorCode(PnpErrorCode.CLI_EXEC_INVALID_CLI),
        message: `Line ${firstInvalid.line} "${firstInvalid.command.trim()}": ${firstInvalid.message}`,
      },
      execLog: { dialogueLogs },
    });
  }
  return answered({ ...base, success: true, execLog: { dialogueLogs } });
}

export const cliExecService: ServiceHandler<"cli-exec"> = (ctx, request) =>
  request.operation === "execCLI" ? execCli(ctx, request) : execTest(ctx, request);
