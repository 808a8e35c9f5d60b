// tag (urn:cisco:pnp:tag): our own schema, because Cisco published none (§2.17; the agent guide lists
// "PnP tagging" and the capability sample lists cisco:pnp:tag). It follows the style of the Cisco services
// and is specified in ../TAGGING.md:
//   request/tagging/(set/tag[@name]+ | remove/tag[@name]+ | list)
//   response[@success]/(errorInfo?, tags/tag[@name @owner]*)
// The rule: an existing tag changes only through the server. Tags set by the server are owner="server";
// tags the device created locally are owner="device"; the device never changes or removes an existing tag
// by itself. Every response reports the device's complete tag list, so the server's view converges.

import type { Element } from "ltx";
import { type BuildChild, checkOneOf, element, requireNonEmpty } from "../build.js";
import { invalidBuild, invalidMessage } from "../errors.js";
import { enumValue, type NamespaceReader, pathOf, requireAttribute, textOf } from "../read.js";
import { buildErrorInfo, type ErrorInfo, parseErrorInfo, pnpErrorCode, type ServiceCodec } from "./common.js";

export const TAG_OWNERS = ["server", "device"] as const;
export type TagOwner = (typeof TAG_OWNERS)[number];

export interface TagValue {
  name: string;
  value: string;
}

export interface Tag extends TagValue {
  owner: TagOwner;
}

export type TagRequest =
  /** Create or replace these tags; they become server-owned. All or nothing. */
  | { operation: "set"; tags: TagValue[] }
  /** Remove these tags whoever owns them; removing an absent tag is not an error. */
  | { operation: "remove"; names: string[] }
  /** Change nothing; the response reports the tags. */
  | { operation: "list" };

export interface TagResponse {
  errorInfo?: ErrorInfo;
  /** The device's complete tag list after the request (unchanged when success is 0). */
  tags: Tag[];
}

/** 1–64 characters: letters, digits, then also `.`, `_`, `:`, `-`. Compared case-sensitively. */
export const TAG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const MAX_TAG_VALUE_LENGTH = 255;
export const MAX_TAGS_PER_DEVICE = 64;

/** errorCode numbers of the tag service (a range no Cisco service uses). */
export const TAG_ERROR_CODES = {
  internal: 3800,
  invalidRequest: 3801,
  invalidName: 3802,
  valueTooLong: 3803,
  tooManyTags: 3804,
} as const;

export function isValidTagName(name: string): boolean {
  return TAG_NAME_PATTERN.test(name);
}

function checkTagName(name: string, what: string): string {
  if (!isValidTagName(name))
    throw invalidBuild(what, `"${name}" is not a valid tag name (${TAG_NAME_PATTERN.source})`);
  return name;
}

function checkTagValue(value: string, what: string): string {
  if (value.length > MAX_TAG_VALUE_LENGTH)
    throw invalidBuild(what, `longer than ${MAX_TAG_VALUE_LENGTH} characters`);
  return value;
}

function checkUnique(names: string[], what: string): void {
  if (new Set(names).size !== names.length) throw invalidBuild(what, "names a tag twice");
}

// --- the ownership rule, as pure functions for the simulated agent and for the server's model -----------

export type TagApplyResult =
  | { ok: true; tags: Tag[]; changed: boolean }
  | { ok: false; tags: Tag[]; errorInfo: ErrorInfo };

function tagError(code: number, message: string): ErrorInfo {
  return { severity: "ERROR", code: pnpErrorCode(code), message };
}

/**
 * What an agent does with a tag request from the server: all or nothing. `set` replaces values and takes
 * ownership (owner becomes "server"); `remove` deletes whoever owns the tag; `list` changes nothing.
 */
export function applyTagRequest(current: readonly Tag[], request: TagRequest): TagApplyResult {
  const unchanged = current.map((tag) => ({ ...tag }));
  const fail = (code: number, message: string): TagApplyResult => ({
    ok: false,
    tags: unchanged,
    errorInfo: tagError(code, message),
  });
  switch (request.operation) {
    case "list":
      return { ok: true, tags: unchanged, changed: false };
    case "remove": {
      if (request.names.length === 0) return fail(TAG_ERROR_CODES.invalidRequest, "remove names no tag");
      const names = new Set(request.names);
      const tags = unchanged.filter((tag) => !names.has(tag.name));
      return { ok: true, tags, changed: tags.length !== unchanged.length };
    }
    case "set": {
      if (request.tags.length === 0) return fail(TAG_ERROR_CODES.invalidRequest, "set names no tag");
      const seen = new Set<string>();
      for (const tag of request.tags) {
        if (seen.has(tag.name)) return fail(TAG_ERROR_CODES.invalidRequest, `tag ${tag.name} is given twice`);
        seen.add(tag.name);
        if (!isValidTagName(tag.name))
          return fail(TAG_ERROR_CODES.invalidName, `invalid tag name "${tag.name}"`);
        if (tag.value.length > MAX_TAG_VALUE_LENGTH) {
          return fail(TAG_ERROR_CODES.valueTooLong, `value of tag ${tag.name} is too long`);
        }
      }
      const tags = current.map((tag) => ({ ...tag })); // a working copy: a failure reports `unchanged`
      let changed = false;
      for (const wanted of request.tags) {
        const existing = tags.find((tag) => tag.name === wanted.name);
        if (existing === undefined) {
          tags.push({ name: wanted.name, value: wanted.value, owner: "server" });
          changed = true;
        } else if (existing.value !== wanted.value || existing.owner !== "server") {
          existing.value = wanted.value;
          existing.owner = "server";
          changed = true;
        }
      }
      if (tags.length > MAX_TAGS_PER_DEVICE) {
        return fail(TAG_ERROR_CODES.tooManyTags, `a device holds at most ${MAX_TAGS_PER_DEVICE} tags`);
      }
      return { ok: true, tags, changed };
    }
  }
}

export type LocalTagResult =
  | { ok: true; tags: Tag[] }
  | { ok: false; reason: "exists" | "invalid-name" | "value-too-long" | "too-many-tags" };

/**
 * A tag created on the device itself (its console, day-0 data). It may only add a new, device-owned tag:
 * an existing tag, whoever owns it, changes only through the server, so this refuses with "exists".
 */
export function addDeviceLocalTag(current: readonly Tag[], tag: TagValue): LocalTagResult {
  if (!isValidTagName(tag.name)) return { ok: false, reason: "invalid-name" };
  if (tag.value.length > MAX_TAG_VALUE_LENGTH) return { ok: false, reason: "value-too-long" };
  if (current.some((existing) => existing.name === tag.name)) return { ok: false, reason: "exists" };
  if (current.length >= MAX_TAGS_PER_DEVICE) return { ok: false, reason: "too-many-tags" };
  return { ok: true, tags: [...current.map((existing) => ({ ...existing })), { ...tag, owner: "device" }] };
}

// --- codec ------------------------------------------------------------------------------------------

export const tagCodec: ServiceCodec<TagRequest, TagResponse> = {
  errorInfo: "with-severity",

  buildRequest(request: TagRequest): BuildChild[] {
    let operation: Element;
    switch (request.operation) {
      case "set":
        if (request.tags.length === 0) throw invalidBuild("tagging.set", "needs at least one tag");
        checkUnique(
          request.tags.map((tag) => tag.name),
          "tagging.set",
        );
        operation = element(
          "set",
          {},
          ...request.tags.map((tag, index) =>
            element(
              "tag",
              { name: checkTagName(tag.name, `tagging.set[${index}].name`) },
              checkTagValue(tag.value, `tagging.set[${index}].value`),
            ),
          ),
        );
        break;
      case "remove":
        if (request.names.length === 0) throw invalidBuild("tagging.remove", "needs at least one tag name");
        checkUnique(request.names, "tagging.remove");
        operation = element(
          "remove",
          {},
          ...request.names.map((name, index) =>
            element("tag", { name: checkTagName(name, `tagging.remove[${index}]`) }),
          ),
        );
        break;
      case "list":
        operation = element("list");
        break;
      default:
        throw invalidBuild("tagging.operation", "must be set, remove or list");
    }
    return [element("tagging", {}, operation)];
  },

  parseRequest(request: Element, reader: NamespaceReader): TagRequest {
    const tagging = reader.requireChild(request, "tagging");
    const picked = reader.requireChoice(tagging, ["set", "remove", "list"] as const);
    switch (picked.name) {
      case "list":
        return { operation: "list" };
      case "remove":
        return {
          operation: "remove",
          names: reader.children(picked.element, "tag").map((tag) => requireAttribute(tag, "name")),
        };
      case "set":
        return {
          operation: "set",
          tags: reader.children(picked.element, "tag").map((tag) => ({
            name: requireAttribute(tag, "name"),
            value: textOf(tag),
          })),
        };
    }
  },

  buildResponse(response: TagResponse): BuildChild[] {
    checkUnique(
      response.tags.map((tag) => tag.name),
      "tag response",
    );
    return [
      buildErrorInfo(response.errorInfo, true),
      element(
        "tags",
        {},
        ...response.tags.map((tag, index) =>
          element(
            "tag",
            {
              name: requireNonEmpty(tag.name, `tags[${index}].name`),
              owner: checkOneOf(tag.owner, TAG_OWNERS, `tags[${index}].owner`),
            },
            tag.value,
          ),
        ),
      ),
    ];
  },

  parseResponse(response: Element, reader: NamespaceReader): TagResponse {
    const result: TagResponse = { tags: [] };
    const errorInfo = parseErrorInfo(reader, response, true);
    if (errorInfo !== undefined) result.errorInfo = errorInfo;
    const tags = reader.child(response, "tags");
    if (tags === undefined) {
      // The tag list is what keeps the server's view right, so its absence is an error, not "no tags".
      throw invalidMessage(`${pathOf(response)}/tags`, "element is missing");
    }
    result.tags = reader.children(tags, "tag").map((tag) => ({
      name: requireAttribute(tag, "name"),
      value: textOf(tag),
      owner: enumValue(requireAttribute(tag, "owner"), TAG_OWNERS, pathOf(tag, "owner")),
    }));
    return result;
  },
};
