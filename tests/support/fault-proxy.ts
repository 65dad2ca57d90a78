import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * What a network path to a cluster does: pass traffic, refuse it (connections reset at
 * once), hang (accept and never answer), or wake up (every other new connection is
 * refused, as a cluster scaled to zero may refuse the first connect while it wakes).
 */
export type PathMode = "pass" | "refuse" | "hang" | "wake-up";

/** A TCP proxy on loopback in front of a real server, whose path can be broken at will. */
export class FaultProxy {
    private mode: PathMode = "pass";
    private attempts = 0;
    private readonly live = new Set<Socket>();

    private constructor(
        private readonly server: Server,
        public readonly port: number,
    ) {}

    static async start(upstreamPort: number): Promise<FaultProxy> {
        const accepting: { proxy?: FaultProxy } = {};
        const server = createServer((client) => accepting.proxy!.accept(client, upstreamPort));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        accepting.proxy = new FaultProxy(server, (server.address() as { port: number }).port);
        return accepting.proxy;
    }

    /** Changes the path; a refused path also drops the connections it carries. */
    setMode(mode: PathMode): void {
        this.mode = mode;
        if (mode === "refuse") for (const s of this.live) s.destroy();
    }

    private accept(client: Socket, upstreamPort: number): void {
        this.attempts++;
        const refuse =
            this.mode === "refuse" || (this.mode === "wake-up" && this.attempts % 2 === 1);
        if (refuse) {
            client.destroy();
            return;
        }
        this.live.add(client);
        client.on("close", () => this.live.delete(client));
        client.on("error", () => undefined);
        if (this.mode === "hang") return; // accepted, never answered
        const upstream = connect(upstreamPort, "127.0.0.1");
        this.live.add(upstream);
        upstream.on("close", () => {
            this.live.delete(upstream);
            client.destroy();
        });
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
        // Traffic flows only while the path passes; a hung path holds it.
        client.on("data", (chunk) => {
            if (this.mode !== "hang") upstream.write(chunk);
        });
        upstream.on("data", (chunk) => {
            if (this.mode !== "hang") client.write(chunk);
        });
    }

    async close(): Promise<void> {
        for (const s of this.live) s.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}
