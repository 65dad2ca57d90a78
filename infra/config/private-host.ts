import { isIP } from "node:net";

/**
 * Whether SNS could never reach `hostname` (a WHATWG-normalised URL host): SNS delivers
 * only to public HTTP(S) endpoints, and an endpoint it cannot reach never confirms its
 * subscription, so the deploy waits for nothing. Addresses are checked as IANA's
 * special-purpose registries list them (RFC 6890: private, shared, loopback, link-local,
 * documentation, benchmarking, multicast and reserved ranges), IPv4 also inside IPv6
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4); names that resolve only locally (RFC 6761,
 * RFC 8375 and common private suffixes) and single-label names count as private.
 */
export function isPrivateHost(hostname: string): boolean {
    const host = hostname
        .replace(/^\[|\]$/g, "")
        .toLowerCase()
        .replace(/\.+$/, "");
    switch (isIP(host)) {
        case 4:
            return isPrivateIPv4(host.split(".").map(Number));
        case 6:
            return isPrivateIPv6(ipv6Groups(host));
        default:
            return isLocalName(host);
    }
}

const LOCAL_SUFFIXES = [
    "localhost",
    "local",
    "localdomain",
    "internal",
    "home.arpa",
    "invalid",
    "test",
];

function isLocalName(host: string): boolean {
    if (!host.includes(".")) return true;
    return LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
}

/** IPv4 special-purpose ranges as [leading octets of the prefix, prefix length]. */
const PRIVATE_V4: readonly (readonly [number[], number])[] = [
    [[0], 8],
    [[10], 8],
    [[100, 64], 10],
    [[127], 8],
    [[169, 254], 16],
    [[172, 16], 12],
    [[192, 0, 0], 24],
    [[192, 0, 2], 24],
    [[192, 168], 16],
    [[198, 18], 15],
    [[198, 51, 100], 24],
    [[203, 0, 113], 24],
    [[224], 4],
    [[240], 4],
];

function isPrivateIPv4(octets: readonly number[]): boolean {
    const value = octets.reduce((n, o) => n * 256 + o, 0);
    return PRIVATE_V4.some(([prefix, bits]) => {
        const base = [...prefix, 0, 0, 0].slice(0, 4).reduce((n, o) => n * 256 + o, 0);
        const size = 2 ** (32 - bits);
        return value >= base && value < base + size;
    });
}

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tails included). */
function ipv6Groups(address: string): number[] {
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
    let text = address;
    if (dotted) {
        const [a, b, c, d] = dotted[1].split(".").map(Number);
        text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
    const parse = (part: string | undefined) =>
        part ? part.split(":").map((g) => parseInt(g, 16)) : [];
    const front = parse(head);
    const back = parse(tail);
    const fill =
        tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
    return [...front, ...fill, ...back];
}

function isPrivateIPv6(g: readonly number[]): boolean {
    const embedded = (hi: number, lo: number) =>
        isPrivateIPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
    const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
    if (zeros(0, 8) || (zeros(0, 7) && g[7] === 1)) return true; // unspecified, loopback
    if ((g[0] & 0xfe00) === 0xfc00 || (g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xff00) === 0xff00) {
        return true; // unique local, link-local, multicast
    }
    if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
    if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return embedded(g[6], g[7]); // mapped, compatible
    if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(g[6], g[7]); // NAT64
    if (g[0] === 0x2002) return embedded(g[1], g[2]); // 6to4
    return false;
}
