// Safe XML text → ltx Element, and Element → text.
//
// Why a guard in front of ltx: ltx's SAX parser (ltx/lib/parsers/ltx.js, also used by @xmpp/xml's
// stream parser) is deliberately forgiving. It never reports malformed input: a mismatched end tag is
// skipped, an unquoted attribute swallows text up to the next quote, text outside the root is dropped,
// `<!DOCTYPE …>` is skipped like a comment (it ends only at `-->` or `]]>`), text that follows a comment or
// a CDATA section inside an element is lost, and an entity other than the five predefined ones makes
// `write()` throw a plain Error. It never expands entities, so there is no "billion laughs", but none of
// this gives a caller a clear, typed error. So `parseXml` first scans the text once with a strict
// well-formedness checker that also enforces the size, depth, element-count and attribute-length limits,
// then hands a normalised copy (comments and processing instructions removed, CDATA turned into escaped
// text) to ltx's SAX parser, which builds the tree out of @xmpp/xml's Element class.

import xml from "@xmpp/xml";
import type { Element } from "ltx";
import SaxLtx from "ltx/lib/parsers/ltx.js";
import { PnpProtocolError } from "./errors.js";

export type { Element } from "ltx";

export interface XmlLimits {
  /** Maximum message size in bytes (UTF-8). */
  maxBytes: number;
  /** Maximum element nesting depth; the root element is depth 1. */
  maxDepth: number;
  /** Maximum length of one attribute value, in characters as written. */
  maxAttributeLength: number;
  /** Maximum number of elements in one message. */
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 32,
  maxAttributeLength: 4096,
  maxElements: 10_000,
});

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export function resolveXmlLimits(limits: Partial<XmlLimits> = {}): XmlLimits {
  const resolved: XmlLimits = { ...DEFAULT_XML_LIMITS };
  for (const key of Object.keys(DEFAULT_XML_LIMITS) as (keyof XmlLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`XML limit ${key} must be a positive integer, got ${String(value)}`);
    }
    resolved[key] = value;
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses one XML document into an ltx Element, refusing anything hostile or malformed with a
 * PnpProtocolError (codes PNP_XML_*). A leading byte-order mark and an XML declaration are accepted.
 */
export function parseXml(input: string | Uint8Array, limits?: Partial<XmlLimits>): Element {
  const resolved = resolveXmlLimits(limits);
  // XML end-of-line handling (XML 1.0 §2.11): CRLF and lone CR become LF before parsing, as any
  // conforming parser does; `&#13;` still yields a CR. ltx does not do this itself.
  const text = decodeInput(input, resolved.maxBytes).replace(/\r\n?/g, "\n");
  checkCharacters(text);
  const dtd = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (dtd !== null) {
    throw xmlError(
      "PNP_XML_DTD_FORBIDDEN",
      `<!${dtd[1] ?? ""} is not accepted: PnP messages never carry a DTD`,
      dtd.index,
    );
  }
  const normalized = scanDocument(text, resolved);
  return buildTree(normalized);
}

/** Enforces the depth, element-count and attribute-length limits on an already parsed element tree. */
export function checkElementLimits(root: Element, limits?: Partial<XmlLimits>): void {
  const resolved = resolveXmlLimits(limits);
  let elementCount = 0;
  const pending: { element: Element; depth: number }[] = [{ element: root, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { element, depth } = next;
    elementCount += 1;
    if (elementCount > resolved.maxElements) {
      throw xmlError("PNP_XML_TOO_MANY_ELEMENTS", `more than ${resolved.maxElements} elements`);
    }
    if (depth > resolved.maxDepth) {
      throw xmlError("PNP_XML_TOO_DEEP", `<${element.name}> is nested deeper than ${resolved.maxDepth}`);
    }
    for (const [name, value] of Object.entries(element.attrs)) {
      if (value != null && String(value).length > resolved.maxAttributeLength) {
        throw xmlError(
          "PNP_XML_ATTR_TOO_LONG",
          `attribute ${name} of <${element.name}> is longer than ${resolved.maxAttributeLength} characters`,
        );
      }
    }
    for (const child of element.children) {
      if (isElement(child)) pending.push({ element: child, depth: depth + 1 });
    }
  }
}

/** True for ltx elements from any copy of ltx (duck-typed so that a second ltx install still works). */
export function isElement(node: unknown): node is Element {
  return (
    typeof node === "object" &&
    node !== null &&
    typeof (node as Element).getName === "function" &&
    Array.isArray((node as Element).children)
  );
}

function xmlError(code: PnpProtocolError["code"], message: string, offset?: number): PnpProtocolError {
  const where = offset === undefined ? "" : ` (at offset ${offset})`;
  return new PnpProtocolError(code, `${message}${where}`, offset === undefined ? {} : { offset });
}

function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  let text: string;
  if (typeof input === "string") {
    // A UTF-16 code unit is at least one UTF-8 byte, so the cheap length test is safe before counting bytes.
    if (input.length > maxBytes || Buffer.byteLength(input, "utf8") > maxBytes) {
      throw xmlError("PNP_XML_TOO_LARGE", `message is larger than ${maxBytes} bytes`);
    }
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    if (input.byteLength > maxBytes) {
      throw xmlError("PNP_XML_TOO_LARGE", `message is ${input.byteLength} bytes, more than ${maxBytes}`);
    }
    try {
      // fatal: invalid UTF-8 (binary junk, UTF-16 without a declaration) is an error, not U+FFFD.
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch (cause) {
      throw new PnpProtocolError("PNP_XML_INVALID_CHAR", "message is not valid UTF-8", { cause });
    }
  }
  if (text.trim() === "") throw xmlError("PNP_XML_MALFORMED", "message is empty");
  return text;
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. With the u flag a
// lone surrogate is one code point in D800-DFFF, so it is caught too.
const FORBIDDEN_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function checkCharacters(text: string): void {
  const found = FORBIDDEN_CHAR.exec(text);
  if (found !== null) {
    const codePoint = found[0].codePointAt(0) ?? 0;
    throw xmlError(
      "PNP_XML_INVALID_CHAR",
      `character U+${codePoint.toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML (binary data?)`,
      found.index,
    );
  }
}

function isXmlCharCode(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

const NAME_START_CHARS =
  "A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D" +
  "\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD";
const NAME_CHARS = `${NAME_START_CHARS}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = `[${NAME_START_CHARS}][${NAME_CHARS}]*`;
/** A namespace-aware XML name: `local` or `prefix:local`. */
const QNAME = new RegExp(`^${NCNAME}(?::${NCNAME})?$`);
const PREDEFINED_ENTITIES: ReadonlySet<string> = new Set(["lt", "gt", "amp", "quot", "apos"]);
const ENTITY_NAME = new RegExp(`^${NCNAME}$`);

function isXmlWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x9 || code === 0xa || code === 0xd;
}

function skipWhitespace(text: string, from: number): number {
  let position = from;
  while (position < text.length && isXmlWhitespace(text.charCodeAt(position))) position += 1;
  return position;
}

/** End of a name starting at `from`: the first whitespace, `/`, `>`, `=`, `<`, quote or end of text. */
function scanNameEnd(text: string, from: number): number {
  let position = from;
  while (position < text.length) {
    const code = text.charCodeAt(position);
    if (
      isXmlWhitespace(code) ||
      code === 0x2f /* / */ ||
      code === 0x3e /* > */ ||
      code === 0x3d /* = */ ||
      code === 0x3c /* < */ ||
      code === 0x22 /* " */ ||
      code === 0x27 /* ' */
    ) {
      break;
    }
    position += 1;
  }
  return position;
}

function checkName(name: string, what: string, offset: number): void {
  if (!QNAME.test(name)) {
    throw xmlError(
      "PNP_XML_MALFORMED",
      name === "" ? `missing ${what} name` : `invalid ${what} name "${name.slice(0, 40)}"`,
      offset,
    );
  }
}

/** Checks every `&` in text or an attribute value starts a predefined entity or a valid character reference. */
function checkReferences(segment: string, baseOffset: number): void {
  for (let amp = segment.indexOf("&"); amp !== -1; amp = segment.indexOf("&", amp + 1)) {
    const semicolon = segment.indexOf(";", amp + 1);
    const reference = semicolon === -1 ? "" : segment.slice(amp + 1, semicolon);
    const offset = baseOffset + amp;
    if (PREDEFINED_ENTITIES.has(reference)) continue;
    const numeric = /^#(?:([0-9]+)|x([0-9a-fA-F]+))$/.exec(reference);
    if (numeric !== null) {
      const decimal = numeric[1];
      const codePoint = decimal !== undefined ? Number(decimal) : Number.parseInt(numeric[2] ?? "", 16);
      if (!isXmlCharCode(codePoint)) {
        throw xmlError(
          "PNP_XML_INVALID_CHAR",
          `character reference &${reference}; is not an XML character`,
          offset,
        );
      }
      continue;
    }
    if (ENTITY_NAME.test(reference)) {
      throw xmlError(
        "PNP_XML_ENTITY_FORBIDDEN",
        `undefined entity &${reference.slice(0, 40)}; (without a DTD only &lt; &gt; &amp; &quot; &apos; exist)`,
        offset,
      );
    }
    throw xmlError("PNP_XML_MALFORMED", "'&' must be escaped as &amp;", offset);
  }
}

/**
 * One strict pass over the document. Returns the text ltx should parse: the root element only, with
 * comments and processing instructions dropped and CDATA sections replaced by escaped text (ltx loses text
 * that follows either inside an element).
 */
function scanDocument(text: string, limits: XmlLimits): string {
  const output: string[] = [];
  const openElements: string[] = [];
  let elementCount = 0;
  let rootStarted = false;
  let rootEnded = false;
  let markupSeen = false;
  let position = 0;

  while (position < text.length) {
    const tagStart = text.indexOf("<", position);
    const textEnd = tagStart === -1 ? text.length : tagStart;
    if (textEnd > position) {
      const segment = text.slice(position, textEnd);
      if (openElements.length === 0) {
        if (segment.trim() !== "") {
          throw xmlError("PNP_XML_MALFORMED", "text outside the root element", position);
        }
      } else {
        checkReferences(segment, position);
        const cdataEnd = segment.indexOf("]]>");
        if (cdataEnd !== -1) {
          throw xmlError("PNP_XML_MALFORMED", "']]>' must be escaped in text", position + cdataEnd);
        }
        output.push(segment);
      }
    }
    if (tagStart === -1) break;
    position = tagStart;

    if (text.startsWith("<?", position)) {
      const end = text.indexOf("?>", position + 2);
      if (end === -1) throw xmlError("PNP_XML_MALFORMED", "unterminated processing instruction", position);
      const target = text.slice(position + 2, scanNameEnd(text, position + 2));
      checkName(target, "processing instruction", position);
      if (target.toLowerCase() === "xml" && markupSeen) {
        throw xmlError("PNP_XML_MALFORMED", "the XML declaration must come first", position);
      }
      markupSeen = true;
      position = end + 2;
      continue;
    }
    markupSeen = true;
    if (text.startsWith("<!--", position)) {
      const end = text.indexOf("-->", position + 4);
      if (end === -1) throw xmlError("PNP_XML_MALFORMED", "unterminated comment", position);
      position = end + 3;
      continue;
    }
    if (text.startsWith("<![CDATA[", position)) {
      if (openElements.length === 0) {
        throw xmlError("PNP_XML_MALFORMED", "CDATA section outside the root element", position);
      }
      const end = text.indexOf("]]>", position + 9);
      if (end === -1) throw xmlError("PNP_XML_MALFORMED", "unterminated CDATA section", position);
      output.push(xml.escapeXMLText(text.slice(position + 9, end)));
      position = end + 3;
      continue;
    }
    if (text.startsWith("<!", position)) {
      throw xmlError("PNP_XML_MALFORMED", "unexpected markup declaration '<!'", position);
    }

    if (text.startsWith("</", position)) {
      const nameEnd = scanNameEnd(text, position + 2);
      const name = text.slice(position + 2, nameEnd);
      checkName(name, "end tag", position);
      const close = skipWhitespace(text, nameEnd);
      if (text[close] !== ">") throw xmlError("PNP_XML_MALFORMED", `</${name} is not closed by '>'`, close);
      const open = openElements.pop();
      if (open === undefined) throw xmlError("PNP_XML_MALFORMED", `unexpected end tag </${name}>`, position);
      if (open !== name) {
        throw xmlError("PNP_XML_MALFORMED", `end tag </${name}> does not match <${open}>`, position);
      }
      output.push(`</${name}>`);
      if (openElements.length === 0) rootEnded = true;
      position = close + 1;
      continue;
    }

    // A start tag.
    if (rootEnded) throw xmlError("PNP_XML_MALFORMED", "a second root element", position);
    const nameEnd = scanNameEnd(text, position + 1);
    const name = text.slice(position + 1, nameEnd);
    checkName(name, "element", position);
    elementCount += 1;
    if (elementCount > limits.maxElements) {
      throw xmlError("PNP_XML_TOO_MANY_ELEMENTS", `more than ${limits.maxElements} elements`, position);
    }
    if (openElements.length + 1 > limits.maxDepth) {
      throw xmlError("PNP_XML_TOO_DEEP", `<${name}> is nested deeper than ${limits.maxDepth}`, position);
    }
    const attributeNames = new Set<string>();
    let selfClosing = false;
    let cursor = nameEnd;
    for (;;) {
      const next = skipWhitespace(text, cursor);
      const char = text[next];
      if (char === undefined) throw xmlError("PNP_XML_MALFORMED", `<${name} is not closed`, position);
      if (char === ">") {
        cursor = next + 1;
        break;
      }
      if (char === "/") {
        if (text[next + 1] !== ">") throw xmlError("PNP_XML_MALFORMED", `'/' must be followed by '>'`, next);
        selfClosing = true;
        cursor = next + 2;
        break;
      }
      if (next === cursor) {
        throw xmlError("PNP_XML_MALFORMED", `whitespace is required before an attribute in <${name}>`, next);
      }
      const attributeEnd = scanNameEnd(text, next);
      const attributeName = text.slice(next, attributeEnd);
      checkName(attributeName, "attribute", next);
      if (attributeNames.has(attributeName)) {
        throw xmlError("PNP_XML_MALFORMED", `duplicate attribute ${attributeName} in <${name}>`, next);
      }
      attributeNames.add(attributeName);
      const equals = skipWhitespace(text, attributeEnd);
      if (text[equals] !== "=") {
        throw xmlError("PNP_XML_MALFORMED", `attribute ${attributeName} in <${name}> has no value`, equals);
      }
      const quoteAt = skipWhitespace(text, equals + 1);
      const quote = text[quoteAt];
      if (quote !== '"' && quote !== "'") {
        throw xmlError("PNP_XML_MALFORMED", `value of attribute ${attributeName} must be quoted`, quoteAt);
      }
      const closingQuote = text.indexOf(quote, quoteAt + 1);
      if (closingQuote === -1) {
        throw xmlError("PNP_XML_MALFORMED", `unterminated value of attribute ${attributeName}`, quoteAt);
      }
      const rawValue = text.slice(quoteAt + 1, closingQuote);
      if (rawValue.length > limits.maxAttributeLength) {
        throw xmlError(
          "PNP_XML_ATTR_TOO_LONG",
          `attribute ${attributeName} of <${name}> is longer than ${limits.maxAttributeLength} characters`,
          quoteAt,
        );
      }
      const lessThan = rawValue.indexOf("<");
      if (lessThan !== -1) {
        throw xmlError(
          "PNP_XML_MALFORMED",
          "'<' must be escaped in attribute values",
          quoteAt + 1 + lessThan,
        );
      }
      checkReferences(rawValue, quoteAt + 1);
      cursor = closingQuote + 1;
    }
    output.push(text.slice(position, cursor));
    rootStarted = true;
    if (selfClosing) {
      if (openElements.length === 0) rootEnded = true;
    } else {
      openElements.push(name);
    }
    position = cursor;
  }

  if (!rootStarted) throw xmlError("PNP_XML_MALFORMED", "no root element");
  const unclosed = openElements.at(-1);
  if (unclosed !== undefined) throw xmlError("PNP_XML_MALFORMED", `<${unclosed}> is not closed`, text.length);
  return output.join("");
}

/** Builds the tree with ltx's SAX parser; the input has already passed `scanDocument`. */
function buildTree(normalized: string): Element {
  const parser = new SaxLtx();
  let root: Element | undefined;
  let current: Element | undefined;
  parser.on("startElement", (name: string, attrs: Record<string, string>) => {
    const element = new xml.Element(name, attrs);
    if (current === undefined) root = element;
    else current.cnode(element);
    current = element;
  });
  parser.on("endElement", (name: string) => {
    if (current?.name !== name) {
      throw xmlError("PNP_XML_MALFORMED", `end tag </${name}> does not match`);
    }
    current = current.parent ?? undefined;
  });
  parser.on("text", (value: string) => {
    current?.t(value);
  });
  try {
    parser.write(normalized);
    parser.end("");
  } catch (cause) {
    if (cause instanceof PnpProtocolError) throw cause;
    throw new PnpProtocolError("PNP_XML_MALFORMED", `XML parser: ${String(cause)}`, { cause });
  }
  if (root === undefined || current !== undefined) {
    throw xmlError("PNP_XML_MALFORMED", "incomplete document");
  }
  return root;
}

// ---------------------------------------------------------------------------------------------------
// Serialising

export interface SerializeOptions {
  /** Prefix `<?xml version="1.0" encoding="UTF-8"?>` (servers usually send it; agents accept both). */
  declaration?: boolean;
  /**
   * Indent element-only content by this many spaces, one element per line. Elements holding text are
   * written on one line with their text untouched. Omit for the compact form.
   */
  indent?: number;
}

/** Element → XML text for the HTTP transport (XMPP sends the Element itself). */
export function toXmlString(element: Element, options: SerializeOptions = {}): string {
  const prefix = options.declaration === true ? XML_DECLARATION : "";
  const indent = options.indent ?? 0;
  if (indent <= 0) return prefix + element.toString();
  const parts: string[] = [];
  writeIndented(element, " ".repeat(indent), "", parts);
  return (prefix === "" ? "" : `${prefix}\n`) + parts.join("");
}

function openTag(element: Element): string {
  let tag = `<${element.name}`;
  for (const [name, value] of Object.entries(element.attrs)) {
    if (value == null) continue;
    tag += ` ${name}="${xml.escapeXML(String(value))}"`;
  }
  return tag;
}

function writeIndented(element: Element, unit: string, current: string, parts: string[]): void {
  const childElements = element.children.filter(isElement);
  const texts = element.children.filter((child): child is string => typeof child === "string");
  if (element.children.length === 0) {
    parts.push(`${current}${openTag(element)}/>\n`);
    return;
  }
  const hasText = texts.some((text) => text.trim() !== "");
  if (childElements.length === 0 || hasText) {
    // Text-only or mixed content: write exactly as the compact form does.
    parts.push(`${current}${element.toString()}\n`);
    return;
  }
  parts.push(`${current}${openTag(element)}>\n`);
  for (const child of childElements) writeIndented(child, unit, current + unit, parts);
  parts.push(`${current}</${element.name}>\n`);
}

/** Replaces characters XML cannot carry (control characters, lone surrogates) with U+FFFD. */
export function sanitizeXmlText(text: string): string {
  return text.replace(new RegExp(FORBIDDEN_CHAR.source, "gu"), "\uFFFD");
}

/** True when `text` can be carried in XML as it is. */
export function isXmlSafeText(text: string): boolean {
  return !FORBIDDEN_CHAR.test(text);
}
