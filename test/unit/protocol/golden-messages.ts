// The typed messages behind the golden fixtures in test/fixtures/pnp/<service>/. Each "built" fixture is
// exactly what `serializePnp(message, { declaration: true, indent: 2 })` writes; the tests check both
// directions against the file.

import type { BuildablePnpMessage, Envelope } from "../../../src/protocol/index.js";

export const SWITCH_UDI = "PID:C9300-24P,VID:V02,SN:FOC2233X0AB";
const AGENT_CORRELATOR = "CiscoPnP-1.0-R17.9-I12-P411-T50212-3";
const SERVER_CORRELATOR = "PnPServer-1.0-m3x9k2a1-5f2c9e01aa7b";

const envelope: Envelope = { udi: SWITCH_UDI };
const withSession: Envelope = { udi: SWITCH_UDI, sid: "s-7d41" };

export interface GoldenBuilt {
  /** Path under test/fixtures/pnp/. */
  file: string;
  message: BuildablePnpMessage;
}

export const GOLDEN_BUILT: GoldenBuilt[] = [
  // --- work-info ------------------------------------------------------------------------------------
  {
    file: "work-info/work-request.xml",
    message: {
      kind: "work-request",
      envelope,
      workRequest: {
        correlator: AGENT_CORRELATOR,
        deviceId: {
          udi: SWITCH_UDI,
          macAddress: "70:1F:53:A2:0C:80",
          hostname: "Switch",
          authRequired: false,
          viaProxy: false,
          securityAdvise: "Password in clear text in unsecured transport",
        },
      },
    },
  },
  {
    file: "work-info/bye.xml",
    message: { kind: "bye", envelope, bye: { correlator: AGENT_CORRELATOR } },
  },
  {
    file: "work-info/bye-with-sid.xml",
    message: { kind: "bye", envelope: withSession, bye: { correlator: AGENT_CORRELATOR, sid: "s-7d41" } },
  },

  // --- device-info ----------------------------------------------------------------------------------
  ...(["all", "filesystem", "hardware", "image", "udi", "profile"] as const).map(
    (type): GoldenBuilt => ({
      file: `device-info/request-${type}.xml`,
      message: {
        kind: "request",
        envelope,
        request: { service: "device-info", correlator: AGENT_CORRELATOR, type },
      },
    }),
  ),
  {
    file: "device-info/response-all.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "device-info",
        correlator: AGENT_CORRELATOR,
        success: true,
        deviceInfo: {
          udi: {
            primaryChassis: SWITCH_UDI,
            stackMembers: [
              { slot: 1, udi: SWITCH_UDI },
              { slot: 2, udi: "PID:C9300-24P,VID:V02,SN:FOC2233X0CD" },
            ],
          },
          imageInfo: {
            versionString: "17.9.4a",
            imageFile: "flash:packages.conf",
            imageHash: "9f1b5c0a7e3d2c4b",
            returnToRomReason: "Reload Command",
            bootVariable: "flash:packages.conf;",
            bootLdrVariable: "",
            configVariable: "",
            configReg: "0x102",
            configRegNext: "0x102",
          },
          hardwareInfo: {
            hostname: "Switch",
            vendor: "Cisco",
            platformName: "C9300-24P",
            processorType: "ARM64",
            hwRevision: "V02",
            mainMemSize: -1728053248,
            ioMemSize: 0,
            boardId: "FOC2233X0AB",
            boardReworkId: "",
            processorRev: "",
            midplaneVersion: "",
            location: "",
          },
          fileSystemList: [
            {
              name: "flash",
              type: "disk",
              size: 11353194496,
              freespace: 8412672000,
              readable: true,
              writable: true,
            },
            {
              name: "crashinfo",
              type: "disk",
              size: 1651314688,
              freespace: 1626853376,
              readable: true,
              writable: true,
            },
            {
              name: "nvram",
              type: "nvram",
              size: 2097152,
              freespace: 2084864,
              readable: true,
              writable: true,
            },
          ],
          profileInfo: [
            {
              profileName: "pnp-zero-touch",
              discoveryCreated: true,
              createdBy: "DHCP",
              primaryServer: { protocol: "http", address: { kind: "ipv4", value: "192.0.2.10" }, port: 80 },
            },
          ],
        },
      },
    },
  },
  {
    file: "device-info/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "device-info",
        correlator: AGENT_CORRELATOR,
        success: false,
        deviceInfo: {},
        errorInfo: {
          severity: "XSVC_ERROR",
          code: "PnP Service Error 1609",
          message: "File system information is not available",
        },
      },
    },
  },

  // --- backoff --------------------------------------------------------------------------------------
  {
    file: "backoff/request-callback-after.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "backoff",
        correlator: AGENT_CORRELATOR,
        reason: "No work for this device yet",
        action: { kind: "callbackAfter", hours: 0, minutes: 5, seconds: 30 },
      },
    },
  },
  {
    file: "backoff/request-default-minutes.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "backoff",
        correlator: AGENT_CORRELATOR,
        reason: "Poll less often",
        action: { kind: "defaultMinutes", minutes: 60 },
      },
    },
  },
  {
    file: "backoff/request-terminate.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "backoff",
        correlator: AGENT_CORRELATOR,
        reason: "Provisioning complete",
        action: { kind: "terminate" },
      },
    },
  },
  {
    file: "backoff/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "backoff", correlator: AGENT_CORRELATOR, success: true },
    },
  },
  {
    file: "backoff/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "backoff",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "WARNING",
          code: "PnP Service Error 3001",
          message: "Backoff is not supported",
        },
      },
    },
  },

  // --- capability -----------------------------------------------------------------------------------
  {
    file: "capability/request.xml",
    message: { kind: "request", envelope, request: { service: "capability", correlator: SERVER_CORRELATOR } },
  },
  {
    file: "capability/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "capability",
        correlator: SERVER_CORRELATOR,
        success: true,
        capabilities: [
          "cisco:pnp:backoff",
          "cisco:pnp:capabilities",
          "cisco:pnp:certificate-install",
          "cisco:pnp:cli-config",
          "cisco:pnp:cli-exec",
          "cisco:pnp:config-upgrade",
          "cisco:pnp:device-info",
          "cisco:pnp:file-transfer",
          "cisco:pnp:image-install",
          "cisco:pnp:licensing",
          "cisco:pnp:redirection",
          "cisco:pnp:reload",
          "cisco:pnp:script",
          "cisco:pnp:tag",
          "cisco:pnp:topology",
          "cisco:pnp:work-info",
        ],
        features: ["cisco:pnp:service-log", "cisco:pnp:script-arguments", "cisco:pnp:script-inline"],
      },
    },
  },

  // --- cli-exec -------------------------------------------------------------------------------------
  {
    file: "cli-exec/request-exec-cli-dialogue.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "cli-exec",
        correlator: AGENT_CORRELATOR,
        operation: "execCLI",
        command: "copy running-config flash:day0-backup.cfg",
        dialogues: [
          { expect: "Destination filename [day0-backup.cfg]?", match: "exact", reply: "" },
          { expect: "[confirm]", match: "trailing", caseSensitive: false, reply: "y", repeat: 2 },
        ],
        maxWait: "PT60S",
        xsd: false,
      },
    },
  },
  {
    file: "cli-exec/request-exec-cli-show.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "cli-exec",
        correlator: AGENT_CORRELATOR,
        operation: "execCLI",
        command: "show version | include uptime",
        maxWait: "PT30S",
        maxResponseSize: 65536,
        xsd: false,
      },
    },
  },
  {
    file: "cli-exec/request-exec-test.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "cli-exec",
        correlator: AGENT_CORRELATOR,
        operation: "execTest",
        details: "errors",
        data: { kind: "commands", commands: ["show inventory", "show ip interface brief"] },
      },
    },
  },
  {
    file: "cli-exec/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "cli-exec",
        correlator: AGENT_CORRELATOR,
        success: true,
        execLog: {
          dialogueLogs: [
            {
              sent: "show version | include uptime",
              received: "Switch uptime is 2 days, 3 hours, 12 minutes\n",
            },
          ],
        },
      },
    },
  },
  {
    file: "cli-exec/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "cli-exec",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: { code: "PnP Service Error 1302", message: "CLI execution failed" },
        execLog: {
          dialogueLogs: [
            {
              sent: "show running-config | section <bad",
              received: "                                   ^\n% Invalid input detected at '^' marker.\n",
              resultEntries: [
                {
                  lineNumber: 1,
                  cliString: "show running-config | section <bad",
                  outcome: { kind: "failure", errorType: "PERMANENT", errorCode: "%PARSER-4-BADCFG" },
                },
              ],
            },
          ],
          errorInfo: { code: "PnP Service Error 1302", message: "1 of 1 commands failed" },
        },
      },
    },
  },

  // --- cli-config -----------------------------------------------------------------------------------
  {
    file: "cli-config/request-config-apply.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "cli-config",
        correlator: AGENT_CORRELATOR,
        operation: "configApply",
        details: "all",
        actionOnFail: "rollback",
        data: {
          kind: "commands",
          commands: ["hostname access-sw-01", "ip domain name example.net", "ntp server 192.0.2.123"],
        },
      },
    },
  },
  {
    file: "cli-config/request-config-apply-block.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "cli-config",
        correlator: AGENT_CORRELATOR,
        operation: "configApply",
        actionOnFail: "stop",
        data: {
          kind: "block",
          block:
            "interface GigabitEthernet1/0/1\n description uplink <core-01> & backup\n switchport mode trunk\n",
        },
      },
    },
  },
  {
    file: "cli-config/request-config-test.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "cli-config",
        correlator: AGENT_CORRELATOR,
        operation: "configTest",
        details: "errors",
        data: { kind: "commands", commands: ["vlan 10", "name users"] },
      },
    },
  },
  {
    file: "cli-config/request-config-persist.xml",
    message: {
      kind: "request",
      envelope: { udi: SWITCH_UDI, noCheckTime: 15 },
      request: { service: "cli-config", correlator: AGENT_CORRELATOR, operation: "configPersist" },
    },
  },
  {
    file: "cli-config/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "cli-config",
        correlator: AGENT_CORRELATOR,
        success: true,
        resultEntries: [
          {
            lineNumber: 1,
            cliString: "hostname access-sw-01",
            outcome: { kind: "success", change: "CHANGE", mode: "IMMEDIATE" },
          },
          {
            lineNumber: 2,
            cliString: "ip domain name example.net",
            outcome: { kind: "success", change: "NO_CHANGE", mode: "IMMEDIATE" },
          },
          { lineNumber: 3, cliString: "ntp server 192.0.2.123", outcome: { kind: "notExecuted" } },
        ],
      },
    },
  },
  {
    file: "cli-config/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "cli-config",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: { code: "PnP Service Error 1201", message: "Config apply failed, rolled back" },
        resultEntries: [
          {
            lineNumber: 1,
            cliString: "hostnme access-sw-01",
            outcome: { kind: "invalid" },
            text: "% Invalid input detected at '^' marker.",
          },
        ],
      },
    },
  },

  // --- config-upgrade -------------------------------------------------------------------------------
  {
    file: "config-upgrade/request-running-no-reload.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "config-upgrade",
        correlator: AGENT_CORRELATOR,
        details: "all",
        source: { location: "http://192.0.2.10:8080/configs/FOC2233X0AB.cfg" },
        checksum: "5d41402abc4b2a76b9719d911017c592",
        applyTo: "running",
        abortOnSyntaxFault: true,
        reload: { kind: "noReload" },
      },
    },
  },
  {
    file: "config-upgrade/request-startup-reload.xml",
    message: {
      kind: "request",
      envelope: {
        udi: SWITCH_UDI,
        sid: "s-7d41",
        credentials: { usr: "pnpadmin", pwd: "s3cr&t<" },
        noCheckTime: 10,
        postReloadPriv: "ztd",
      },
      request: {
        service: "config-upgrade",
        correlator: AGENT_CORRELATOR,
        source: { uri: "/configs/FOC2233X0AB.cfg" },
        applyTo: "startup",
        reload: {
          kind: "reload",
          reason: "Day-0 configuration",
          delayIn: 10,
          user: "pnp-server",
          saveConfig: false,
        },
      },
    },
  },
  {
    file: "config-upgrade/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "config-upgrade", correlator: AGENT_CORRELATOR, success: true },
    },
  },
  {
    file: "config-upgrade/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "config-upgrade",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "XSVC_ERROR",
          code: "PnP Service Error 1413",
          message: "Invalid input detected in the configuration",
        },
        serviceLog:
          "interface Gi1/0/1\n switchport mode <trunk>\n                  ^\n% Invalid input & more\n",
      },
    },
  },

  // --- image-install --------------------------------------------------------------------------------
  {
    file: "image-install/request-reload.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "image-install",
        correlator: AGENT_CORRELATOR,
        source: { location: "http://192.0.2.10:8080/images/cat9k_iosxe.17.09.04a.SPA.bin" },
        checksum: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        destination: { location: "flash:" },
        reload: { kind: "reload", reason: "Image upgrade", delayIn: 30, saveConfig: true },
      },
    },
  },
  {
    file: "image-install/request-no-reload.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "image-install",
        correlator: AGENT_CORRELATOR,
        source: { uri: "/images/cat9k_iosxe.17.09.04a.SPA.bin" },
        reload: { kind: "noReload" },
      },
    },
  },
  {
    file: "image-install/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "image-install", correlator: AGENT_CORRELATOR, success: true },
    },
  },
  {
    file: "image-install/response-error-checksum.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "image-install",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "XSVC_ERROR",
          code: "PnP Service Error 1816",
          message: "Image signature verification failed",
        },
      },
    },
  },

  // --- file-transfer --------------------------------------------------------------------------------
  {
    file: "file-transfer/request.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "file-transfer",
        correlator: AGENT_CORRELATOR,
        source: { location: "http://192.0.2.10:8080/files/guestshell-app.tar" },
        destination: { location: "flash:guest-share/guestshell-app.tar" },
      },
    },
  },
  {
    file: "file-transfer/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "file-transfer", correlator: AGENT_CORRELATOR, success: true },
    },
  },
  {
    file: "file-transfer/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "file-transfer",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: { severity: "ERROR", code: "PnP Service Error 1701", message: "File copy failed" },
      },
    },
  },

  // --- licensing ------------------------------------------------------------------------------------
  {
    file: "licensing/request.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "licensing",
        correlator: AGENT_CORRELATOR,
        copies: [{ source: { location: "http://192.0.2.10:8080/licenses/FOC2233X0AB.lic" }, clear: false }],
        level: "network-advantage",
        applyFeatures: ["dna-advantage"],
        reload: { kind: "reload", reason: "Apply license boot level" },
      },
    },
  },
  {
    file: "licensing/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "licensing",
        correlator: AGENT_CORRELATOR,
        success: true,
        licensingInfo: { total: 1, successful: 1 },
      },
    },
  },
  {
    file: "licensing/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "licensing",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "XSVC_ERROR_LCSG_INSTALL",
          code: "PnP Service Error 1901",
          message: "License install failed",
        },
      },
    },
  },

  // --- script ---------------------------------------------------------------------------------------
  {
    file: "script/request-location-tcl.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "script",
        correlator: AGENT_CORRELATOR,
        source: { location: "http://192.0.2.10:8080/scripts/crypto-keys.tcl" },
        maxWait: "PT300S",
        details: "all",
        scriptType: "tcl",
      },
    },
  },
  {
    file: "script/request-inline-python.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "script",
        correlator: AGENT_CORRELATOR,
        source: {
          inline:
            '#!/usr/bin/env python\nimport sys\nif len(sys.argv) < 2 and "x" != \'y\':\n    print("usage: <site> & <role>")\n',
        },
        arguments: "BER-01 access",
        maxWait: "PT120S",
        details: "errors",
        resultFile: "bootflash:pnp-script-result.txt",
        scriptType: "python",
      },
    },
  },
  {
    file: "script/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "script",
        correlator: AGENT_CORRELATOR,
        success: true,
        serviceLog: "script started\nscript finished\n",
        resultData: "keys=generated",
      },
    },
  },
  {
    file: "script/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "script",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: { severity: "ERROR", code: "PnP Service Error 2506", message: "Script execution failed" },
        serviceLog: "Traceback (most recent call last):\nNameError: name 'x' is not defined\n",
      },
    },
  },

  // --- topology -------------------------------------------------------------------------------------
  {
    file: "topology/request.xml",
    message: { kind: "request", envelope, request: { service: "topology", correlator: AGENT_CORRELATOR } },
  },
  {
    file: "topology/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "topology",
        correlator: AGENT_CORRELATOR,
        success: true,
        neighbors: [
          {
            local: {
              interface: "GigabitEthernet1/0/48",
              shortInterface: "Gi1/0/48",
              macAddress: "70:1f:53:a2:0c:b0",
            },
            remote: {
              interface: "TenGigabitEthernet1/1/1",
              shortInterface: "Te1/1/1",
              macAddress: "00:5d:73:11:22:01",
              deviceName: "core-01.example.net",
              platform: "cisco C9500-48Y4C",
              version: "17.9.4a",
            },
          },
        ],
      },
    },
  },
  {
    file: "topology/response-no-neighbors.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "topology", correlator: AGENT_CORRELATOR, success: true, neighbors: [] },
    },
  },

  // --- redirection ----------------------------------------------------------------------------------
  {
    file: "redirection/request-https.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "redirection",
        correlator: AGENT_CORRELATOR,
        callback: false,
        primaryServer: {
          protocol: "https",
          address: { kind: "host", value: "pnp.example.net" },
          port: 443,
          encryption: { remotecert: "pnp-server-ca" },
          sourceInterface: "Vlan 10",
          reconnectTimer: { pauseInSeconds: 60, exponentialReconnectFactor: 2, random: true },
        },
        backupServer: { protocol: "http", address: { kind: "ipv4", value: "192.0.2.11" }, port: 80 },
      },
    },
  },
  {
    file: "redirection/request-xmpp.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "redirection",
        primaryServer: {
          protocol: "xmpp-starttls",
          address: { kind: "ipv6", value: "2001:db8::10" },
          port: 5222,
          encryption: { sasl: "PLAIN" },
          authentication: {
            username: "foc2233x0ab",
            passwordType: 0,
            password: "device-secret",
            serverXmppJid: "pnp.example.net",
            deviceXmppJid: "foc2233x0ab@example.net/pnp",
          },
        },
        backupServer: {
          protocol: "xmpp-tls",
          address: { kind: "host", value: "pnp2.example.net" },
          port: 5223,
          authentication: {
            username: "foc2233x0ab",
            password: "device-secret",
            jid: "foc2233x0ab@example.net",
          },
        },
      },
    },
  },
  {
    file: "redirection/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "redirection", correlator: AGENT_CORRELATOR, success: true },
    },
  },
  {
    file: "redirection/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "redirection",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "ERROR",
          code: "PnP Service Error 3105",
          message: "Primary server is unreachable",
        },
      },
    },
  },

  // --- certificate-install --------------------------------------------------------------------------
  {
    file: "certificate-install/request-trustpool.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "certificate-install",
        correlator: AGENT_CORRELATOR,
        setClock: { ntpServer: "192.0.2.123" },
        action: {
          operation: "install",
          store: "trustpool",
          source: { location: "http://192.0.2.10:8080/ca/trustpool" },
        },
      },
    },
  },
  {
    file: "certificate-install/request-trustpoint-reconnect.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "certificate-install",
        setClock: { clock: { year: 2026, month: "November", day: 25, hour: 9, minute: 30, second: 0 } },
        action: {
          operation: "install",
          store: "trustpoint",
          label: "pnp-server-ca",
          source: { uri: "/ca/pnp-server-ca.pem" },
        },
        reconnect: {
          primaryServer: {
            protocol: "https",
            address: { kind: "host", value: "pnp.example.net" },
            port: 443,
          },
          backupServer: { protocol: "http", address: { kind: "ipv4", value: "192.0.2.11" } },
        },
      },
    },
  },
  {
    file: "certificate-install/request-uninstall-trustpoint.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "certificate-install",
        correlator: AGENT_CORRELATOR,
        action: { operation: "uninstall", store: "trustpoint", label: "old-ca" },
      },
    },
  },
  {
    file: "certificate-install/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "certificate-install", correlator: AGENT_CORRELATOR, success: true },
    },
  },
  {
    file: "certificate-install/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "certificate-install",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "XSVC_ERROR",
          code: "PnP Service Error 3310",
          message: "Trustpool download failed",
        },
      },
    },
  },

  // --- reload ---------------------------------------------------------------------------------------
  {
    file: "reload/request.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "reload",
        correlator: AGENT_CORRELATOR,
        reason: "Apply new image",
        delayIn: 15,
        user: "pnp-server",
        saveConfig: true,
      },
    },
  },
  {
    file: "reload/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: { service: "reload", correlator: AGENT_CORRELATOR, success: true },
    },
  },
  {
    file: "reload/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "reload",
        correlator: AGENT_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "ERROR",
          code: "PnP Service Error 2405",
          message: "Saving the configuration failed",
        },
      },
    },
  },

  // --- fault ----------------------------------------------------------------------------------------
  {
    file: "fault/fault.xml",
    message: {
      kind: "fault",
      envelope,
      fault: {
        faultCode: "XSVC:Client",
        faultString: "An unknown XML tag has been received",
        details: "unknown namespace urn:cisco:pnp:eem-proxy",
      },
    },
  },

  // --- tag ------------------------------------------------------------------------------------------
  {
    file: "tag/request-set.xml",
    message: {
      kind: "request",
      envelope,
      request: {
        service: "tag",
        correlator: SERVER_CORRELATOR,
        operation: "set",
        tags: [
          { name: "site", value: "BER-01" },
          { name: "role", value: "access" },
        ],
      },
    },
  },
  {
    file: "tag/request-remove.xml",
    message: {
      kind: "request",
      envelope,
      request: { service: "tag", correlator: SERVER_CORRELATOR, operation: "remove", names: ["staging"] },
    },
  },
  {
    file: "tag/request-list.xml",
    message: {
      kind: "request",
      envelope,
      request: { service: "tag", correlator: SERVER_CORRELATOR, operation: "list" },
    },
  },
  {
    file: "tag/response-success.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "tag",
        correlator: SERVER_CORRELATOR,
        success: true,
        tags: [
          { name: "asset", value: "A-10442", owner: "device" },
          { name: "site", value: "BER-01", owner: "server" },
          { name: "role", value: "access", owner: "server" },
        ],
      },
    },
  },
  {
    file: "tag/response-error.xml",
    message: {
      kind: "response",
      envelope,
      response: {
        service: "tag",
        correlator: SERVER_CORRELATOR,
        success: false,
        errorInfo: {
          severity: "ERROR",
          code: "PnP Service Error 3802",
          message: 'invalid tag name "bad name"',
        },
        tags: [{ name: "asset", value: "A-10442", owner: "device" }],
      },
    },
  },

  // --- syslog event ---------------------------------------------------------------------------------
  {
    file: "syslog/event.xml",
    message: {
      kind: "syslog-event",
      envelope,
      event: {
        messages: [
          "<189>42: *Nov 25 09:31:02.123: %SYS-5-CONFIG_I: Configured from console by vty0",
          "<187>43: *Nov 25 09:31:07.004: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/1, changed state to up",
        ],
      },
    },
  },
];
