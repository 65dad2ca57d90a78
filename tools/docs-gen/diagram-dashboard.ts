// What a declared CloudWatch dashboard's body shows: the metrics it graphs and the alarms it lists.
import type { Resource } from "./diagram-declared";

/** Metric rows of a dashboard body: namespace, metric name and region of each graphed line. */
export function graphedMetrics(dashboard: Resource | undefined) {
    if (!dashboard) return [];
    const body = JSON.parse(String(dashboard.inputs.dashboardBody ?? "{}"));
    return ((body.widgets ?? []) as any[]).flatMap((w) =>
        ((w.properties?.metrics ?? []) as unknown[][])
            .filter((row) => typeof row[0] === "string" && typeof row[1] === "string")
            .map((row) => {
                const options = row[row.length - 1] as { region?: string } | undefined;
                return {
                    namespace: row[0] as string,
                    name: row[1] as string,
                    region: options?.region ?? w.properties.region,
                };
            }),
    );
}

/** The alarm ARNs a dashboard lists in its alarm widgets. */
export function listedAlarms(dashboard: Resource | undefined): string[] {
    if (!dashboard) return [];
    const body = JSON.parse(String(dashboard.inputs.dashboardBody ?? "{}"));
    return ((body.widgets ?? []) as any[]).flatMap((w) =>
        w.type === "alarm" ? ((w.properties?.alarms ?? []) as string[]) : [],
    );
}
