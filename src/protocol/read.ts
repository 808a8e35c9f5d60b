// Lenient, namespace-aware reading of parsed elements. Children are matched on (namespace URI, local
// name) so any prefix works; unknown children are simply never asked for. Errors name the element path.

import { invalidMessage } from "./errors.js";
import { NS_PNP } from "./namespaces.js";
import { type Element, isElement } from "./xml.js";

export function elementChildren(element: Element): Element[] {
  return element.children.filter(isElement);
}

/** `pnp/response/execLog/dialogueLog`, from the `pnp` root (or the top of the tree) down to `element`. */
export function pathOf(element: Element, attribute?: string): string {
  const names: string[] = [];
  for (let node: Element | null = element; node !== null; node = node.parent) {
    names.unshift(node.getName());
    if (node.getName() === "pnp" && node.getNS() === NS_PNP) break;
  }
  return names.join("/") + (attribute === undefined ? "" : `@${attribute}`);
}

export function attributeOf(element: Element, name: string): string | undefined {
  const value: unknown = element.attrs[name];
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** Text content of an element, exactly as sent (CLI output and logs must keep their whitespace). */
export function textOf(element: Element): string {
  return element.getText();
}

const INTEGER = /^[+-]?\d+$/;

export function parseIntegerValue(value: string, path: string): number {
  const trimmed = value.trim();
  if (!INTEGER.test(trimmed)) throw invalidMessage(path, `"${trimmed.slice(0, 40)}" is not an integer`);
  return Number(trimmed);
}

/** xs:boolean, leniently: true/false in any case, and 1/0. */
export function parseBooleanValue(value: string, path: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (normalized === "true" || normalized === "1") return true;
  if (normalized === "false" || normalized === "0") return false;
  throw invalidMessage(path, `"${value.trim().slice(0, 40)}" is not a boolean`);
}

/** Reads children in one namespace (a service body is entirely in its service namespace). */
export class NamespaceReader {
  constructor(readonly namespace: string) {}

  /** True when `element` has this local name in this namespace. */
  is(element: Element, localName: string): boolean {
    return element.getName() === localName && element.getNS() === this.namespace;
  }

  children(parent: Element, localName: string): Element[] {
    return elementChildren(parent).filter((child) => this.is(child, localName));
  }

  child(parent: Element, localName: string): Element | undefined {
    return elementChildren(parent).find((child) => this.is(child, localName));
  }

  requireChild(parent: Element, localName: string): Element {
    const found = this.child(parent, localName);
    if (found === undefined) throw invalidMessage(`${pathOf(parent)}/${localName}`, "element is missing");
    return found;
  }

  text(parent: Element, localName: string): string | undefined {
    const found = this.child(parent, localName);
    return found === undefined ? undefined : textOf(found);
  }

  requireText(parent: Element, localName: string): string {
    return textOf(this.requireChild(parent, localName));
  }

  /** Text of a child, or "" when the agent left it out (lenient reading of device data). */
  textOrEmpty(parent: Element, localName: string): string {
    return this.text(parent, localName) ?? "";
  }

  /** Every child with this name, as text. */
  texts(parent: Element, localName: string): string[] {
    return this.children(parent, localName).map(textOf);
  }

  /** An integer child; absent or empty gives undefined, anything else non-numeric is an error. */
  integer(parent: Element, localName: string): number | undefined {
    const found = this.child(parent, localName);
    if (found === undefined) return undefined;
    const value = textOf(found);
    return value.trim() === "" ? undefined : parseIntegerValue(value, pathOf(found));
  }

  requireInteger(parent: Element, localName: string): number {
    const found = this.requireChild(parent, localName);
    return parseIntegerValue(textOf(found), pathOf(found));
  }

  boolean(parent: Element, localName: string): boolean | undefined {
    const found = this.child(parent, localName);
    if (found === undefined) return undefined;
    const value = textOf(found);
    return value.trim() === "" ? undefined : parseBooleanValue(value, pathOf(found));
  }

  /** The single element child of `parent` among `choices`; more than one is an error (an XSD choice). */
  choice<const Name extends string>(
    parent: Element,
    choices: readonly Name[],
  ): { name: Name; element: Element } | undefined {
    let picked: { name: Name; element: Element } | undefined;
    for (const child of elementChildren(parent)) {
      const name = choices.find((candidate) => this.is(child, candidate));
      if (name === undefined) continue;
      if (picked !== undefined && picked.name !== name) {
        throw invalidMessage(pathOf(parent), `${picked.name} and ${name} are mutually exclusive`);
      }
      picked ??= { name, element: child };
    }
    return picked;
  }

  requireChoice<const Name extends string>(
    parent: Element,
    choices: readonly Name[],
  ): { name: Name; element: Element } {
    const picked = this.choice(parent, choices);
    if (picked === undefined) throw invalidMessage(pathOf(parent), `expected one of ${choices.join(", ")}`);
    return picked;
  }
}

export function requireAttribute(element: Element, name: string): string {
  const value = attributeOf(element, name);
  if (value === undefined) throw invalidMessage(pathOf(element, name), "attribute is missing");
  return value;
}

export function integerAttribute(element: Element, name: string): number | undefined {
  const value = attributeOf(element, name);
  return value === undefined || value.trim() === ""
    ? undefined
    : parseIntegerValue(value, pathOf(element, name));
}

export function booleanAttribute(element: Element, name: string): boolean | undefined {
  const value = attributeOf(element, name);
  return value === undefined || value.trim() === ""
    ? undefined
    : parseBooleanValue(value, pathOf(element, name));
}

/** An enumerated value, checked against the allowed set. */
export function enumValue<const T extends string>(value: string, allowed: readonly T[], path: string): T {
  const found = allowed.find((candidate) => candidate === value.trim());
  if (found === undefined) {
    throw invalidMessage(path, `"${value.trim().slice(0, 40)}" is not one of ${allowed.join(", ")}`);
  }
  return found;
}
