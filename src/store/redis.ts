import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis, type RedisOptions } from "ioredis";

const SCRIPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "scripts");

/** Replaces `--@include <name>` lines with scripts/includes/<name>.lua, so shared Lua is written once. */
function resolveIncludes(lua: string, file: string): string {
  return lua.replace(/^--@include ([a-z0-9-]+)$/gm, (_, name: string) => {
    try {
      return readFileSync(join(SCRIPTS_DIR, "includes", `${name}.lua`), "utf8");
    } catch {
      throw new Error(`Lua script ${file} includes ${name}, which does not exist in scripts/includes/`);
    }
  });
}

/**
 * Lua scripts, one file each, named `<command>-<numberOfKeys>.lua` (the BullMQ convention). Scripts that
 * touch keys they cannot know in advance (a job's tasks) build them from the hash-tagged prefix passed in
 * ARGV, so every key stays in the prefix's slot.
 */
function loadScripts(): { name: string; numberOfKeys: number; lua: string }[] {
  return readdirSync(SCRIPTS_DIR)
    .filter((file) => file.endsWith(".lua"))
    .map((file) => {
      const match = /^(.+)-(\d+)\.lua$/.exec(file);
      if (!match) throw new Error(`Lua script ${file} must be named <command>-<numberOfKeys>.lua`);
      const name = match[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      const lua = resolveIncludes(readFileSync(join(SCRIPTS_DIR, file), "utf8"), file);
      return { name, numberOfKeys: Number(match[2]), lua };
    });
}

let scripts: ReturnType<typeof loadScripts> | undefined;

/** Script results come back as nested arrays of strings and numbers. */
export type LuaReply = (string | number | null | LuaReply)[];

export interface PnpRedis extends Redis {
  presenceUpdate(...args: (string | number)[]): Promise<LuaReply>;
  taskClaim(...args: (string | number)[]): Promise<LuaReply>;
  taskComplete(...args: (string | number)[]): Promise<LuaReply>;
  taskRequeue(...args: (string | number)[]): Promise<LuaReply>;
  taskEnqueue(...args: (string | number)[]): Promise<number>;
  taskExpire(...args: (string | number)[]): Promise<LuaReply>;
  jobCreate(...args: (string | number)[]): Promise<LuaReply>;
  deviceClaimReady(...args: (string | number)[]): Promise<LuaReply>;
  inventoryApply(...args: (string | number)[]): Promise<LuaReply>;
  jobCancel(...args: (string | number)[]): Promise<LuaReply>;
}

/** A Redis connection with our Lua commands defined (EVALSHA, falling back to EVAL after a script flush). */
export function createRedis(url: string, options: RedisOptions = {}): PnpRedis {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 20, ...options });
  scripts ??= loadScripts();
  for (const script of scripts) {
    redis.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
  return redis as PnpRedis;
}

/** Redis server time in milliseconds: one clock for every instance. */
export async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
