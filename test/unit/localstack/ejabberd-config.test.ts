import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { domainBalancingYaml, renderEjabberdConfig } from "../../../src/localstack/ejabberd.js";

const template = readFileSync(new URL("../../../ejabberd/ejabberd.yml.template", import.meta.url), "utf8");
const values = {
  XMPP_DOMAIN: "pnp.test",
  COMPONENT_DOMAIN: "pnpserver.pnp.test",
  COMPONENT_SECRET: "s3cret-value",
  CERT_FILE: "/tmp/ejabberd.pem",
  C2S_PORT: 15222,
  C2S_TLS_PORT: 15223,
  COMPONENT_PORT: 15275,
  API_PORT: 15281,
  C2S_BIND: "127.0.0.1",
  COMPONENT_BIND: "127.0.0.1",
  PING_INTERVAL: 60,
  PING_ACK_TIMEOUT: 32,
  MAX_STANZA_SIZE: 262144,
  LOG_LEVEL: "info",
};

describe("ejabberd.yml template", () => {
  it("fills every placeholder with our settings", () => {
    const yml = renderEjabberdConfig(template, values);
    expect(yml).not.toMatch(/\{\{/);
    expect(yml).toContain('"pnpserver.pnp.test":\n        password: "s3cret-value"');
    expect(yml).toMatch(
      /port: 15222\n\s+ip: "127.0.0.1"\n\s+module: ejabberd_c2s\n\s+starttls_required: true/,
    );
    expect(yml).toMatch(/port: 15223\n\s+ip: "127.0.0.1"\n\s+module: ejabberd_c2s\n\s+tls: true/);
    expect(yml).toMatch(/timeout_action: kill/);
    expect(yml).not.toMatch(/mod_stream_mgmt:/);
    expect(yml).toMatch(/backlog: 1024/);
  });

  it("refuses a missing value or one that could break out of its YAML string", () => {
    const { COMPONENT_SECRET: _omit, ...missing } = values;
    expect(() => renderEjabberdConfig(template, missing)).toThrow(/COMPONENT_SECRET/);
    expect(() => renderEjabberdConfig(template, { ...values, COMPONENT_SECRET: 'a"\nlisten: []' })).toThrow(
      /quote/,
    );
  });

  it("writes domain_balancing only for several instances, with component_number equal to their count", () => {
    expect(domainBalancingYaml("pnpserver.pnp.test", 1)).toBe("");
    const yml = domainBalancingYaml("pnpserver.pnp.test", 3);
    expect(yml).toContain("type: bare_source");
    expect(yml).toContain("component_number: 3");
  });
});
