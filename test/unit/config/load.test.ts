import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config/load.js";
import { envName } from "../../../src/config/schema.js";

describe("configuration", () => {
  it("reads PNP_* variables and coerces numbers and booleans", () => {
    const config = loadConfig(
      {},
      { PNP_EJABBERD_C2S_PORT: "15222", PNP_LOG_PRETTY: "true", PNP_XMPP_DOMAIN: "example.net" },
    );
    expect(config.ejabberdC2sPort).toBe(15222);
    expect(config.logPretty).toBe(true);
    expect(config.xmppDomain).toBe("example.net");
    expect(config.componentDomain).toBe("pnpserver.pnp.local");
  });

  it("lets explicit overrides win over the environment", () => {
    expect(loadConfig({ xmppDomain: "a.test" }, { PNP_XMPP_DOMAIN: "b.test" }).xmppDomain).toBe("a.test");
  });

  it("reports every bad value at once, named by its variable", () => {
    try {
      loadConfig(
        {},
        { PNP_EJABBERD_C2S_PORT: "99999", PNP_COMPONENT_SECRET: "short", PNP_LOG_LEVEL: "loud" },
      );
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain("PNP_EJABBERD_C2S_PORT");
      expect(message).toContain("PNP_COMPONENT_SECRET");
      expect(message).toContain("PNP_LOG_LEVEL");
      expect((err as ConfigError).code).toBe("PNP_CONFIG_INVALID");
    }
  });

  it("names variables after the keys", () => {
    expect(envName("ejabberdC2sTlsPort")).toBe("PNP_EJABBERD_C2S_TLS_PORT");
  });
});
