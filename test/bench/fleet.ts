// Benchmark: N simulated devices in one process: login time (SASL PLAIN over STARTTLS, then directed
// presence) and memory per device. Run: npm run bench:fleet -- [count] [concurrency]
import { startFleet } from "../../src/agent/fleet-runner.js";
import { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";
import { benchConfig, mb, startBenchStack, trustBenchCa } from "./harness.js";

const count = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 64);
const config = benchConfig();
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage();
};

if (trustBenchCa(config)) {
  const stack = await startBenchStack(config);
  try {
    const api = new EjabberdApi(`http://127.0.0.1:${stack.info.ejabberdApiPort}/api`);
    const before = heap();
    const t0 = performance.now();
    let lastReport = 0;
    const fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.info.ejabberdC2sPort}`,
      domain: stack.info.xmppDomain,
      serverJid: stack.info.componentDomain,
      api,
      count,
      concurrency,
      onProgress: (online) => {
        if (online - lastReport >= 1000) {
          lastReport = online;
          console.log(`  ${online} online after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
      },
    });
    const totalMs = performance.now() - t0;
    const after = heap();
    console.log(`devices in one process        ${fleet.devices.length}`);
    console.log(
      `accounts + logins + presence  ${(totalMs / 1000).toFixed(1)} s (${(count / (totalMs / 1000)).toFixed(0)} devices/s, ${concurrency} logins in flight)`,
    );
    console.log(
      `heap per device               ${((after.heapUsed - before.heapUsed) / count / 1024).toFixed(1)} KB${gc ? "" : " (run with --expose-gc)"}`,
    );
    console.log(
      `RSS per device                ${((after.rss - before.rss) / count / 1024).toFixed(1)} KB (RSS ${mb(after.rss)})`,
    );
    await fleet.stop();
  } finally {
    await stack.stop();
  }
}
