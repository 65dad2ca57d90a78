/**
 * A TCP proxy on loopback in front of a real PostgreSQL, standing for one network path to
 * an Aurora DSQL cluster, whose path and server behaviour can be broken at will. Use:
 *
 *     const proxy = await FaultProxy.start(db.port); // connect clients to proxy.port
 *     proxy.setMode("refuse" | "hang" | "wake-up" | "pass"); // the path itself
 *     proxy.catalogChange();              // DDL ran elsewhere: open sessions meet 40001 (OC001) once
 *     proxy.catalogChange({ nextSessions: 2, afterStatements: 1 });
 *     proxy.rateLimit(3);                 // the next 3 connects are refused with 53400
 *     proxy.rateLimit(Infinity);          // ... every connect, until proxy.rateLimit(0)
 *     proxy.slowFirstConnect(5_000);      // the next connect wakes a cluster: held 5 s
 *     proxy.openConnections; proxy.connects; proxy.held; // what the client side holds
 *
 * The server faults answer as Aurora DSQL does (SQLSTATEs and messages from its user guide,
 * cited at each). They read the client's side of the wire protocol, so they need a
 * plain-text connection (tests connect without TLS); a connection that asks for TLS is
 * passed through untouched and never meets them.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * What the path does: pass traffic, refuse it (connections reset at once), hang (accept
 * and never answer), or wake up (every other new connection is refused, as a cluster scaled
 * to zero may refuse the first connect while it wakes).
 */
export type PathMode = "pass" | "refuse" | "hang" | "wake-up";

/**
 * After DDL anywhere on the cluster, Aurora DSQL fails a session's next statement, reads
 * included, with this (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-ddl.html,
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html).
 */
export const CATALOG_CHANGED = {
    code: "40001",
    message: "schema has been updated by another transaction, please retry: (OC001)",
} as const;

/**
 * Aurora DSQL's answer to a connect past 100 connections per second per cluster, a quota
 * that cannot be raised (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html).
 */
export const RATE_EXCEEDED = {
    code: "53400",
    message: "Unable to accept connection, rate exceeded.",
} as const;

/** Untyped first messages that switch a connection to TLS or GSS encryption. */
const ENCRYPTION_REQUESTS = new Set([80877103, 80877104]);

/** One message of the client's side of the PostgreSQL wire protocol. */
interface FrontendMessage {
    /** Its type byte; undefined for the untyped startup-phase messages. */
    readonly type?: string;
    readonly bytes: Buffer;
}

/** Splits the client's byte stream into messages; after a TLS request, one opaque chunk each. */
class FrontendStream {
    private pending = Buffer.alloc(0);
    private started = false;
    opaque = false;

    push(chunk: Buffer): FrontendMessage[] {
        if (this.opaque) return [{ bytes: chunk }];
        this.pending = Buffer.concat([this.pending, chunk]);
        const messages: FrontendMessage[] = [];
        for (;;) {
            const typed = this.started ? 1 : 0;
            if (this.pending.length < typed + 4) return messages;
            const length = this.pending.readInt32BE(typed) + typed;
            if (this.pending.length < length) return messages;
            const bytes = this.pending.subarray(0, length);
            this.pending = this.pending.subarray(length);
            if (!this.started) {
                if (ENCRYPTION_REQUESTS.has(bytes.readInt32BE(4))) {
                    this.opaque = true;
                    messages.push({ bytes: Buffer.concat([bytes, this.pending]) });
                    this.pending = Buffer.alloc(0);
                    return messages;
                }
                this.started = true;
                messages.push({ bytes });
            } else messages.push({ type: String.fromCharCode(bytes[0]), bytes });
        }
    }
}

/** A simple-query message that makes the server itself raise `error` (so the transaction state is right). */
function raisingQuery(error: { code: string; message: string }): Buffer {
    const text = `DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '${error.code}', MESSAGE = '${error.message}'; END$$`;
    const body = Buffer.from(`${text}\0`);
    const header = Buffer.alloc(5);
    header.write("Q", 0);
    header.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([header, body]);
}

/** A fatal ErrorResponse, as a server refusing a connection sends it. */
function fatalError(error: { code: string; message: string }): Buffer {
    const fields = Buffer.from(`SFATAL\0VFATAL\0C${error.code}\0M${error.message}\0\0`);
    const header = Buffer.alloc(5);
    header.write("E", 0);
    header.writeInt32BE(fields.length + 4, 1);
    return Buffer.concat([header, fields]);
}

/**
 * One client session through the proxy: rewrites the statement that must fail. A statement
 * starts with a simple Query, or with Parse or Bind outside an extended-protocol batch,
 * which ends at Sync; a failing batch is swallowed whole and replaced by one raising query,
 * to which the server answers as the client expects: ErrorResponse, ReadyForQuery.
 */
class Session {
    private inBatch = false;
    private swallowing = false;
    /** Statements to let through before the failing one; undefined when none must fail. */
    private failAfter?: number;

    failNextStatement(after: number): void {
        this.failAfter = Math.min(after, this.failAfter ?? after);
    }

    rewrite(message: FrontendMessage): Buffer | undefined {
        const { type } = message;
        if (this.swallowing) {
            if (type !== "S") return undefined;
            this.swallowing = this.inBatch = false;
            return raisingQuery(CATALOG_CHANGED);
        }
        const starts = type === "Q" || ((type === "P" || type === "B") && !this.inBatch);
        if (type === "P" || type === "B") this.inBatch = true;
        if (type === "S") this.inBatch = false;
        if (!starts || this.failAfter === undefined) return message.bytes;
        if (this.failAfter-- > 0) return message.bytes;
        this.failAfter = undefined;
        if (type === "Q") return raisingQuery(CATALOG_CHANGED);
        this.swallowing = true;
        return undefined;
    }
}

/** A TCP proxy on loopback in front of a real server, whose path can be broken at will. */
export class FaultProxy {
    private mode: PathMode = "pass";
    private attempts = 0;
    private refusing = 0;
    private waking?: { readonly ms: number; awake?: Promise<void> };
    private holding = 0;
    private futureFailures = { sessions: 0, after: 0 };
    private readonly sessions = new Set<Session>();
    private readonly clients = new Set<Socket>();
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

    /** Connections accepted so far (refused ones included). */
    get connects(): number {
        return this.attempts;
    }

    /** Client connections the proxy holds open now. */
    get openConnections(): number {
        return this.clients.size;
    }

    /** Connections held while the cluster behind the path wakes up. */
    get held(): number {
        return this.holding;
    }

    /** Changes the path; a refused path also drops the connections it carries. */
    setMode(mode: PathMode): void {
        this.mode = mode;
        if (mode === "refuse") for (const s of this.live) s.destroy();
    }

    /** Back to a healthy path: passing, no pending statement or connect faults. */
    clear(): void {
        this.setMode("pass");
        this.futureFailures = { sessions: 0, after: 0 };
        this.refusing = 0;
    }

    /**
     * DDL commits on the cluster now: every session open on this path, and the next
     * `nextSessions` sessions to open, fail their next statement (reads included) once
     * with SQLSTATE 40001 and Aurora DSQL's OC001 message, after letting `afterStatements`
     * more statements through.
     */
    catalogChange({ nextSessions = 0, afterStatements = 0 } = {}): void {
        for (const session of this.sessions) session.failNextStatement(afterStatements);
        this.futureFailures = { sessions: nextSessions, after: afterStatements };
    }

    /**
     * The next `connects` connections are refused at the cluster's connection rate: the
     * startup message is answered with SQLSTATE 53400 and the connection closed. Infinity
     * refuses every connect until `rateLimit(0)`; connections already open are untouched.
     */
    rateLimit(connects: number): void {
        this.refusing = connects;
    }

    /**
     * The cluster behind the path is scaled down: the next connect wakes it, which takes
     * `ms`. That connect, and every other one made while the cluster wakes, is held
     * (accepted, not answered) until then; later connects pass at once.
     */
    slowFirstConnect(ms: number): void {
        this.waking = { ms };
    }

    private accept(client: Socket, upstreamPort: number): void {
        this.attempts++;
        client.on("error", () => undefined);
        const refuse =
            this.mode === "refuse" || (this.mode === "wake-up" && this.attempts % 2 === 1);
        if (refuse) {
            client.destroy();
            return;
        }
        this.track(client);
        this.clients.add(client);
        client.on("close", () => this.clients.delete(client));
        if (this.refusing > 0) {
            this.refusing--;
            this.refuseStartup(client);
            return;
        }
        if (this.mode === "hang") return; // accepted, never answered
        this.relay(client, upstreamPort);
    }

    /** Answers the startup message with 53400, then closes (TLS requests are declined first). */
    private refuseStartup(client: Socket): void {
        const stream = new FrontendStream();
        client.on("data", (chunk) => {
            if (stream.push(chunk).length === 0) return;
            if (stream.opaque) {
                stream.opaque = false; // decline encryption; the client then sends its startup
                client.write("N");
            } else client.end(fatalError(RATE_EXCEEDED));
        });
    }

    /** Passes traffic to the server (once the cluster is awake), rewriting failing statements. */
    private relay(client: Socket, upstreamPort: number): void {
        const session = new Session();
        this.sessions.add(session);
        client.on("close", () => this.sessions.delete(session));
        if (this.futureFailures.sessions > 0) {
            this.futureFailures.sessions--;
            session.failNextStatement(this.futureFailures.after);
        }
        const stream = new FrontendStream();
        const toServer: Buffer[] = [];
        let upstream: Socket | undefined;
        // Traffic flows only while the path passes; a hung path holds it.
        client.on("data", (chunk) => {
            const out = stream
                .push(chunk)
                .map((m) => (stream.opaque ? m.bytes : session.rewrite(m)))
                .filter((b): b is Buffer => b !== undefined);
            if (this.mode === "hang" || out.length === 0) return;
            // One write per chunk, as the client sent it: small writes one after another
            // would each wait on Nagle's algorithm for the server's delayed ACK (~40 ms).
            if (upstream) upstream.write(Buffer.concat(out));
            else toServer.push(...out);
        });
        const open = () => {
            if (client.destroyed) return;
            upstream = connect(upstreamPort, "127.0.0.1");
            upstream.setNoDelay(true);
            client.setNoDelay(true);
            this.track(upstream);
            upstream.on("close", () => client.destroy());
            upstream.on("error", () => client.destroy());
            client.on("close", () => upstream!.destroy());
            upstream.on("data", (chunk) => {
                if (this.mode !== "hang") client.write(chunk);
            });
            if (toServer.length > 0) upstream.write(Buffer.concat(toServer.splice(0)));
        };
        const awake = this.wakeUp();
        if (!awake) return open();
        this.holding++;
        void awake.then(() => {
            this.holding--;
            open();
        });
    }

    /** While the cluster wakes, the promise of its waking; undefined once it is awake. */
    private wakeUp(): Promise<void> | undefined {
        const waking = this.waking;
        if (!waking) return undefined;
        waking.awake ??= new Promise<void>((resolve) =>
            setTimeout(() => {
                if (this.waking === waking) this.waking = undefined;
                resolve();
            }, waking.ms),
        );
        return waking.awake;
    }

    private track(socket: Socket): void {
        this.live.add(socket);
        socket.on("close", () => this.live.delete(socket));
    }

    async close(): Promise<void> {
        for (const s of this.live) s.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}
