/** What happened during a command, in order: the tool's own steps and every alarm change seen. */
export interface TimelineEntry {
    /** ISO time: the alarm's own transition time for alarm changes, the clock's for tool steps. */
    readonly at: string;
    readonly region?: string;
    readonly subject: string;
    readonly event: string;
}

export class Timeline {
    private readonly entries: TimelineEntry[] = [];

    add(at: Date, subject: string, event: string, region?: string): void {
        this.entries.push({ at: at.toISOString(), subject, event, ...(region ? { region } : {}) });
    }

    /** Entries by time; entries of the same instant keep the order they were added in. */
    sorted(): TimelineEntry[] {
        return [...this.entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    }
}
