//! The integration tests, one binary with a module per concern.

// Shared setup: snapshot settings, running the binary.
mod common;
// Reports of every example incident, Markdown and JSON, as snapshots.
mod report;
// Diagnostics of every invalid fixture, as snapshots, and the codes they must carry.
mod diagnostics;
// The command line: exit codes, output files, options.
mod cli;
// Laws: monotonicity of learning facts, three-valued rule evaluation, determinism.
mod properties;
// The shipped catalog: sources, deadlines, reachability, expected conclusions.
mod catalog;
// Every deadline of the catalog against a fixed timeline.
mod deadlines;
// Holiday calendars, end-of-day deadlines and weekend relief.
mod calendars;
// The case file: what was done, who decided, local time.
mod casefile;
// Importers: OSCAL catalogs with ATT&CK mappings, VERIS incidents.
mod import;
// verify: stored reports, diffs, accept.
mod verify;
// explain, map and graph.
mod explain;
// Notification drafts.
mod draft;
// The hostile corpus and input limits.
mod hostile;
// One answer, one place: explain, draft and report agree; errors are never blanks.
mod regressions;
// The 54 US breach-notification laws against an independent table.
mod us_states;
// Effective dates: frameworks and obligations judged by the day of discovery.
mod dates;
// The regimes beyond the EU and the US states: clocks and thresholds.
mod regimes;
