// The safe XML layer: every hostile-input error code, the limits, and what stays accepted.

import xml from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import {
  checkElementLimits,
  DEFAULT_XML_LIMITS,
  isXmlSafeText,
  type PnpErrorCode,
  PnpProtocolError,
  parsePnp,
  parseXml,
  sanitizeXmlText,
  toXmlString,
} from "../../../src/protocol/index.js";
import { fixtureBytes, fixtureText } from "./fixture-files.js";

function errorOf(action: () => unknown): PnpProtocolError {
  try {
    action();
  } catch (error) {
    if (error instanceof PnpProtocolError) return error;
    throw new Error(`expected a PnpProtocolError, got ${String(error)}`);
  }
  throw new Error("expected a PnpProtocolError, nothing was thrown");
}

function expectCode(action: () => unknown, code: PnpErrorCode, messagePart?: string): PnpProtocolError {
  const error = errorOf(action);
  expect(error.code).toBe(code);
  expect(error.name).toBe("PnpProtocolError");
  if (messagePart !== undefined) expect(error.message).toContain(messagePart);
  return error;
}

const PNP_OPEN = '<pnp xmlns="urn:cisco:pnp" version="1.0" udi="PID:C9300-24P,VID:V02,SN:FOC2233X0AB">';

function nested(depth: number): string {
  return `${"<a>".repeat(depth)}${"</a>".repeat(depth)}`;
}

describe("hostile input", () => {
  it("refuses the billion-laughs DTD before expanding anything", () => {
    expectCode(
      () => parsePnp(fixtureText("hostile/billion-laughs.xml")),
      "PNP_XML_DTD_FORBIDDEN",
      "<!DOCTYPE",
    );
  });

  it("refuses an external entity declaration (lower-case doctype too)", () => {
    expectCode(
      () => parsePnp(fixtureText("hostile/xxe-external-entity.xml")),
      "PNP_XML_DTD_FORBIDDEN",
      "doctype",
    );
  });

  it("refuses a stray <!ENTITY declaration", () => {
    expectCode(() => parseXml('<a><!ENTITY x "y"></a>'), "PNP_XML_DTD_FORBIDDEN", "ENTITY");
  });

  it("refuses references to undefined entities, with the offset", () => {
    const error = expectCode(
      () => parsePnp(fixtureText("hostile/undefined-entity.xml")),
      "PNP_XML_ENTITY_FORBIDDEN",
      "&xxe;",
    );
    expect(error.offset).toBeGreaterThan(0);
    expectCode(() => parseXml('<a b="&nbsp;"/>'), "PNP_XML_ENTITY_FORBIDDEN", "&nbsp;");
  });

  it("refuses binary junk as bytes (not UTF-8) and as text (control characters)", () => {
    expectCode(() => parsePnp(fixtureBytes("hostile/binary-junk.bin")), "PNP_XML_INVALID_CHAR", "UTF-8");
    const asLatin1 = Buffer.from(fixtureBytes("hostile/binary-junk.bin")).toString("latin1");
    expectCode(() => parsePnp(asLatin1), "PNP_XML_INVALID_CHAR", "U+001A");
  });

  it("refuses UTF-16 sent without a declaration or BOM", () => {
    expectCode(() => parsePnp(fixtureBytes("hostile/utf16le-without-bom.xml")), "PNP_XML_INVALID_CHAR");
  });

  it("refuses character references to characters XML forbids", () => {
    expectCode(() => parseXml("<a>&#0;</a>"), "PNP_XML_INVALID_CHAR", "&#0;");
    expectCode(() => parseXml("<a>&#x1B;</a>"), "PNP_XML_INVALID_CHAR");
    expectCode(() => parseXml("<a>&#x110000;</a>"), "PNP_XML_INVALID_CHAR");
  });

  it("refuses a lone surrogate", () => {
    expectCode(() => parseXml("<a>\uD800</a>"), "PNP_XML_INVALID_CHAR", "U+D800");
  });

  it("refuses messages over the size limit, counted in UTF-8 bytes", () => {
    const big = `${PNP_OPEN}${"x".repeat(DEFAULT_XML_LIMITS.maxBytes)}</pnp>`;
    expectCode(() => parsePnp(big), "PNP_XML_TOO_LARGE", String(DEFAULT_XML_LIMITS.maxBytes));
    // 40 characters, 120 bytes: over a 100-byte limit only when bytes are counted.
    const multibyte = `<a>${"€".repeat(38)}</a>`;
    expect(multibyte.length).toBeLessThan(100);
    expectCode(() => parseXml(multibyte, { maxBytes: 100 }), "PNP_XML_TOO_LARGE");
    expectCode(() => parseXml(new TextEncoder().encode(multibyte), { maxBytes: 100 }), "PNP_XML_TOO_LARGE");
    expect(parseXml(multibyte, { maxBytes: 200 }).getText()).toBe("€".repeat(38));
  });

  it("refuses nesting deeper than the limit and accepts exactly the limit", () => {
    expectCode(() => parseXml(nested(DEFAULT_XML_LIMITS.maxDepth + 1)), "PNP_XML_TOO_DEEP", "deeper than 32");
    expect(parseXml(nested(DEFAULT_XML_LIMITS.maxDepth)).name).toBe("a");
    expectCode(() => parseXml(nested(5), { maxDepth: 4 }), "PNP_XML_TOO_DEEP");
  });

  it("refuses a deeply nested bomb quickly, without building it", () => {
    const started = Date.now();
    expectCode(() => parseXml("<a>".repeat(200_000)), "PNP_XML_TOO_DEEP");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses more elements than the limit", () => {
    const wide = `<a>${"<b/>".repeat(20)}</a>`;
    expectCode(() => parseXml(wide, { maxElements: 20 }), "PNP_XML_TOO_MANY_ELEMENTS", "more than 20");
    expect(parseXml(wide, { maxElements: 21 }).children).toHaveLength(20);
  });

  it("refuses attribute values longer than the limit", () => {
    const long = `<a correlator="${"c".repeat(DEFAULT_XML_LIMITS.maxAttributeLength + 1)}"/>`;
    expectCode(() => parseXml(long), "PNP_XML_ATTR_TOO_LONG", "correlator");
    expect(
      parseXml(`<a correlator="${"c".repeat(64)}"/>`, { maxAttributeLength: 64 }).attrs.correlator,
    ).toHaveLength(64);
  });

  it("checks the same limits on an element tree handed over by the XMPP stack", () => {
    let deep = xml("a");
    for (let level = 0; level < 40; level += 1) deep = xml("a", {}, deep);
    expectCode(() => checkElementLimits(deep), "PNP_XML_TOO_DEEP");
    expectCode(() => parsePnp(deep), "PNP_XML_TOO_DEEP");
    expectCode(() => checkElementLimits(xml("a", { x: "y".repeat(5000) })), "PNP_XML_ATTR_TOO_LONG");
    expectCode(
      () =>
        checkElementLimits(xml("a", {}, ...Array.from({ length: 11 }, () => xml("b"))), { maxElements: 10 }),
      "PNP_XML_TOO_MANY_ELEMENTS",
    );
  });

  it("rejects invalid limits", () => {
    expect(() => parseXml("<a/>", { maxDepth: 0 })).toThrow(RangeError);
  });
});

describe("malformed XML", () => {
  const cases: [string, string, string][] = [
    ["mismatched end tag", fixtureText("hostile/mismatched-end-tag.xml"), "does not match"],
    ["unclosed root", "<a><b></b>", "<a> is not closed"],
    ["unexpected end tag", "<a/></b>", "unexpected end tag"],
    ["text before the root", "junk<a/>", "text outside the root"],
    ["text after the root", "<a/>junk", "text outside the root"],
    ["two roots", "<a/><b/>", "second root"],
    ["unquoted attribute", '<a b=1 c="2"/>', "must be quoted"],
    ["attribute without value", "<a b/>", "has no value"],
    ["duplicate attribute", '<a b="1" b="2"/>', "duplicate attribute"],
    ["missing space between attributes", '<a b="1"c="2"/>', "whitespace is required"],
    ["unescaped < in an attribute", '<a b="x<y"/>', "'<' must be escaped"],
    ["bare ampersand", "<a>AT&T rocks</a>", "'&' must be escaped"],
    ["invalid element name", "<1a/>", "invalid element name"],
    ["empty element name", "< a/>", "missing element name"],
    ["XML declaration not first", "<a/><?xml version='1.0'?>", "must come first"],
    ["unterminated comment", "<a><!-- never closed</a>", "unterminated comment"],
    ["unterminated CDATA", "<a><![CDATA[never closed</a>", "unterminated CDATA"],
    ["CDATA end marker in text", "<a>x]]>y</a>", "']]>'"],
    ["empty input", "   \n", "empty"],
    ["no root at all", "<!-- only a comment -->", "no root element"],
    ["unknown markup declaration", "<a><!ELEMENT a ANY></a>", "'<!'"],
  ];

  it.each(cases)("%s", (_name, input, messagePart) => {
    expectCode(() => parseXml(input), "PNP_XML_MALFORMED", messagePart);
  });

  it("never throws anything but PnpProtocolError for random bytes", () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = "<>/=\"'&;!?[]-abcpnp:x \n\u0000\u00e9";
    for (let round = 0; round < 500; round += 1) {
      const length = random() % 60;
      let input = "";
      for (let index = 0; index < length; index += 1) input += alphabet[random() % alphabet.length];
      try {
        parsePnp(input);
      } catch (error) {
        expect(error).toBeInstanceOf(PnpProtocolError);
      }
    }
  });
});

describe("accepted input", () => {
  it("accepts a byte-order mark, an XML declaration, comments and processing instructions", () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><?pi data?><a x="1"><!-- c --><b/></a>',
    );
    expect(root.name).toBe("a");
    expect(root.attrs.x).toBe("1");
    expect(root.getChild("b")).toBeDefined();
  });

  it("accepts bytes with a UTF-8 BOM", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("<a>é</a>")]);
    expect(parseXml(bytes).getText()).toBe("é");
  });

  it("decodes the predefined entities and character references in text and attributes", () => {
    const root = parseXml(`<a b="&quot;&apos;&lt;&gt;&amp;&#65;&#x42;">&lt;&gt;&amp;&#x1F600;</a>`);
    expect(root.attrs.b).toBe(`"'<>&AB`);
    expect(root.getText()).toBe("<>&😀");
  });

  it("keeps text that follows a CDATA section or a comment (ltx alone drops it)", () => {
    expect(
      parseXml("<a><![CDATA[x<y]]> & tail<!-- c -->end</a>".replace("& tail", "&amp; tail")).getText(),
    ).toBe("x<y & tailend");
  });

  it("normalises CRLF and CR line ends to LF, keeping a CR written as &#13;", () => {
    expect(parseXml("<a>one\r\ntwo\rthree&#13;</a>").getText()).toBe("one\ntwo\nthree\r");
  });

  it("accepts single-quoted attributes, whitespace around = and in end tags", () => {
    const root = parseXml("<a b = 'x\"y' ></a >");
    expect(root.attrs.b).toBe('x"y');
  });

  it("builds elements of @xmpp/xml's Element class, the one @xmpp/component sends", () => {
    const root = parseXml("<a><b/></a>");
    expect(root).toBeInstanceOf(xml.Element);
    expect(root.getChild("b")).toBeInstanceOf(xml.Element);
    expect(root.getChild("b")?.parent).toBe(root);
  });
});

describe("serialising", () => {
  it("writes the declaration only when asked", () => {
    const element = xml("a", { b: "1" }, xml("c", {}, "t"));
    expect(toXmlString(element)).toBe('<a b="1"><c>t</c></a>');
    expect(toXmlString(element, { declaration: true })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><a b="1"><c>t</c></a>',
    );
    expect(toXmlString(element, { declaration: true, indent: 2 })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a b="1">\n  <c>t</c>\n</a>\n',
    );
  });

  it("escapes what must be escaped", () => {
    expect(toXmlString(xml("a", { b: `"<&'>` }, "<&>"))).toBe(
      '<a b="&quot;&lt;&amp;&apos;&gt;">&lt;&amp;&gt;</a>',
    );
  });

  it("sanitises text XML cannot carry", () => {
    expect(isXmlSafeText("bell\u0007")).toBe(false);
    expect(sanitizeXmlText("bell\u0007 nul\u0000")).toBe("bell\uFFFD nul\uFFFD");
    expect(isXmlSafeText(sanitizeXmlText("x\u0001\uD800y"))).toBe(true);
  });
});
