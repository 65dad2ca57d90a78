// The pages about the pair itself: a cluster that cannot serve, endpoints that disagree, peering not as declared.
import * as pulumi from "@pulumi/pulumi";
import { VERDICT, type ClusterRole } from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import {
    RUNBOOK_ANCHORS,
    type DeclaredPage,
    type PagingAlarmFactory,
} from "./paging-alarm-factory";

/**
 * "<cluster> down": this observer failed N of the last M rounds on the cluster AND, in the
 * latest round, the other observer's commits through it were stale too (agreement: one
 * observer's broken path to a healthy, replicating cluster is only a warning).
 */
export function clusterDownPage(
    f: PagingAlarmFactory,
    cluster: ClusterRef,
): DeclaredPage & { readonly role: ClusterRole } {
    const { observer, region, detection: d } = f.args;
    const where = `${cluster.role} cluster (${cluster.region})`;
    // One failed round of one adds nothing to the agreed round: no child for it.
    const everyRound = d.datapointsToAlarm === 1 && d.evaluationPeriods === 1;
    const unreachable = everyRound
        ? undefined
        : f.signal(
              `${cluster.role}-unreachable`,
              f.physical("signal", `${cluster.role}-unreachable-from-${observer}`),
              `The monitor in ${region} could not read or commit through the ${where} in ${d.datapointsToAlarm} of the last ${d.evaluationPeriods} rounds`,
              "clusterVerdict",
              f.clusterDims(cluster),
              {
                  comparison: "GreaterThanOrEqualToThreshold",
                  threshold: VERDICT.pathFailure,
                  period: d.verdictPeriodSeconds,
                  datapoints: d.datapointsToAlarm,
                  periods: d.evaluationPeriods,
                  missing: "notBreaching",
              },
          );
    const agreed = f.signal(
        `${cluster.role}-agreed`,
        f.physical("signal", `${cluster.role}-agreed-from-${observer}`),
        `In the latest round, the other observer's commits through the ${where} were stale too (older than ${d.heartbeatStaleSeconds} s)`,
        "clusterVerdict",
        f.clusterDims(cluster),
        {
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: VERDICT.clusterDown,
            period: d.verdictPeriodSeconds,
            datapoints: 1,
            periods: 1,
            missing: "notBreaching",
        },
    );
    const alarm = f.page(
        `${cluster.role}-down`,
        `${cluster.role}-down-from-${observer}`,
        unreachable
            ? pulumi.interpolate`ALARM("${unreachable.name}") AND ALARM("${agreed.name}")`
            : pulumi.interpolate`ALARM("${agreed.name}")`,
        `PAGE: the ${where} cannot serve, seen ${f.seenFrom}: this monitor failed to read or commit through it in ${d.datapointsToAlarm} of ${d.evaluationPeriods} rounds and the other region's monitor cannot commit through it either. ` +
            `First check: the dr-probe-summary log line in ${region} (dataPlane reason), then the AWS Health Dashboard for Aurora DSQL in ${cluster.region}. If the region is down, move traffic to the other cluster. ${f.runbookLink(RUNBOOK_ANCHORS.clusterDown)}`,
    );
    return { role: cluster.role, alarm, signals: [agreed, ...(unreachable ? [unreachable] : [])] };
}

/**
 * "consistency check failed": the two endpoints disagree about the other observer's
 * heartbeats, which a synchronously replicated pair never does (a case for AWS support).
 * A replicating pair never shows an unreplicated heartbeat (commits that may still be in
 * flight are left out), so one observation pages.
 */
export function consistencyPage(f: PagingAlarmFactory): DeclaredPage {
    const { observer, region, detection: d } = f.args;
    const lag = f.signal(
        "consistency",
        f.physical("signal", `consistency-from-${observer}`),
        `The two clusters disagree about the other monitor's heartbeats, as read from ${region}`,
        "unreplicatedHeartbeats",
        f.observerDims,
        {
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            period: d.slowPeriodSeconds,
            datapoints: 1,
            periods: 1,
            missing: "notBreaching",
        },
    );
    const alarm = f.page(
        "consistency",
        `consistency-from-${observer}`,
        pulumi.interpolate`ALARM("${lag.name}")`,
        `PAGE: consistency check failed, seen ${f.seenFrom}: the two endpoints disagree about committed rows (a heartbeat committed through one cluster is missing or two commits behind through the other). Replication in a peered pair is synchronous, so this should never happen: both clusters still answer, and reads may differ between them. ` +
            `First check: the dr-probe-summary line (unreplicated) in both regions, both clusters' status and multiRegionProperties; then open an AWS support case for Aurora DSQL with the evidence the runbook lists. ${f.runbookLink(RUNBOOK_ANCHORS.consistency)}`,
    );
    return { alarm, signals: [lag] };
}

/**
 * "peering not as declared": GetCluster answered with another witness or peer. A peering
 * answer may flicker while the control plane updates, so two of three.
 */
export function peeringPage(f: PagingAlarmFactory): DeclaredPage {
    const { observer, detection: d } = f.args;
    const signals = f.args.clusters.map((cluster) =>
        f.signal(
            `${cluster.role}-peering`,
            f.physical("signal", `${cluster.role}-peering-from-${observer}`),
            `GetCluster shows the ${cluster.role} cluster (${cluster.region}) with another witness or peer than declared`,
            "peeringMismatch",
            f.clusterDims(cluster),
            {
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                period: d.slowPeriodSeconds,
                datapoints: 2,
                periods: 3,
                missing: "notBreaching",
            },
        ),
    );
    const alarm = f.page(
        "peering",
        `peering-from-${observer}`,
        pulumi
            .all(signals.map((c) => c.name))
            .apply((names) => names.map((n) => `ALARM("${n}")`).join(" OR ")),
        `PAGE: the pair is not peered as declared, seen ${f.seenFrom}: a cluster names another witness or peer, or is not peered (PENDING_SETUP). The pair may not survive a region failure. ` +
            `First check: "aws dsql get-cluster" multiRegionProperties of both clusters against the stack outputs witnessRegion and clusterArns. ${f.runbookLink(RUNBOOK_ANCHORS.peering)}`,
    );
    return { alarm, signals };
}
