import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log/logger.js";

describe("log redaction", () => {
  it("never writes secrets, passwords or tokens, at any of the first nesting levels", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ destination: sink });
    logger.info(
      { componentSecret: "SECRET-1", password: "SECRET-2", config: { redisUrl: "redis://:SECRET-3@h:1" } },
      "a",
    );
    logger.info(
      { device: { creds: { pwd: "SECRET-4" } }, token: "SECRET-5", authorization: "Bearer SECRET-6" },
      "b",
    );
    expect(out).not.toMatch(/SECRET-\d/);
    expect(out.match(/\[redacted\]/g)?.length).toBe(6);
  });
});
