// The tag service's ownership rule: an existing tag changes only through the server.

import { describe, expect, it } from "vitest";
import {
  addDeviceLocalTag,
  applyTagRequest,
  buildRequest,
  buildResponse,
  MAX_TAGS_PER_DEVICE,
  PnpProtocolError,
  parsePnp,
  TAG_ERROR_CODES,
  type Tag,
  toXmlString,
} from "../../../src/protocol/index.js";

const envelope = { udi: "PID:C9300-24P,VID:V02,SN:FOC2233X0AB" };
const current: Tag[] = [
  { name: "asset", value: "A-10442", owner: "device" },
  { name: "site", value: "BER-01", owner: "server" },
];

describe("tag requests applied by an agent", () => {
  it("set adds server-owned tags and replaces values", () => {
    const result = applyTagRequest(current, {
      operation: "set",
      tags: [
        { name: "site", value: "HAM-02" },
        { name: "role", value: "access" },
      ],
    });
    expect(result).toEqual({
      ok: true,
      changed: true,
      tags: [
        { name: "asset", value: "A-10442", owner: "device" },
        { name: "site", value: "HAM-02", owner: "server" },
        { name: "role", value: "access", owner: "server" },
      ],
    });
  });

  it("set of a device-owned tag hands it to the server", () => {
    const result = applyTagRequest(current, {
      operation: "set",
      tags: [{ name: "asset", value: "A-10442" }],
    });
    expect(result.ok && result.changed).toBe(true);
    expect(result.tags[0]).toEqual({ name: "asset", value: "A-10442", owner: "server" });
  });

  it("setting the same value on a server-owned tag changes nothing", () => {
    const result = applyTagRequest(current, { operation: "set", tags: [{ name: "site", value: "BER-01" }] });
    expect(result).toMatchObject({ ok: true, changed: false });
  });

  it("remove deletes whoever owns the tag, and removing an absent tag is not an error", () => {
    expect(applyTagRequest(current, { operation: "remove", names: ["asset", "missing"] })).toEqual({
      ok: true,
      changed: true,
      tags: [{ name: "site", value: "BER-01", owner: "server" }],
    });
    expect(applyTagRequest(current, { operation: "remove", names: ["missing"] })).toMatchObject({
      ok: true,
      changed: false,
    });
  });

  it("list changes nothing and reports everything", () => {
    expect(applyTagRequest(current, { operation: "list" })).toEqual({
      ok: true,
      changed: false,
      tags: current,
    });
  });

  it("is all or nothing: one bad tag leaves every tag as it was", () => {
    const result = applyTagRequest(current, {
      operation: "set",
      tags: [
        { name: "site", value: "HAM-02" },
        { name: "bad name", value: "x" },
      ],
    });
    expect(result.ok).toBe(false);
    expect(result.tags).toEqual(current);
    if (!result.ok) {
      expect(result.errorInfo).toEqual({
        severity: "ERROR",
        code: `PnP Service Error ${TAG_ERROR_CODES.invalidName}`,
        message: 'invalid tag name "bad name"',
      });
    }
  });

  it("refuses values over 255 characters, duplicates, and more tags than a device holds", () => {
    const long = applyTagRequest(current, {
      operation: "set",
      tags: [{ name: "x", value: "v".repeat(256) }],
    });
    expect(long.ok ? undefined : long.errorInfo.code).toBe("PnP Service Error 3803");
    const twice = applyTagRequest(current, {
      operation: "set",
      tags: [
        { name: "x", value: "1" },
        { name: "x", value: "2" },
      ],
    });
    expect(twice.ok ? undefined : twice.errorInfo.code).toBe("PnP Service Error 3801");
    const many = applyTagRequest(current, {
      operation: "set",
      tags: Array.from({ length: MAX_TAGS_PER_DEVICE - 1 }, (_, index) => ({ name: `t${index}`, value: "" })),
    });
    expect(many.ok ? undefined : many.errorInfo.code).toBe("PnP Service Error 3804");
    expect(many.tags).toEqual(current);
  });

  it("does not modify the caller's tag list", () => {
    const before = structuredClone(current);
    applyTagRequest(current, { operation: "set", tags: [{ name: "site", value: "X" }] });
    applyTagRequest(current, { operation: "remove", names: ["site"] });
    expect(current).toEqual(before);
  });
});

describe("tags created on the device itself", () => {
  it("may only add new, device-owned tags", () => {
    expect(addDeviceLocalTag(current, { name: "rack", value: "R4" })).toEqual({
      ok: true,
      tags: [...current, { name: "rack", value: "R4", owner: "device" }],
    });
  });

  it("never change an existing tag, server-owned or device-owned", () => {
    expect(addDeviceLocalTag(current, { name: "site", value: "elsewhere" })).toEqual({
      ok: false,
      reason: "exists",
    });
    expect(addDeviceLocalTag(current, { name: "asset", value: "A-1" })).toEqual({
      ok: false,
      reason: "exists",
    });
  });

  it("follow the same name, value and count limits", () => {
    expect(addDeviceLocalTag(current, { name: "-x", value: "" })).toEqual({
      ok: false,
      reason: "invalid-name",
    });
    expect(addDeviceLocalTag(current, { name: "x", value: "v".repeat(256) })).toEqual({
      ok: false,
      reason: "value-too-long",
    });
    const full: Tag[] = Array.from({ length: MAX_TAGS_PER_DEVICE }, (_, index) => ({
      name: `t${index}`,
      value: "",
      owner: "server",
    }));
    expect(addDeviceLocalTag(full, { name: "one-more", value: "" })).toEqual({
      ok: false,
      reason: "too-many-tags",
    });
  });
});

describe("tag wire format", () => {
  it("the agent's answer to a request carries the full list with owners", () => {
    const request = parsePnp(
      toXmlString(
        buildRequest(envelope, {
          service: "tag",
          correlator: "c",
          operation: "set",
          tags: [{ name: "role", value: "core" }],
        }),
      ),
    );
    if (request.kind !== "request" || request.request.service !== "tag") throw new Error(request.kind);
    const result = applyTagRequest(current, request.request);
    const response = buildResponse(envelope, {
      service: "tag",
      correlator: request.request.correlator,
      success: result.ok,
      tags: result.tags,
      ...(result.ok ? {} : { errorInfo: result.errorInfo }),
    });
    expect(toXmlString(response)).toContain(
      '<tags><tag name="asset" owner="device">A-10442</tag><tag name="site" owner="server">BER-01</tag><tag name="role" owner="server">core</tag></tags>',
    );
  });

  it("builders refuse invalid names and empty operations", () => {
    for (const build of [
      () =>
        buildRequest(envelope, {
          service: "tag",
          correlator: "c",
          operation: "set",
          tags: [{ name: "a b", value: "" }],
        }),
      () => buildRequest(envelope, { service: "tag", correlator: "c", operation: "set", tags: [] }),
      () =>
        buildRequest(envelope, { service: "tag", correlator: "c", operation: "remove", names: ["x", "x"] }),
      () =>
        buildResponse(envelope, {
          service: "tag",
          correlator: "c",
          success: true,
          tags: [{ name: "x", value: "1", owner: "nobody" as "server" }],
        }),
    ]) {
      expect(build).toThrow(PnpProtocolError);
    }
  });

  it("a response without the tag list or with an unknown owner is invalid", () => {
    const open =
      '<pnp xmlns="urn:cisco:pnp" version="1.0" udi="x"><response xmlns="urn:cisco:pnp:tag" correlator="c" success="1">';
    expect(() => parsePnp(`${open}</response></pnp>`)).toThrow(/tags: element is missing/);
    expect(() => parsePnp(`${open}<tags><tag name="a" owner="me">v</tag></tags></response></pnp>`)).toThrow(
      /owner/,
    );
  });
});
