// PnP tags. A tag set by the PnP server can only be changed or removed by the server; the device itself
// (local CLI `pnp tag`) may add and remove only its own tags, and may not touch a server tag.

import type { DeviceState, TagOrigin } from "./state.js";

export interface TagEntry {
  name: string;
  origin: TagOrigin;
}

export type TagResult = { success: true; changed: boolean } | { success: false; message: string };

const TAG_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function listTags(state: DeviceState): TagEntry[] {
  return state.tags ? [...state.tags].map(([name, origin]) => ({ name, origin })) : [];
}

/** Why `origin` may not set (or remove) `name`; undefined when allowed. */
export function tagRefusal(
  state: DeviceState,
  name: string,
  origin: TagOrigin,
  remove: boolean,
): string | undefined {
  if (!remove && !TAG_RE.test(name)) return `% Invalid tag name "${name}"`;
  if (origin === "server") return undefined;
  const existing = state.tags?.get(name);
  if (existing === "server")
    return `% Tag ${name} was set by the PnP server and cannot be changed by the device`;
  if (!remove && state.tags && [...state.tags.values()].includes("server")) {
    return "% The device tag was set by the PnP server and can only be changed by the server";
  }
  return undefined;
}

export function setTag(state: DeviceState, name: string, origin: TagOrigin): TagResult {
  const refusal = tagRefusal(state, name, origin, false);
  if (refusal !== undefined) return { success: false, message: refusal };
  state.tags ??= new Map();
  const before = state.tags.get(name);
  state.tags.set(name, origin);
  return { success: true, changed: before !== origin };
}

export function removeTag(state: DeviceState, name: string, origin: TagOrigin): TagResult {
  const refusal = tagRefusal(state, name, origin, true);
  if (refusal !== undefined) return { success: false, message: refusal };
  const changed = state.tags?.delete(name) ?? false;
  if (state.tags?.size === 0) delete state.tags;
  return { success: true, changed };
}
