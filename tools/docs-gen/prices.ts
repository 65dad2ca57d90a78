/**
 * Public list prices (USD, us-east-1, on-demand, as published on the AWS pricing pages)
 * and the assumptions of the monitoring-path cost figure. One place, so a price change
 * is one edit. Free tiers that depend on the rest of the account are not subtracted,
 * except where stated.
 */
export const PRICES = {
    /** Lambda requests, per million. */
    lambdaPerMillionRequests: 0.2,
    /** Lambda duration on arm64, per GB-second. */
    lambdaArmPerGbSecond: 0.0000133334,
    /** EventBridge scheduled rules: events from AWS (including schedules) are not charged. */
    eventBridgeScheduledEvent: 0,
    /**
     * CloudWatch standard-resolution alarm, per alarm metric-month: an alarm on a metric math
     * expression is billed for each metric the expression reads (https://aws.amazon.com/cloudwatch/pricing/,
     * "Alarms": "per alarm metric").
     */
    alarmPerMonth: 0.1,
    /** CloudWatch high-resolution alarm (period 10, 20 or 30 s), per alarm-month. */
    highResolutionAlarmPerMonth: 0.3,
    /** CloudWatch composite alarm, per alarm-month. */
    compositeAlarmPerMonth: 0.5,
    /** CloudWatch custom metric (first 10,000), per metric-month; EMF metrics count. */
    customMetricPerMonth: 0.3,
    /** CloudWatch dashboard, per dashboard-month beyond the account's free ones. */
    dashboardPerMonth: 3,
    /** Dashboards free per account. */
    freeDashboardsPerAccount: 3,
    /** KMS customer-managed key, per key-month (requests for alarm notifications are negligible). */
    kmsKeyPerMonth: 1,
    /**
     * Route 53 health check, per check-month: the basic price of a check of an AWS endpoint
     * (https://aws.amazon.com/route53/pricing/, "Health Checks"; the page renders its prices
     * with JavaScript, this figure is from secondary sources). The page names no separate
     * price for CLOUDWATCH_METRIC or CALCULATED checks: applying this one to them is
     * unconfirmed.
     */
    route53HealthCheckPerMonth: 0.5,
    /** CloudWatch Logs ingestion (standard class), per GB. */
    logIngestionPerGb: 0.5,
    /** Aurora DSQL, per million distributed processing units (the free tier is not subtracted). */
    dsqlPerMillionDpu: 8,
    /** SSM Parameter Store: standard parameters and standard-throughput GetParameter are free. */
    parameterStoreStandard: 0,
    /**
     * AWS Backup warm storage of Aurora DSQL recovery points, per GB-month. An assumption: AWS
     * Backup's pricing page (https://aws.amazon.com/backup/pricing/, read 2026-12-06) builds its
     * per-service table in the browser, and the copy read shows no Aurora DSQL row. 0.10 is the
     * us-east-1 rate of Amazon DynamoDB backup storage, another database whose backups are full
     * copies (https://aws.amazon.com/dynamodb/pricing/on-demand/, read 2026-12-06 through
     * secondary sources, for the same reason). Replace it with the Aurora DSQL row of the live page.
     */
    backupDsqlWarmPerGbMonth: 0.1,
    /**
     * Data transfer from us-east-1 to another AWS region, per GB: what each cross-region copy of a
     * recovery point moves (https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer, read
     * 2026-12-06; AWS Backup bills copies' transfer at these rates:
     * https://aws.amazon.com/backup/pricing/, "Cross-region data transfer pricing").
     */
    interRegionTransferPerGb: 0.02,
} as const;

export const ASSUMPTIONS = {
    /** Hours in a month, as AWS prices them. */
    hoursPerMonth: 730,
    /**
     * Extra seconds a real invocation spends on the network beyond the benchmark's local
     * stubs: a cross-region GetCluster, token signing and a TLS handshake plus one query
     * per cluster, in parallel.
     */
    networkAllowanceSeconds: 0.4,
    /**
     * DPU of one heartbeat through one cluster: a one-row write transaction is billed at least
     * 0.05 write DPU plus read and compute DPU (AWS's single-row insert example totals 0.06175),
     * and the read of the heartbeat table adds a point-lookup's 0.00675
     * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/billing-metering.html).
     */
    dpuPerHeartbeat: 0.07,
    /** The stack is the only user of the account's free dashboards. */
    dashboardsAlreadyInAccount: 0,
} as const;
