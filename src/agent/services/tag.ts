// tag (this project's service, src/protocol/TAGGING.md): set, remove or list, all or nothing, following
// the codec's ownership rule (`applyTagRequest`). The model keeps tag names and owners; the values live in
// the agent's records. Every response carries the complete list. Codes 3800–3804, severity ERROR.

import { applyTagRequest, pnpErrorCode, TAG_ERROR_CODES, type Tag } from "../../protocol/index.js";
import { answered, type ServiceContext, type ServiceHandler } from "./context.js";

/** The model's tag name rule, a little narrower than the protocol's (no ':'). */
const MODEL_TAG_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function currentTags(ctx: ServiceContext): Tag[] {
  const values = ctx.records.tagValues;
  return ctx.model
    .tags()
    .map((tag) => ({ name: tag.name, value: values?.get(tag.name) ?? "", owner: tag.origin }));
}

function setValue(ctx: ServiceContext, name: string, value: string): void {
  if (value === "") {
    ctx.records.tagValues?.delete(name);
    if (ctx.records.tagValues?.size === 0) delete ctx.records.tagValues;
    return;
  }
  ctx.records.tagValues ??= new Map();
  ctx.records.tagValues.set(name, value);
}

export const tagService: ServiceHandler<"tag"> = (ctx, request) => {
  const base = { service: "tag", correlator: request.correlator } as const;
  const before = currentTags(ctx);
  if (request.operation === "set") {
    const bad = request.tags.find((tag) => !MODEL_TAG_NAME.test(tag.name));
    if (bad !== undefined) {
      return answered({
        ...base,
        success: false,
        errorInfo: {
          severity: "ERROR",
          code: pnpErrorCode(TAG_ERROR_CODES.invalidName),
          message: `invalid tag name "${bad.name}"`,
        },
        tags: before,
      });
    }
  }
  const result = applyTagRequest(before, request);
  if (!result.ok) return answered({ ...base, success: false, errorInfo: result.errorInfo, tags: before });
  if (request.operation === "set") {
    for (const tag of request.tags) {
      ctx.model.setTag(tag.name, "server");
      setValue(ctx, tag.name, tag.value);
    }
  } else if (request.operation === "remove") {
    for (const name of request.names) {
      ctx.model.removeTag(name, "server");
      setValue(ctx, name, "");
    }
  }
  return answered({ ...base, success: true, tags: currentTags(ctx) });
};
