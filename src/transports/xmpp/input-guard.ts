/**
 * xmpp.js feeds socket data straight to its XML parser and neither checks that the parser still exists
 * (bytes can arrive after the stream was closed, e.g. while ejabberd restarts) nor catches what the
 * parser throws (ltx throws on an unknown entity). Either would be an uncaught exception that takes the
 * whole process down: a server, or a fleet of 5,000 simulated devices. This guard drops data that
 * arrives without a parser and turns a parser exception into an "error" event and a closed connection.
 * It must be installed before the first connection, because xmpp.js binds _onData when it attaches a socket.
 */
export function guardXmlInput(entity: object): void {
  const target = entity as {
    _onData(data: Buffer): void;
    parser: unknown;
    emit(event: string, ...args: unknown[]): boolean;
    disconnect?(): Promise<void>;
  };
  const original = target._onData;
  target._onData = function guardedOnData(this: typeof target, data: Buffer) {
    if (!this.parser) return;
    try {
      original.call(this, data);
    } catch (err) {
      this.emit("error", err);
      void this.disconnect?.().catch(() => undefined);
    }
  };
}
