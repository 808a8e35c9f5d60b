// The iq id of a task send carries its correlator and attempt, so an iq error (which has no PnP payload)
// still names its task, on whichever instance receives it.
const PREFIX = "pnp:";

export function taskIqId(correlator: string, attempt: number): string {
  return `${PREFIX}${attempt}:${correlator}`;
}

export function parseTaskIqId(id: string | undefined): { correlator: string; attempt: number } | undefined {
  if (!id?.startsWith(PREFIX)) return undefined;
  const rest = id.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon <= 0) return undefined;
  const attempt = Number(rest.slice(0, colon));
  const correlator = rest.slice(colon + 1);
  if (!Number.isInteger(attempt) || attempt < 1 || correlator === "") return undefined;
  return { correlator, attempt };
}
