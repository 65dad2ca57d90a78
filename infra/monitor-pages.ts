// The pages about the watchers: this region's monitor silent or broken, the other region's monitor silent.
import * as pulumi from "@pulumi/pulumi";
import {
    RUNBOOK_ANCHORS,
    type DeclaredPage,
    type PagingAlarmFactory,
} from "./paging-alarm-factory";

/** "monitor silent or broken": no MonitorHealth datapoint (missing = breaching), or 0. */
export function monitorPage(f: PagingAlarmFactory): DeclaredPage {
    const { observer, region, detection: d } = f.args;
    const health = f.signal(
        "monitor",
        f.physical("signal", `monitor-${observer}`),
        `The monitor in ${region} reported a defect of its own, or nothing at all`,
        "monitorHealth",
        f.observerDims,
        {
            comparison: "LessThanThreshold",
            threshold: 1,
            period: d.monitorPeriodSeconds,
            datapoints: 1,
            periods: 1,
            missing: "breaching",
            // A new alarm is evaluated at once and its missing data would breach before
            // the monitor's first datapoint exists: a page on every first deployment.
            warmUpMinutes: d.monitorWarmUpMinutes,
        },
    );
    const alarm = f.page(
        "monitor",
        `monitor-${observer}`,
        pulumi.interpolate`ALARM("${health.name}")`,
        `PAGE: the DR monitor in ${region} is silent or broken, so this region no longer watches the pair (this is not a cluster outage). ` +
            `First check: the monitor's log group for errors and its dr-probe-summary line (reasons marked "(monitor)": setup, grants, credentials), the schedule rule's state, Lambda throttles. ${f.runbookLink(RUNBOOK_ANCHORS.monitor)}`,
    );
    return { alarm, signals: [health] };
}

/**
 * The other region's monitor, seen from here through the heartbeats: silent while this one
 * commits through both clusters (a dark region is the cluster-down page's).
 */
export function peerMonitorPage(f: PagingAlarmFactory): DeclaredPage {
    const { observer, region, detection: d } = f.args;
    const other = f.args.clusters.find((c) => c.role !== observer)!;
    const silent = f.signal(
        "peer-monitor",
        f.physical("signal", `monitor-${other.role}-silent-from-${observer}`),
        `The monitor in ${other.region} committed no heartbeat through either cluster for over ${2 * d.heartbeatStaleSeconds} s while the one in ${region} committed through both`,
        "peerMonitorSilent",
        f.observerDims,
        {
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            period: d.verdictPeriodSeconds,
            datapoints: 1,
            periods: 1,
            missing: "notBreaching",
        },
    );
    const alarm = f.page(
        "peer-monitor",
        `monitor-${other.role}-from-${observer}`,
        pulumi.interpolate`ALARM("${silent.name}")`,
        `PAGE: the DR monitor in ${other.region} (${other.role} region) is silent, seen ${f.seenFrom}: its heartbeats stopped while both clusters serve this region's monitor. Until it runs again, an outage of the ${other.role} cluster is seen only from here. ` +
            `First check: in ${other.region}, the monitor's log group, the schedule rule's state, Lambda throttles and errors; that region's own "monitor" page. ${f.runbookLink(RUNBOOK_ANCHORS.peerMonitor)}`,
    );
    return { alarm, signals: [silent] };
}
