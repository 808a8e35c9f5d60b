import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { guardXmlInput } from "../../../src/transports/xmpp/input-guard.js";

/** The shape of an xmpp.js connection's input path: socket data goes to _onData, then to the parser. */
class FakeConnection extends EventEmitter {
  parser: { write(s: string): void } | null = { write: () => undefined };
  disconnected = false;
  _onData(data: Buffer) {
    this.parser!.write(data.toString());
  }
  async disconnect() {
    this.disconnected = true;
  }
}

describe("xmpp.js input guard", () => {
  it("drops data that arrives after the parser was detached instead of throwing", () => {
    const connection = new FakeConnection();
    guardXmlInput(connection);
    connection.parser = null;
    expect(() => connection._onData(Buffer.from("<presence/>"))).not.toThrow();
  });

  it("turns a parser exception into an error event and a disconnect", () => {
    const connection = new FakeConnection();
    connection.parser = {
      write: () => {
        throw new Error("unknown entity &foo;");
      },
    };
    guardXmlInput(connection);
    const errors: Error[] = [];
    connection.on("error", (err) => errors.push(err));
    connection._onData(Buffer.from("&foo;"));
    expect(errors.map((e) => e.message)).toEqual(["unknown entity &foo;"]);
    expect(connection.disconnected).toBe(true);
  });

  it("leaves normal input alone", () => {
    const connection = new FakeConnection();
    const seen: string[] = [];
    connection.parser = { write: (s) => seen.push(s) };
    guardXmlInput(connection);
    connection._onData(Buffer.from("<iq/>"));
    expect(seen).toEqual(["<iq/>"]);
  });
});
