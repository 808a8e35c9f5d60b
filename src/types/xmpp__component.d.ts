// Types for @xmpp/component 0.13.1, which ships none. Only what this project uses is declared.
declare module "@xmpp/component" {
  import type { EventEmitter } from "node:events";
  import type { Element } from "ltx";

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    toString(): string;
  }

  export interface MiddlewareContext {
    stanza: Element;
    entity: Component;
    name: string;
    id: string;
    type: string;
    from: JID | null;
    to: JID | null;
  }

  export type Middleware = (ctx: MiddlewareContext, next: () => Promise<unknown>) => unknown;

  export interface Reconnect extends EventEmitter {
    delay: number;
    start(): void;
    stop(): void;
  }

  export interface StreamError extends Error {
    condition: string;
    text?: string;
    element?: Element;
  }

  export type ComponentStatus =
    | "offline"
    | "connecting"
    | "connect"
    | "opening"
    | "open"
    | "online"
    | "closing"
    | "close"
    | "disconnecting"
    | "disconnect";

  export interface Component extends EventEmitter {
    status: ComponentStatus;
    jid: JID | null;
    /** Per-step timeout in ms (default 2000); read at each use, so it may be changed after creation. */
    timeout: number;
    options: { service: string; domain: string; lang?: string };
    socket: (EventEmitter & { destroy(): void; remoteAddress?: string }) | null;
    reconnect: Reconnect;
    middleware: { use(fn: Middleware): void; filter(fn: Middleware): void };
    start(): Promise<JID>;
    stop(): Promise<unknown>;
    connect(service: string): Promise<void>;
    open(options: { domain: string; lang?: string }): Promise<void>;
    disconnect(timeout?: number): Promise<void>;
    /** Adds `from` when missing (sendMany does not: always set it there). */
    send(element: Element): Promise<void>;
    sendMany(elements: Element[]): Promise<void>;
  }

  export function component(options: {
    service: string;
    domain: string;
    password: string | ((auth: (password: string) => Promise<void>) => Promise<void>);
  }): Component;
  export function xml(
    name: string,
    attrs?: Record<string, string | number | undefined> | null,
    ...children: (Element | string)[]
  ): Element;
  export function jid(address: string): JID;
}
