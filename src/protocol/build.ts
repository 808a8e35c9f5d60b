// Strict building helpers: every element goes through @xmpp/xml's `xml()` (so it is the Element class
// @xmpp/component sends), and every value is checked before it reaches the wire.

import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { invalidBuild } from "./errors.js";
import { isXmlSafeText } from "./xml.js";

export type BuildChild = Element | string | undefined | false;

function checkText(value: string, what: string): string {
  if (!isXmlSafeText(value)) {
    throw invalidBuild(what, "contains characters XML cannot carry (use sanitizeXmlText)");
  }
  return value;
}

/** An element with optional attributes (undefined ones are left out) and children (undefined/false skipped). */
export function element(
  name: string,
  attributes: Record<string, string | undefined> = {},
  ...children: BuildChild[]
): Element {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) attrs[key] = checkText(value, `${name}@${key}`);
  }
  const kept: (Element | string)[] = [];
  for (const child of children) {
    if (child === undefined || child === false) continue;
    kept.push(typeof child === "string" ? checkText(child, name) : child);
  }
  return xml(name, attrs, ...kept);
}

/** `<name>value</name>`, or nothing when the value is undefined. "" gives `<name/>`. */
export function leaf(name: string, value: string | number | boolean | undefined): Element | undefined {
  if (value === undefined) return undefined;
  return element(name, {}, String(value));
}

/** An empty marker element such as `<noReload/>`, present only when `present` is true. */
export function flag(name: string, present: boolean | undefined): Element | undefined {
  return present === true ? element(name) : undefined;
}

export function requireNonEmpty(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === "") throw invalidBuild(what, "must not be empty");
  return value;
}

export function checkInteger(value: number, min: number, max: number, what: string): string {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidBuild(what, `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return String(value);
}

export function optionalInteger(
  value: number | undefined,
  min: number,
  max: number,
  what: string,
): string | undefined {
  return value === undefined ? undefined : checkInteger(value, min, max, what);
}

export function checkOneOf<const T extends string>(value: T, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value)) throw invalidBuild(what, `must be one of ${allowed.join(", ")}`);
  return value;
}

// xs:duration as the agent uses it for maxWait (PT10S, PT3600S, PT1M30S…).
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export function optionalDuration(value: string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DURATION.test(value)) throw invalidBuild(what, `"${value}" is not an ISO-8601 duration such as PT30S`);
  return value;
}

export function booleanText(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? "true" : "false";
}
