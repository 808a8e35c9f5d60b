// Every built fixture, both directions: build → exactly the file; file → the typed message → the file again.

import { describe, expect, it } from "vitest";
import {
  buildPnp,
  type PnpMessage,
  parsePnp,
  serializePnp,
  toXmlString,
} from "../../../src/protocol/index.js";
import { fixtureText } from "./fixture-files.js";
import { GOLDEN_BUILT } from "./golden-messages.js";

/** What parsing yields for a message we built: the same message, with the version read from the wire. */
function asParsed(message: (typeof GOLDEN_BUILT)[number]["message"]): PnpMessage {
  return { ...message, envelope: { ...message.envelope, version: "1.0" } } as PnpMessage;
}

describe("golden fixtures built by the codec", () => {
  it("covers every implemented service in both directions", () => {
    const services = new Set<string>();
    for (const { message } of GOLDEN_BUILT) {
      if (message.kind === "request") services.add(`request:${message.request.service}`);
      if (message.kind === "response") services.add(`response:${message.response.service}`);
    }
    for (const service of [
      "backoff",
      "capability",
      "certificate-install",
      "cli-config",
      "cli-exec",
      "config-upgrade",
      "device-info",
      "file-transfer",
      "image-install",
      "licensing",
      "redirection",
      "reload",
      "script",
      "tag",
      "topology",
    ]) {
      expect(services, service).toContain(`request:${service}`);
      expect(services, service).toContain(`response:${service}`);
    }
  });

  describe.each(GOLDEN_BUILT.map((golden) => [golden.file, golden] as const))("%s", (_file, golden) => {
    const fixture = fixtureText(golden.file);

    it("builds exactly the fixture", () => {
      expect(serializePnp(golden.message, { declaration: true, indent: 2 })).toBe(fixture);
    });

    it("parses the fixture into the typed message", () => {
      expect(parsePnp(fixture)).toEqual(asParsed(golden.message));
    });

    it("builds the parsed message back into the fixture", () => {
      const parsed = parsePnp(fixture);
      if (parsed.kind === "unknown") throw new Error("fixture parsed as unknown");
      expect(toXmlString(buildPnp(parsed), { declaration: true, indent: 2 })).toBe(fixture);
    });

    it("parses the compact form (no declaration, no indentation) the same way", () => {
      const compact = serializePnp(golden.message);
      expect(compact.startsWith("<pnp ")).toBe(true);
      expect(compact).not.toContain("\n  <");
      expect(parsePnp(compact)).toEqual(asParsed(golden.message));
    });
  });
});
